# stytch-totp: `make demo` runs the walk-through, `make test` runs every test.
# Language-specific rules live in mk/*.mk.

CARGO   ?= cargo
CC      ?= cc
BUILD   := $(CURDIR)/build
LIBDIR  := $(CURDIR)/target/release
HEADER  := include/stytch_totp.h
SHARED_LIB := $(LIBDIR)/libstytch_totp.so
STATIC_LIB := $(LIBDIR)/libstytch_totp.a
CFLAGS_STRICT := -std=c11 -Wall -Wextra -Wpedantic -Werror -Iinclude
# Runs its arguments against a throwaway PostgreSQL cluster.
WITH_POSTGRES := $(CURDIR)/tests/pg/with-postgres.sh

.PHONY: all lib demo test test-lint test-rust header test-header lint bench clean
all: lib

# The release library (shared + static). The headers are committed: a build
# only copies them (build.rs); `make header` regenerates stytch_totp.h.
lib:
	$(CARGO) build --release --locked

$(BUILD):
	mkdir -p $(BUILD)

# The walk-through in build/demo-run/: enrol a user, authenticate, recover.
demo: lib | $(BUILD)
	$(CC) $(CFLAGS_STRICT) examples/c/demo.c -L$(LIBDIR) -Wl,-rpath,$(LIBDIR) -lstytch_totp -o $(BUILD)/demo
	mkdir -p $(BUILD)/demo-run
	cd $(BUILD)/demo-run && $(BUILD)/demo

test: test-lint test-rust test-header
# Under a throwaway PostgreSQL cluster: the PostgreSQL tests need a server
# (tests/pg/with-postgres.sh; README: "Testing against PostgreSQL").
test-rust:
	$(WITH_POSTGRES) $(CARGO) test --release --locked

# The header, from the Rust sources, with the pinned cbindgen.
CBINDGEN_VERSION := 0.29.4
header:
	CBINDGEN_VERSION=$(CBINDGEN_VERSION) sh tools/header.sh $(HEADER)

# The committed header must be what `make header` generates now.
test-header: | $(BUILD)
	CBINDGEN_VERSION=$(CBINDGEN_VERSION) sh tools/header.sh $(BUILD)/stytch_totp.h
	diff -u $(HEADER) $(BUILD)/stytch_totp.h || { echo "$(HEADER) is stale: run make header and commit it"; exit 1; }

# Formatting and lints are part of the test: a warning fails the build.
test-lint lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --release --locked --all-targets -- -D warnings

clean:
	rm -rf $(BUILD)
	$(CARGO) clean

-include mk/*.mk
