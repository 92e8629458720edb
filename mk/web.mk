# The enrollment and sign-in site (examples/web): `make web` serves it on
# 127.0.0.1; `make test-web` drives it in headless Chromium and leaves a
# screenshot of every page in build/web-screenshots/.

WEB_SRC         := $(CURDIR)/examples/web
WEB_VENV        := $(BUILD)/web-venv
WEB_PY          := $(WEB_VENV)/bin/python
WEB_PIP         := $(WEB_PY) -m pip install -q --disable-pip-version-check
WEB_PORT        ?= 8000
WEB_SCREENSHOTS := $(BUILD)/web-screenshots

.PHONY: web web-venv test-web
test: test-web

# A fresh venv: the site's pinned packages and the binding's wheel (python.mk).
web-venv: python-wheel
	rm -rf $(WEB_VENV)
	$(PYTHON) -m venv $(WEB_VENV)
	$(WEB_PIP) -r $(WEB_SRC)/requirements.txt $(PY_DIST)/stytch_totp-*.whl

web: web-venv
	$(WEB_PY) $(WEB_SRC)/app.py --port $(WEB_PORT) --data-dir $(BUILD)/web-data

test-web: web-venv
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
		{ apt-get update -qq && apt-get install -y -qq chromium chromium-driver; }
	$(WEB_PIP) -r $(WEB_SRC)/tests/requirements.txt
	rm -rf $(WEB_SCREENSHOTS)
	cd $(WEB_SRC)/tests && WEB_SCREENSHOTS=$(WEB_SCREENSHOTS) $(WEB_PY) -m pytest -q -p no:cacheprovider
