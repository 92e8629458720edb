# The QR codes of many random secrets scan with two independent decoders:
# rqrr (tests/create.rs) and zxing-cpp (tests/contract). `make test` scans 300
# of each; this target scans QR_SAMPLES.

QR_SAMPLES ?= 10000

.PHONY: test-qr-decoders
test-qr-decoders: lib $(CONTRACT_VENV)/.installed
	STYTCH_TOTP_QR_SAMPLES=$(QR_SAMPLES) $(CARGO) test --release --locked --test create \
		qr_codes_of_random_secrets -- --nocapture
	cd tests/contract && STYTCH_TOTP_QR_SAMPLES=$(QR_SAMPLES) $(CONTRACT_VENV)/bin/python -m pytest \
		-q -p no:cacheprovider test_codes_and_qr.py -k zxing
