# The enrollment and sign-in site (examples/web): `make web` serves it on
# 127.0.0.1.

WEB_SRC         := $(CURDIR)/examples/web
WEB_VENV        := $(BUILD)/web-venv
WEB_PY          := $(WEB_VENV)/bin/python
WEB_PIP         := $(WEB_PY) -m pip install -q --disable-pip-version-check
WEB_PORT        ?= 8000

.PHONY: web web-venv

# A fresh venv: the site's pinned packages and the binding's wheel (python.mk).
web-venv: python-wheel
	rm -rf $(WEB_VENV)
	$(PYTHON) -m venv $(WEB_VENV)
	$(WEB_PIP) -r $(WEB_SRC)/requirements.txt $(PY_DIST)/stytch_totp-*.whl

web: web-venv
	$(WEB_PY) $(WEB_SRC)/app.py --port $(WEB_PORT) --data-dir $(BUILD)/web-data
