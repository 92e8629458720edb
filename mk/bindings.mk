# One schema for every binding. The engine's models are exported as a JSON
# Schema (schema/stytch_totp.schema.json); the bindings' declarations are
# generated from it and from the header by tools/gen_bindings.py: the Python
# models, ctypes table and error codes, the Go response structs and error
# types, the C++ wrapper's classes and error codes. All are committed.
#
#   make schema          regenerate the schema from src/engine/models.rs
#   make bindings        regenerate the bindings' generated files
#   make test-bindings   fail if the schema or any generated file is stale

SCHEMA := schema/stytch_totp.schema.json
SCHEMA_CMD = $(CARGO) run --quiet --release --locked --features schema --bin stytch-totp-schema

.PHONY: schema bindings test-bindings
test: test-bindings

schema:
	$(SCHEMA_CMD) > $(SCHEMA).tmp && mv $(SCHEMA).tmp $(SCHEMA)

bindings:
	python3 tools/gen_bindings.py

test-bindings: | $(BUILD)
	$(SCHEMA_CMD) > $(BUILD)/stytch_totp.schema.json
	diff -u $(SCHEMA) $(BUILD)/stytch_totp.schema.json || { echo "$(SCHEMA) is stale: run make schema bindings and commit"; exit 1; }
	python3 tools/gen_bindings.py --check

# Lint gates of the Python package: mypy --strict and ruff (ruff.toml).
LINT_VENV := $(BUILD)/lint-venv

.PHONY: test-python-lint
test: test-python-lint

$(LINT_VENV)/.installed: bindings/python/requirements-lint.txt | $(BUILD)
	python3 -m venv $(LINT_VENV)
	$(LINT_VENV)/bin/pip install --quiet --disable-pip-version-check -r bindings/python/requirements-lint.txt
	touch $@

test-python-lint: $(LINT_VENV)/.installed
	cd bindings/python && $(LINT_VENV)/bin/mypy --strict src/stytch_totp
	cd bindings/python && $(LINT_VENV)/bin/ruff check src/stytch_totp
