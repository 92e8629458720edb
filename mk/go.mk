# The Go binding (bindings/go) and its walk-through (examples/go).
# `make test-go` vets and tests the binding under the race detector, runs
# the example, and holds the binding against stytch-go (tests/go/stytchgo, a
# module of its own that downloads stytch-go through the Go module proxy:
# the porting table and a ported stytch-go program); `make bench-go` runs
# the benchmarks (the pquerna/otp comparison downloads that module through
# the Go module proxy).

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
