# Sessions against the official Python SDK: `stytch` verifies the library's
# session JWTs with its own local verification against the library's JWKS,
# and its models and Stytch's schemas accept the session bodies.

SESSIONS_VENV := $(BUILD)/sessions-venv

.PHONY: test-sessions
test: test-sessions

$(SESSIONS_VENV)/.installed: tests/sessions/requirements.txt | $(BUILD)
	rm -rf $(SESSIONS_VENV)
	python3 -m venv $(SESSIONS_VENV)
	$(SESSIONS_VENV)/bin/pip install --quiet --disable-pip-version-check -r tests/sessions/requirements.txt
	touch $@

# The Rust test writes the JWTs and bodies, then runs tests/sessions with the
# venv's Python; it is ignored by a plain `cargo test`, never skipped here.
test-sessions: $(SESSIONS_VENV)/.installed
	SESSIONS_SDK_PYTHON=$(SESSIONS_VENV)/bin/python $(CARGO) test --release --locked \
		--test sessions_sdk -- --ignored --exact the_official_python_sdk_verifies_and_parses_our_sessions

# The loopback JWKS server of examples/jwks against the official SDK, in the
# Python binding's venv (the wheel beside `stytch`).
.PHONY: test-sessions-jwks-example
test-sessions: test-sessions-jwks-example
test-sessions-jwks-example: python-wheel
	cd examples/jwks && env -u STYTCH_TOTP_LIB $(PY) -m pytest -q -p no:cacheprovider test_jwks_server.py
