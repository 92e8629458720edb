# Benchmarks (not part of `make test`): the C ABI beside liboath in one
# process, and the Python peers in the same script run; the soak's latencies
# (SQLite, 3 processes x 4 threads, BENCH_SOAK_SECS) and the resident set over
# 1 000 000 mixed calls, each figure beside its target.

BENCH_VENV      := $(BUILD)/bench-venv
BENCH_SOAK_SECS ?= 10

.PHONY: bench bench-c bench-profile bench-soak bench-rss
bench: bench-c bench-profile

$(BENCH_VENV)/.installed: benches/requirements.txt | $(BUILD)
	python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --disable-pip-version-check -r benches/requirements.txt
	touch $@

# The bindings' rows: the Python binding built from this tree beside pyotp,
# and Go's Authenticate beside the C call (mk/python.mk, mk/go.mk).
BENCH_BINDINGS := --python $(BUILD)/python-bench.json --go $(BUILD)/go-bench-authenticate.txt
bench-c: bench-python bench-go-authenticate
bench-c: lib $(BENCH_VENV)/.installed bench-soak $(BUILD)/rss_mixed
	@test -f /usr/include/liboath/oath.h || { apt-get update -qq && apt-get install -y -qq liboath-dev; }
	$(CC) -O2 -std=c11 -Wall -Wextra -Werror -Iinclude benches/bench.c \
		-L$(LIBDIR) -Wl,-rpath,$(LIBDIR) -lstytch_totp -loath -o $(BUILD)/bench
	$(BENCH_VENV)/bin/python benches/compare.py $(BUILD)/bench \
		--soak $(BUILD)/soak.json --rss $(BUILD)/rss_mixed $(BENCH_BINDINGS)

# The soak's latency histograms, and its figures in build/soak.json.
bench-soak: | $(BUILD)
	STYTCH_TOTP_SOAK_SECS=$(BENCH_SOAK_SECS) STYTCH_TOTP_SOAK_REPORT=$(BUILD)/soak.json \
		$(CARGO) test --release --locked --test soak -- --nocapture

$(BUILD)/rss_mixed: lib benches/rss_mixed.c | $(BUILD)
	$(CC) $(CFLAGS_STRICT) -O2 benches/rss_mixed.c -L$(LIBDIR) -Wl,-rpath,$(LIBDIR) -lstytch_totp -o $@

# Resident set every 100 000 of 1 000 000 mixed calls (RSS_DATABASE: a file
# instead of ":memory:").
RSS_DATABASE ?= :memory:
bench-rss: $(BUILD)/rss_mixed
	$(BUILD)/rss_mixed 1000000 $(RSS_DATABASE)

# Instructions per call (valgrind --tool=callgrind), counted only inside the
# calls themselves: repeatable where wall-clock time is not. `call` is an
# authentication through stytch_call.
PROFILE_CALLS := 100
bench-profile: lib | $(BUILD)
	$(CC) -O2 -std=c11 -Wall -Wextra -Werror -Iinclude benches/profile.c \
		-L$(LIBDIR) -Wl,-rpath,$(LIBDIR) -lstytch_totp -o $(BUILD)/profile
	@for db in memory sqlite; do for keys in 0 1; do for op in create authenticate call; do \
		rm -f $(BUILD)/profile.db $(BUILD)/profile.db-wal $(BUILD)/profile.db-shm; \
		case $$op in call) calls="stytch_call stytch_string_free";; \
			*) calls="stytch_totp_$$op stytch_totp_$${op}_response_free";; esac; \
		STYTCH_BENCH_KEYS=$$keys valgrind --tool=callgrind --callgrind-out-file=$(BUILD)/callgrind.$$op.$$keys.$$db.out \
			$$(for c in $$calls; do printf -- '--toggle-collect=%s ' $$c; done) \
			$(BUILD)/profile $$op $(PROFILE_CALLS) $$( [ $$db = sqlite ] && echo $(BUILD)/profile.db || echo :memory: ) 2>&1 \
		| sed -n 's/.*Collected : //p' \
		| awk -v op=$$op -v k=$$keys -v db=$$db -v n=$(PROFILE_CALLS) '{ printf "%-13s %-7s %-17s %9.0f instructions per call (callgrind)\n", op, db, (k ? "encryption keys" : "no keys"), $$1 / n }'; \
	done; done; done
	@rm -f $(BUILD)/profile.db $(BUILD)/profile.db-wal $(BUILD)/profile.db-shm

# Secrets at rest, before and after in one run: the C bench against the
# library of BENCH_BASE (built from `git archive` into build/bench-base-lib) and
# against this tree, without and with encryption keys.
BENCH_BASE    ?= main
BENCH_REPEATS ?= 5
BENCH_ROUNDS  ?= 41
BASE_DIR      := $(BUILD)/bench-base-lib

.PHONY: bench-at-rest
bench-at-rest: lib | $(BUILD)
	@test -f /usr/include/liboath/oath.h || { apt-get update -qq && apt-get install -y -qq liboath-dev; }
	rm -rf $(BASE_DIR)/src && mkdir -p $(BASE_DIR)/src
	git archive $(BENCH_BASE) | tar -x -C $(BASE_DIR)/src
	cd $(BASE_DIR)/src && CARGO_TARGET_DIR=$(BASE_DIR)/target $(CARGO) build --release --locked
	$(if $(PKG_SONAME_LINK),ln -sf $(PKG_SHARED_NAME) $(BASE_DIR)/target/release/$(PKG_SONAME_LINK))
	$(CC) -O2 -std=c11 -Wall -Wextra -Werror -I$(BASE_DIR)/src/include benches/bench.c \
		-L$(BASE_DIR)/target/release -Wl,-rpath,$(BASE_DIR)/target/release -lstytch_totp -loath -o $(BUILD)/bench-base
	$(CC) -O2 -std=c11 -Wall -Wextra -Werror -Iinclude benches/bench.c \
		-L$(LIBDIR) -Wl,-rpath,$(LIBDIR) -lstytch_totp -loath -o $(BUILD)/bench
	python3 benches/at_rest.py $(BUILD)/bench-base $(BUILD)/bench $(BENCH_REPEATS) $(BENCH_ROUNDS)
