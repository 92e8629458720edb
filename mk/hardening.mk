# Hardening: fuzzing (cargo-fuzz/libFuzzer, nightly), crash safety, soak,
# secret hygiene, resource limits, secrets at rest, host faults, Miri, peak
# RSS. See HARDENING.md.
#
#   make fuzz-smoke       every fuzz target for FUZZ_SMOKE_SECS (15) seconds
#   make fuzz-long        every fuzz target for FUZZ_LONG_SECS (1800) seconds
#   make test-hardening   crash safety (20 kills), soak (20 s), secrets, limits,
#                         secrets at rest, host faults
#   make soak             the soak for SOAK_SECS (300) seconds
#   make miri             the FFI helpers' unit tests under Miri (optional)
#   make rss              peak RSS over 1 000 000 authentications

FUZZ_TARGETS     := call config typed totp_code
FUZZ_SMOKE_SECS  ?= 15
FUZZ_LONG_SECS   ?= 1800
FUZZ_ARGS        ?=
FUZZ_TOOLCHAIN   ?= nightly
FUZZ_TMP         := $(BUILD)/fuzz-tmp
SOAK_SECS        ?= 300
RSS_ATTEMPTS     ?= 1000000

.PHONY: fuzz-smoke fuzz-long fuzz-tools test-hardening soak miri rss
test: fuzz-smoke test-hardening

# cargo-fuzz needs a nightly toolchain; install it with rustup, and cargo-fuzz
# from crates.io, when they are missing. Either failing stops the build with
# the reason: the fuzz targets are never skipped silently.
fuzz-tools:
	@rustup run $(FUZZ_TOOLCHAIN) rustc --version >/dev/null 2>&1 || \
		rustup toolchain install $(FUZZ_TOOLCHAIN) --profile minimal || { \
		echo "fuzz: the $(FUZZ_TOOLCHAIN) Rust toolchain is required (rustup toolchain install $(FUZZ_TOOLCHAIN))" >&2; exit 1; }
	@cargo +$(FUZZ_TOOLCHAIN) fuzz --version >/dev/null 2>&1 || \
		$(CARGO) install cargo-fuzz --locked || { \
		echo "fuzz: cargo-fuzz is missing and could not be installed (cargo install cargo-fuzz --locked)" >&2; exit 1; }

# $(1): seconds per target. Each target starts from the committed seeds
# (fuzz/seeds/<target>) plus what earlier runs found (fuzz/corpus/<target>);
# a crash stops the run and leaves its input in fuzz/artifacts/<target>/.
define run_fuzz
	@mkdir -p $(FUZZ_TMP)
	cargo +$(FUZZ_TOOLCHAIN) fuzz build --fuzz-dir fuzz
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p fuzz/corpus/$$t; \
		echo "fuzz: $$t for $(1) s"; \
		TMPDIR=$(FUZZ_TMP) cargo +$(FUZZ_TOOLCHAIN) fuzz run --fuzz-dir fuzz $$t fuzz/corpus/$$t fuzz/seeds/$$t -- \
			-max_total_time=$(1) -print_final_stats=1 $(FUZZ_ARGS) \
			> $(BUILD)/fuzz-$$t.log 2>&1 \
			|| { tail -n 60 $(BUILD)/fuzz-$$t.log; echo "fuzz: $$t failed (input in fuzz/artifacts/$$t/)" >&2; exit 1; }; \
		grep -h -E 'stat::number_of_executed_units|stat::peak_rss_mb' $(BUILD)/fuzz-$$t.log | sed "s/^/fuzz: $$t /"; \
	done
endef

fuzz-smoke: fuzz-tools | $(BUILD)
	$(call run_fuzz,$(FUZZ_SMOKE_SECS))

fuzz-long: fuzz-tools | $(BUILD)
	$(call run_fuzz,$(FUZZ_LONG_SECS))

test-hardening:
	$(CARGO) test --release --locked --test crash_safety --test soak --test secret_hygiene \
		--test secret_memory --test limits --test at_rest --test host_faults \
		-- --nocapture

soak:
	STYTCH_TOTP_SOAK_SECS=$(SOAK_SECS) $(CARGO) test --release --locked --test soak -- --nocapture

# Miri runs the pure FFI helpers (no SQLite: Miri cannot run C). Needs the
# nightly miri and rust-src components, downloaded from the Rust dist server.
miri:
	@rustup component add miri rust-src --toolchain $(FUZZ_TOOLCHAIN) >/dev/null 2>&1 || { \
		echo "miri: cannot install the miri component (offline?); see HARDENING.md" >&2; exit 1; }
	cargo +$(FUZZ_TOOLCHAIN) miri test --lib ffi::

rss: lib | $(BUILD)
	$(CC) $(CFLAGS_STRICT) -O2 benches/rss.c -L$(LIBDIR) -Wl,-rpath,$(LIBDIR) -lstytch_totp -o $(BUILD)/rss
	/usr/bin/time -v $(BUILD)/rss $(RSS_ATTEMPTS) 2> $(BUILD)/rss-time.txt; status=$$?; \
		grep -E 'Maximum resident|Elapsed' $(BUILD)/rss-time.txt; exit $$status
