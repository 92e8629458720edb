# Benchmarks (not part of `make test`): the C ABI beside liboath in one
# process, and the Python peers in the same script run.

BENCH_VENV := $(BUILD)/bench-venv

.PHONY: bench bench-c bench-profile
bench: bench-c bench-profile

$(BENCH_VENV)/.installed: benches/requirements.txt | $(BUILD)
	python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --disable-pip-version-check -r benches/requirements.txt
	touch $@

bench-c: lib $(BENCH_VENV)/.installed
	@test -f /usr/include/liboath/oath.h || { apt-get update -qq && apt-get install -y -qq liboath-dev; }
	$(CC) -O2 -std=c11 -Wall -Wextra -Werror -Iinclude benches/bench.c \
		-L$(LIBDIR) -Wl,-rpath,$(LIBDIR) -lstytch_totp -loath -o $(BUILD)/bench
	$(BENCH_VENV)/bin/python benches/compare.py $(BUILD)/bench

# Instructions per call (valgrind --tool=callgrind), counted only inside the
# calls themselves: repeatable where wall-clock time is not.
PROFILE_CALLS := 100
bench-profile: lib | $(BUILD)
	$(CC) -O2 -std=c11 -Wall -Wextra -Werror -Iinclude benches/profile.c \
		-L$(LIBDIR) -Wl,-rpath,$(LIBDIR) -lstytch_totp -o $(BUILD)/profile
	@for keys in 0 1; do for op in create authenticate; do \
		STYTCH_BENCH_KEYS=$$keys valgrind --tool=callgrind --callgrind-out-file=$(BUILD)/callgrind.$$op.$$keys.out \
			--toggle-collect=stytch_totp_$$op --toggle-collect=stytch_totp_$${op}_response_free \
			$(BUILD)/profile $$op $(PROFILE_CALLS) 2>&1 \
		| sed -n 's/.*Collected : //p' \
		| awk -v op=$$op -v k=$$keys -v n=$(PROFILE_CALLS) '{ printf "%-13s %-17s %9.0f instructions per call (callgrind)\n", op, (k ? "encryption keys" : "no keys"), $$1 / n }'; \
	done; done

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
