# Benchmarks (not part of `make test`): the C ABI beside liboath in one
# process, and the Python peers in the same script run.

BENCH_VENV := $(BUILD)/bench-venv

.PHONY: bench bench-c
bench: bench-c

$(BENCH_VENV)/.installed: benches/requirements.txt | $(BUILD)
	python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --disable-pip-version-check -r benches/requirements.txt
	touch $@

bench-c: lib $(BENCH_VENV)/.installed
	@test -f /usr/include/liboath/oath.h || { apt-get update -qq && apt-get install -y -qq liboath-dev; }
	$(CC) -O2 -std=c11 -Wall -Wextra -Werror -Iinclude benches/bench.c \
		-L$(LIBDIR) -Wl,-rpath,$(LIBDIR) -lstytch_totp -loath -o $(BUILD)/bench
	$(BENCH_VENV)/bin/python benches/compare.py $(BUILD)/bench
