# stytch-totp, the operators' command line (src/bin/stytch-totp, docs/CLI.md):
# built by `make` and installed by `make install` with the library. Its
# dependencies (clap, indicatif) come with the `cli` feature, never with the
# library.
#
#   make cli        target/release/stytch-totp
#   make test-cli   its tests (tests/cli), which run the built binary against
#                   SQLite files and a throwaway PostgreSQL cluster
#   make lint-cli   clippy on it (part of make lint / test-lint)

CLI_FEATURES := --features cli
CLI_BUILD_DEP := $(if $(NO_BUILD),,cli)

.PHONY: cli test-cli lint-cli
all: cli
install dist-archive: $(CLI_BUILD_DEP)
test-packaging: cli
test: test-cli
test-lint lint: lint-cli

cli:
	$(CARGO) build --release --locked $(CLI_FEATURES) --bin stytch-totp

test-cli:
	$(WITH_POSTGRES) $(CARGO) test --release --locked $(CLI_FEATURES) --test cli

lint-cli:
	$(CARGO) clippy --release --locked $(CLI_FEATURES) --bin stytch-totp --test cli -- -D warnings
