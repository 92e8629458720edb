# Contract tests: Stytch's schemas, the official `stytch` SDK models, an
# independent QR decoder, pyotp and oathtool against the built library.

CONTRACT_VENV := $(BUILD)/contract-venv

.PHONY: test-contract
test: test-contract

$(CONTRACT_VENV)/.installed: tests/contract/requirements.txt | $(BUILD)
	python3 -m venv $(CONTRACT_VENV)
	$(CONTRACT_VENV)/bin/pip install --quiet --disable-pip-version-check -r tests/contract/requirements.txt
	touch $@

test-contract: lib $(CONTRACT_VENV)/.installed
	@command -v oathtool >/dev/null || { apt-get update -qq && apt-get install -y -qq oathtool; }
	cd tests/contract && $(CONTRACT_VENV)/bin/python -m pytest -q -p no:cacheprovider
