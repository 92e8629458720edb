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
	@for op in create authenticate; do \
		valgrind --tool=callgrind --callgrind-out-file=$(BUILD)/callgrind.$$op.out \
			--toggle-collect=stytch_totp_$$op --toggle-collect=stytch_totp_$${op}_response_free \
			$(BUILD)/profile $$op $(PROFILE_CALLS) 2>&1 \
		| sed -n 's/.*Collected : //p' \
		| awk -v op=$$op -v n=$(PROFILE_CALLS) '{ printf "%-13s %9.0f instructions per call (callgrind)\n", op, $$1 / n }'; \
	done
