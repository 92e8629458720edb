package stytchtotp

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/stytch-totp/stytch-totp/bindings/go/stytcherror"
)

// t0 is a fixed time for the tests' clocks: 2024-05-01T00:00:00Z, a step boundary.
const t0 = int64(1714521600)

// recorder keeps the JSON of every response and error a client returned.
type recorder struct {
	mu   sync.Mutex
	seen map[string][]string
}

func (r *recorder) hook(kind, text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen == nil {
		r.seen = map[string][]string{}
	}
	r.seen[kind] = append(r.seen[kind], text)
}

func (r *recorder) last(t *testing.T, kind string) string {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	list := r.seen[kind]
	if len(list) == 0 {
		t.Fatalf("no %s JSON recorded", kind)
	}
	return list[len(list)-1]
}

// testClient opens a client with a stopped clock whose responses are all
// recorded as JSON; it is closed when the test ends.
func testClient(t *testing.T, cfg Config) (*Client, *recorder) {
	t.Helper()
	if cfg.Database == "" {
		cfg.Database = ":memory:"
	}
	rec := &recorder{}
	c, err := newClient(cfg, options{hook: rec.hook})
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.SetTime(t0); err != nil {
		t.Fatalf("SetTime: %v", err)
	}
	return c, rec
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

// matchesJSON checks that got (built from the accessors) equals the last
// recorded JSON of kind, decoded with encoding/json into the same type.
func matchesJSON[T any](t *testing.T, rec *recorder, kind string, got *T) {
	t.Helper()
	want := decodeStrict[T](t, rec.last(t, kind))
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("%s: accessors and JSON disagree\naccessors: %+v\nJSON:      %+v", kind, got, want)
	}
}

// wantError checks that err is a *stytcherror.Error of the given status and
// type, consistent with the error JSON the library produced.
func wantError(t *testing.T, rec *recorder, err error, status int, errorType string) *stytcherror.Error {
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
	if rec != nil {
		if !strings.HasPrefix(serr.RequestID, "request-id-") {
			t.Fatalf("request_id = %q", serr.RequestID)
		}
		matchesJSON(t, rec, "error", serr)
	}
	return serr
}

func mustCode(t *testing.T, secret string, unix int64) string {
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
