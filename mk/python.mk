# The Python binding (bindings/python): build the wheel (py3-none-<platform>:
# the library is loaded with ctypes) and the sdist, install the wheel into
# fresh venvs of two interpreters (CPython, PyPy), test the installed package;
# and its benchmark. `make dist` puts the wheel and the sdist beside the
# release archive.

PYTHON      ?= python3
PYPY        ?= pypy3
PY_SRC      := $(CURDIR)/bindings/python
PY_VENV     := $(BUILD)/python-venv
PY_DIST     := $(BUILD)/python-dist
PY          := $(PY_VENV)/bin/python
PYPY_VENV   := $(BUILD)/pypy-venv
PIP_QUIET   := -q --disable-pip-version-check

.PHONY: test-python test-python-cpython test-python-pypy test-python-sdist bench-python \
	python-wheel python-sdist python-dist
test: test-python
dist: python-dist

# A fresh venv every time, so the pinned requirements are all the tests get.
# The wheel reuses target/, so cargo rebuilds only what changed.
python-wheel: | $(BUILD)
	rm -rf $(PY_VENV) $(PY_DIST)
	$(PYTHON) -m venv $(PY_VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r $(PY_SRC)/requirements-dev.txt
	CARGO_TARGET_DIR=$(CURDIR)/target $(PY) -m pip wheel -q --disable-pip-version-check \
		--no-deps --no-build-isolation -w $(PY_DIST) $(PY_SRC)
	rm -rf $(PY_SRC)/build
	@# Linux: the manylinux tag auditwheel finds true of the bundled library
	@# (the newest glibc symbol version it needs), instead of linux_x86_64.
	@if [ "$$(uname -s)" = Linux ]; then \
		whl=$$(ls $(PY_DIST)/stytch_totp-*.whl); \
		plat=$$($(PY_VENV)/bin/auditwheel show "$$whl" 2>&1 | tr '\n' ' ' | sed -n 's/.*platform tag: *"\([^"]*\)".*/\1/p'); \
		[ -n "$$plat" ] || { echo "auditwheel show found no platform tag for $$whl" >&2; exit 1; }; \
		$(PY) -m wheel tags --remove --platform-tag "$$plat" "$$whl" >/dev/null; \
	fi
	@ls $(PY_DIST)/stytch_totp-*.whl
	$(PY) -m pip install -q --disable-pip-version-check --no-deps $(PY_DIST)/stytch_totp-*.whl

# The sdist carries the Rust crate (bindings/python/setup.py), so that it
# builds anywhere cargo is.
python-sdist: python-wheel
	rm -f $(PY_DIST)/stytch_totp-*.tar.gz
	cd $(PY_SRC) && $(PY) -m build --sdist --no-isolation --outdir $(PY_DIST) . >/dev/null
	rm -rf $(PY_SRC)/src/*.egg-info
	@ls $(PY_DIST)/stytch_totp-*.tar.gz

python-dist: python-sdist
	mkdir -p $(PKG_DIST_DIR)
	rm -f $(PKG_DIST_DIR)/stytch_totp-*.whl $(PKG_DIST_DIR)/stytch_totp-$(PKG_VERSION).tar.gz
	cp $(PY_DIST)/stytch_totp-*.whl $(PY_DIST)/stytch_totp-*.tar.gz $(PKG_DIST_DIR)/
	@echo "Python wheel and sdist: $$(cd $(PKG_DIST_DIR) && ls stytch_totp-*.whl stytch_totp-$(PKG_VERSION).tar.gz)"

# PyPy from Debian, with the test requirements it can install (pinned apart:
# PyPy is Python 3.9). aiohttp, which the official SDK imports, has no PyPy
# wheel: it builds as pure Python.
$(PYPY_VENV)/.installed: $(PY_SRC)/requirements-test-pypy.txt | $(BUILD)
	@command -v $(PYPY) >/dev/null && $(PYPY) -c 'import venv, ensurepip' 2>/dev/null \
		|| { apt-get update -qq && apt-get install -y -qq pypy3 pypy3-venv; } \
		|| { echo "python: cannot install PyPy (Debian packages pypy3 pypy3-venv)" >&2; exit 1; }
	rm -rf $(PYPY_VENV)
	$(PYPY) -m venv $(PYPY_VENV)
	AIOHTTP_NO_EXTENSIONS=1 $(PYPY_VENV)/bin/pip install $(PIP_QUIET) -r $(PY_SRC)/requirements-test-pypy.txt
	touch $@

# The same wheel file on both interpreters. Run from tests/, where the source
# tree is not importable: the tests see only the installed package and the
# library bundled in it.
test-python: test-python-cpython test-python-pypy

test-python-cpython: python-wheel
	cd $(PY_SRC)/tests && env -u STYTCH_TOTP_LIB $(WITH_POSTGRES) $(PY) -m pytest -q -p no:cacheprovider

test-python-pypy: python-wheel $(PYPY_VENV)/.installed
	$(PYPY_VENV)/bin/pip install $(PIP_QUIET) --no-deps --force-reinstall $(PY_DIST)/stytch_totp-*.whl
	cd $(PY_SRC)/tests && env -u STYTCH_TOTP_LIB $(WITH_POSTGRES) $(PYPY_VENV)/bin/python -m pytest -q -p no:cacheprovider

# `pip install` of the sdist in an empty directory, with a cold cargo build:
# tests/packaging/python-sdist.sh. Its own target, as it takes minutes (5.5
# on a loaded 2-core machine), and part of `make test`.
test: test-python-sdist
test-python-sdist: python-sdist
	PYTHON='$(PY)' BUILD='$(BUILD)/python-sdist-test' \
		SDIST="$$(ls $(PY_DIST)/stytch_totp-*.tar.gz)" sh tests/packaging/python-sdist.sh

# Its figures also go to build/python-bench.json, for `make bench`'s table.
bench-python: python-wheel
	cd $(BUILD) && env -u STYTCH_TOTP_LIB $(PY) $(CURDIR)/benches/python_binding.py --save $(BUILD)/python-bench.json

# The QR helpers beside the qrcode package: benches/python_qr.py.
.PHONY: bench-python-qr
bench-python-qr: python-wheel
	cd $(BUILD) && env -u STYTCH_TOTP_LIB $(PY) $(CURDIR)/benches/python_qr.py
