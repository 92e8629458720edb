# The Go binding (bindings/go) and its walk-through (examples/go).
# `make test-go` vets and tests the binding under the race detector, runs
# the example, and holds the binding against stytch-go (tests/go/stytchgo, a
# module of its own that downloads stytch-go through the Go module proxy:
# the porting table and a ported stytch-go program); `make bench-go` runs
# the benchmarks (the pquerna/otp comparison downloads that module through
# the Go module proxy), then Authenticate's parts timed apart.

GO ?= go
GO_BENCH_COUNT ?= 10

.PHONY: test-go bench-go
test: test-go

test-go: lib | $(BUILD)
	@unformatted=$$(gofmt -l bindings/go tests/go); if [ -n "$$unformatted" ]; then \
		echo "gofmt would change: $$unformatted (run gofmt -w)" >&2; exit 1; fi
	cd bindings/go && $(GO) vet ./... && $(WITH_POSTGRES) $(GO) test -race -count=1 ./...
	cd examples/go && $(GO) vet ./... && $(GO) build -buildvcs=false -o $(BUILD)/go-demo .
	@# A fresh store each run: the walk-through creates ada@example.com, and an
	@# email belongs to one user.
	rm -rf $(BUILD)/go-demo-run && mkdir -p $(BUILD)/go-demo-run
	cd $(BUILD)/go-demo-run && $(BUILD)/go-demo
	cd tests/go/stytchgo && $(GO) vet ./... && $(GO) test -count=1 ./...

bench-go: lib | $(BUILD)
	cd bindings/go/bench && $(GO) vet ./... && $(GO) test -run '^$$' -bench . -count $(GO_BENCH_COUNT) . | tee $(BUILD)/go-bench.txt
	cd bindings/go && $(GO) test -run '^$$' -bench . -count $(GO_BENCH_COUNT) . | tee $(BUILD)/go-bench-parts.txt

# The binding used from another module exactly as bindings/go/README.md says
# (go mod edit -replace, go mod tidy, go build): tests/go/from-another-module.sh.
.PHONY: test-go-module
test: test-go-module
test-go-module: lib
	GO='$(GO)' sh tests/go/from-another-module.sh

# Authenticate beside the C call it wraps (BenchmarkAuthenticateSuccessC), in
# one `go test -bench` run, for `make bench`'s table.
GO_BENCH_AUTH_COUNT ?= 5
.PHONY: bench-go-authenticate
bench-go-authenticate: lib | $(BUILD)
	cd bindings/go/bench && $(GO) test -run '^$$' -bench '^BenchmarkAuthenticateSuccess(C)?$$' \
		-count $(GO_BENCH_AUTH_COUNT) . | tee $(BUILD)/go-bench-authenticate.txt

# Instructions per call (valgrind --tool=callgrind), repeatable where the
# clock is not: Authenticate (with its SetTime) beside the C loop's
# stytch_client_set_time + stytch_totp_authenticate + free. The benchmark
# runs 1 + GO_PROFILE_CALLS times and authenticates once more in each setup:
# GO_PROFILE_CALLS + 3 calls.
GO_PROFILE_CALLS := 2000
.PHONY: bench-profile-go
bench: bench-profile-go
bench-profile-go: lib | $(BUILD)
	cd bindings/go/bench && $(GO) test -c -o $(BUILD)/go-bench.test .
	@go=$$(GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --callgrind-out-file=$(BUILD)/callgrind.go.out \
		--toggle-collect='*TOTPsClient*Authenticate' --toggle-collect='*Client*SetTime' \
		$(BUILD)/go-bench.test -test.run '^$$' -test.bench 'AuthenticateSuccess$$' \
		-test.benchtime $(GO_PROFILE_CALLS)x 2>&1 | sed -n 's/.*Collected : //p'); \
	c=$$(GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --callgrind-out-file=$(BUILD)/callgrind.goc.out \
		--toggle-collect=stytch_client_set_time --toggle-collect=stytch_totp_authenticate \
		--toggle-collect=stytch_totp_authenticate_response_free \
		$(BUILD)/go-bench.test -test.run '^$$' -test.bench 'AuthenticateSuccessC$$' \
		-test.benchtime $(GO_PROFILE_CALLS)x 2>&1 | sed -n 's/.*Collected : //p'); \
	awk -v go=$$go -v c=$$c -v n=$$(( $(GO_PROFILE_CALLS) + 3 )) 'BEGIN { \
		printf "Go Authenticate + SetTime          %9.0f instructions per call (callgrind)\n", go / n; \
		printf "C set_time + authenticate + free   %9.0f instructions per call (callgrind)\n", c / n; \
		printf "Go / C                             %9.2fx (target: wall-clock ratio <= 2x)\n", go / c }'
