# The PostgreSQL store, each target against a throwaway cluster
# (tests/pg/with-postgres.sh). `make test` runs these tests already (in
# test-rust); these targets run them alone, longer, or as a benchmark.
#
#   make test-postgres        the store suite and the PostgreSQL tests
#   make test-postgres-long   the fleet and kill -9 tests, long forms
#   make bench-stores         memory, SQLite and PostgreSQL side by side

FLEET_ROUNDS ?= 200
FLEET_KILLS  ?= 100

.PHONY: test-postgres test-postgres-long bench-stores

test-postgres:
	$(WITH_POSTGRES) $(CARGO) test --release --locked --test store_suite --test postgres \
		--test postgres_fleet --test postgres_outage -- --nocapture

test-postgres-long:
	STYTCH_TOTP_FLEET_ROUNDS=$(FLEET_ROUNDS) STYTCH_TOTP_FLEET_KILLS=$(FLEET_KILLS) \
		$(WITH_POSTGRES) $(CARGO) test --release --locked --test postgres_fleet -- --nocapture

bench-stores: | $(BUILD)
	$(WITH_POSTGRES) $(CARGO) bench --locked --bench stores | tee $(BUILD)/bench-stores.md
