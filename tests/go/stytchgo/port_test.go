package stytchgo

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The stytch-go quick-start (quickstart/main.go, built against stytch-go by
// `go vet ./...` in this module) runs against this binding once port.sed has
// changed its import paths and its client's constructor, and nothing else.
func TestPortedQuickStart(t *testing.T) {
	original, err := os.ReadFile("quickstart/main.go")
	if err != nil {
		t.Fatal(err)
	}
	ported, err := exec.Command("sed", "-f", "port.sed", "quickstart/main.go").Output()
	if err != nil {
		t.Fatalf("sed: %v", err)
	}

	// Only the stytch-go imports and the constructor's line changed.
	before, after := strings.Split(string(original), "\n"), strings.Split(string(ported), "\n")
	if len(before) != len(after) {
		t.Fatalf("port.sed changed the number of lines")
	}
	changed := 0
	for i := range before {
		if before[i] == after[i] {
			continue
		}
		changed++
		if !strings.Contains(before[i], `"github.com/stytchauth/stytch-go/v16/`) && !strings.Contains(before[i], "stytchapi.NewClient(") {
			t.Errorf("port.sed changed line %d, neither an import nor the constructor: %s", i+1, before[i])
		}
	}
	if changed != 5 || strings.Contains(string(ported), "stytchauth") {
		t.Fatalf("port.sed changed %d lines, want 4 imports and the constructor:\n%s", changed, ported)
	}

	// A module of its own, with this module's requirements (offline: every
	// module is in the cache once this module's tests are built).
	dir := t.TempDir()
	binding, err := filepath.Abs("../../../bindings/go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), ported, 0o644); err != nil {
		t.Fatal(err)
	}
	goCmd := func(args ...string) *exec.Cmd {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod", "GOWORK=off")
		return cmd
	}
	if out, err := goCmd("mod", "edit", "-module=example.com/ported",
		"-replace=github.com/stytch-totp/stytch-totp/bindings/go="+binding).CombinedOutput(); err != nil {
		t.Fatalf("go mod edit: %v\n%s", err, out)
	}
	if out, err := goCmd("build", "-o", "quickstart", ".").CombinedOutput(); err != nil {
		t.Fatalf("the ported quick-start does not build: %v\n%s", err, out)
	}
	run := exec.Command(filepath.Join(dir, "quickstart"))
	run.Env = append(os.Environ(), "STYTCH_TOTP_DATABASE="+filepath.Join(dir, "quickstart.db"))
	out, err := run.CombinedOutput()
	if err != nil {
		t.Fatalf("the ported quick-start failed: %v\n%s", err, out)
	}
	for _, want := range []string{"user: user-test-", "ada@example.com", "10 recovery codes", "authenticated: user-test-",
		" true\n", "replay refused: 400 totp_code_already_authenticated", "recovery codes: 10",
		"recovered: user-test-", "deleted: user-test-"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the quick-start's output lacks %q:\n%s", want, out)
		}
	}
}
