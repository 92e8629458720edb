package stytchtotp

import (
	"testing"

	"github.com/stytch-totp/stytch-totp/bindings/go/stytcherror"
	"github.com/stytch-totp/stytch-totp/bindings/go/totps"
	"github.com/stytch-totp/stytch-totp/bindings/go/users"
)

// Two ways to build the Go response from a library handle: the per-field
// accessors (what the package does) or decoding the handle's JSON.
var modes = []struct {
	name    string
	viaJSON bool
}{{"accessors", false}, {"json", true}}

func benchClient(b *testing.B, cfg Config, viaJSON bool) (*Client, string, *totps.CreateResponse) {
	b.Helper()
	cfg.Database = ":memory:"
	c, err := newClient(cfg, options{viaJSON: viaJSON})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	c.SetTime(t0)
	user, err := c.Users.Create(ctx, &users.CreateParams{Email: "bench@example.com", Name: &users.Name{FirstName: "Ada"}})
	if err != nil {
		b.Fatal(err)
	}
	created, err := c.TOTPs.Create(ctx, &totps.CreateParams{UserID: user.UserID})
	if err != nil {
		b.Fatal(err)
	}
	code, _ := Code(created.Secret, t0)
	if _, err := c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: user.UserID, TOTPCode: code}); err != nil {
		b.Fatal(err)
	}
	return c, user.UserID, created
}

// Success path: the clock moves one step per iteration (a used step is a
// replay), codes computed before the timer starts; SetTime is in the loop.
func BenchmarkAuthenticate(b *testing.B) {
	for _, m := range modes {
		b.Run(m.name, func(b *testing.B) {
			c, uid, created := benchClient(b, Config{}, m.viaJSON)
			times, codes := make([]int64, b.N), make([]string, b.N)
			prev, _ := Code(created.Secret, t0)
			now := t0 + 30
			for i := range codes {
				code, _ := Code(created.Secret, now)
				if code == prev { // the window would match the used step
					now += 30
					code, _ = Code(created.Secret, now)
				}
				times[i], codes[i], prev = now, code, code
				now += 30
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				c.SetTime(times[i])
				resp, err := c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: uid, TOTPCode: codes[i]})
				if err != nil || resp.User.CreatedAt == nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Failure path: a wrong code (401, counted); the clock jumps past the lock
// every 100 failures.
func BenchmarkAuthenticateWrongCode(b *testing.B) {
	c, uid, created := benchClient(b, Config{Lockout: &Lockout{MaxFailures: 100, DurationMinutes: 5}}, false)
	good, _ := Code(created.Secret, t0)
	params := &totps.AuthenticateParams{UserID: uid, TOTPCode: otherCode(good)}
	now := t0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%100 == 0 {
			now += 301
			c.SetTime(now)
		}
		_, err := c.TOTPs.Authenticate(ctx, params)
		if serr, ok := err.(*stytcherror.Error); !ok || serr.ErrorType != "unable_to_authenticate_totp" {
			b.Fatal(err)
		}
	}
}

func BenchmarkCreate(b *testing.B) {
	for _, m := range modes {
		b.Run(m.name, func(b *testing.B) {
			c, _, _ := benchClient(b, Config{}, m.viaJSON)
			user, err := c.Users.Create(ctx, &users.CreateParams{Email: "new@example.com"})
			if err != nil {
				b.Fatal(err)
			}
			// The user's pending TOTP is replaced each time.
			params := &totps.CreateParams{UserID: user.UserID}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := c.TOTPs.Create(ctx, params); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSetTime(b *testing.B) {
	c, _, _ := benchClient(b, Config{}, false)
	for i := 0; i < b.N; i++ {
		c.SetTime(t0 + int64(i))
	}
}
