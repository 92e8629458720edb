# The Python binding (bindings/python): build the wheel, install it into a
# fresh venv, test the installed package; and its benchmark.

PYTHON      ?= python3
PY_SRC      := $(CURDIR)/bindings/python
PY_VENV     := $(BUILD)/python-venv
PY_DIST     := $(BUILD)/python-dist
PY          := $(PY_VENV)/bin/python

.PHONY: test-python bench-python python-wheel
test: test-python

# A fresh venv every time, so the pinned requirements are all the tests get.
# The wheel reuses target/, so cargo rebuilds only what changed.
python-wheel: | $(BUILD)
	rm -rf $(PY_VENV) $(PY_DIST)
	$(PYTHON) -m venv $(PY_VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r $(PY_SRC)/requirements-dev.txt
	CARGO_TARGET_DIR=$(CURDIR)/target $(PY) -m pip wheel -q --disable-pip-version-check \
		--no-deps --no-build-isolation -w $(PY_DIST) $(PY_SRC)
	rm -rf $(PY_SRC)/build
	$(PY) -m pip install -q --disable-pip-version-check --no-deps $(PY_DIST)/stytch_totp-*.whl

# Run from tests/, where the source tree is not importable: the tests see only
# the installed package and the library bundled in it.
test-python: python-wheel
	cd $(PY_SRC)/tests && env -u STYTCH_TOTP_LIB $(WITH_POSTGRES) $(PY) -m pytest -q -p no:cacheprovider

bench-python: python-wheel
	cd $(BUILD) && env -u STYTCH_TOTP_LIB $(PY) $(CURDIR)/benches/python_binding.py
