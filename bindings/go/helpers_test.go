package stytchtotp

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stytch-totp/stytch-totp/bindings/go/stytcherror"
	"github.com/stytch-totp/stytch-totp/bindings/go/users"
)

// t0 is a fixed time for the tests' clocks: 2024-05-01T00:00:00Z, a step boundary.
const t0 = int64(1714521600)

// testClient opens a client with a stopped clock; it is closed when the
// test ends.
func testClient(t testing.TB, cfg Config) *Client {
	t.Helper()
	if cfg.Database == "" {
		cfg.Database = ":memory:"
	}
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.SetTime(t0); err != nil {
		t.Fatalf("SetTime: %v", err)
	}
	return c
}

var userSerial atomic.Uint64

// someone is a new user's parameters: an email address no other user of
// the test run has (a user needs an email or a phone number).
func someone() *users.CreateParams {
	return &users.CreateParams{Email: fmt.Sprintf("user%d@example.com", userSerial.Add(1))}
}

// decodeStrict decodes text with encoding/json into a new value of T,
// refusing keys that T does not have.
func decodeStrict[T any](t *testing.T, text string) *T {
	t.Helper()
	out := new(T)
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(out); err != nil {
		t.Fatalf("decoding %T: %v\n%s", out, err, text)
	}
	return out
}

// wantError checks that err is a *stytcherror.Error of the given status and
// type, with every field of the library's error body.
func wantError(t *testing.T, err error, status int, errorType string) *stytcherror.Error {
	t.Helper()
	var serr *stytcherror.Error
	if !errors.As(err, &serr) {
		t.Fatalf("want %s, got %v (%T)", errorType, err, err)
	}
	if serr.StatusCode != status || string(serr.ErrorType) != errorType {
		t.Fatalf("want %d %s, got %d %s: %s", status, errorType, serr.StatusCode, serr.ErrorType, serr.ErrorMessage)
	}
	if serr.ErrorMessage == "" || !strings.HasSuffix(string(serr.ErrorURL), "#"+errorType) {
		t.Fatalf("incomplete error: %+v", serr)
	}
	if !strings.Contains(serr.Error(), errorType) {
		t.Fatalf("Error() = %q lacks the type", serr.Error())
	}
	if !strings.HasPrefix(serr.RequestID, "request-id-") {
		t.Fatalf("request_id = %q", serr.RequestID)
	}
	if _, ok := stytcherror.Codes[serr.ErrorType]; !ok {
		t.Fatalf("%s is not one of the library's error types", serr.ErrorType)
	}
	return serr
}

func mustCode(t testing.TB, secret string, unix int64) string {
	t.Helper()
	code, err := Code(secret, unix)
	if err != nil {
		t.Fatalf("Code: %v", err)
	}
	return code
}

// otherCode is a well-formed code that differs from code.
func otherCode(code string) string {
	b := []byte(code)
	b[0] = '0' + (b[0]-'0'+5)%10
	return string(b)
}
