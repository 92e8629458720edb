// Package bench compares the Go binding with github.com/pquerna/otp, the
// common pure-Go TOTP library, in one run:
//
//	go test -run '^$' -bench . -count 10
//
// The binding does more work per call than pquerna: a database transaction,
// replay and lockout state, IDs and the whole Stytch response.
package bench

import (
	"bytes"
	"context"
	"image/png"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	stytchtotp "github.com/stytch-totp/stytch-totp/bindings/go"
	"github.com/stytch-totp/stytch-totp/bindings/go/stytcherror"
	"github.com/stytch-totp/stytch-totp/bindings/go/totps"
	"github.com/stytch-totp/stytch-totp/bindings/go/users"
)

const t0 = int64(1714521600)

var ctx = context.Background()

// enrolled opens an in-memory client with a user whose TOTP is verified at t0.
func enrolled(b *testing.B, cfg stytchtotp.Config) (*stytchtotp.Client, string, string) {
	b.Helper()
	cfg.Database = ":memory:"
	c, err := stytchtotp.NewClient(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	c.SetTime(t0)
	user, err := c.Users.Create(ctx, &users.CreateParams{Email: "bench@example.com"})
	if err != nil {
		b.Fatal(err)
	}
	created, err := c.TOTPs.Create(ctx, &totps.CreateParams{UserID: user.UserID})
	if err != nil {
		b.Fatal(err)
	}
	code, _ := stytchtotp.Code(created.Secret, t0)
	if _, err := c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: user.UserID, TOTPCode: code}); err != nil {
		b.Fatal(err)
	}
	return c, user.UserID, created.Secret
}

// steps returns n times, one or more 30 s steps apart after t0, with their
// codes. A step whose code equals the previous step's is skipped: the window
// (T-1..T+1) would match it to the step already used, a replay.
func steps(secret string, n int) ([]int64, []string) {
	times, codes := make([]int64, n), make([]string, n)
	prev, _ := stytchtotp.Code(secret, t0)
	now := t0
	for i := 0; i < n; i++ {
		now += 30
		code, _ := stytchtotp.Code(secret, now)
		if code == prev {
			now += 30
			code, _ = stytchtotp.Code(secret, now)
		}
		times[i], codes[i], prev = now, code, code
	}
	return times, codes
}

// Success: each iteration moves the stopped clock one 30 s step on (replay
// protection refuses a step already used) and authenticates that step's
// code, computed before the timer starts. The timed loop includes SetTime.
func BenchmarkAuthenticateSuccess(b *testing.B) {
	c, uid, secret := enrolled(b, stytchtotp.Config{})
	times, codes := steps(secret, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := c.SetTime(times[i]); err != nil {
			b.Fatal(err)
		}
		resp, err := c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: uid, TOTPCode: codes[i]})
		if err != nil || resp.User.CreatedAt == nil {
			b.Fatal(err)
		}
	}
}

// The same loop in C (cdirect.go): stytch_client_set_time,
// stytch_totp_authenticate and its free, run by one cgo call; the C call the
// binding's Authenticate is compared with.
func BenchmarkAuthenticateSuccessC(b *testing.B) {
	c, secret, err := newCClient(t0)
	if err != nil {
		b.Fatal(err)
	}
	defer c.close()
	code, _ := stytchtotp.Code(secret, t0)
	if c.authenticate([]int64{t0}, []string{code}) != 0 {
		b.Fatal("the first authentication failed")
	}
	times, codes := steps(secret, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	if failed := c.authenticate(times, codes); failed != 0 {
		b.Fatalf("%d of %d authentications failed", failed, b.N)
	}
}

// Failure: a wrong code, counted (401 unable_to_authenticate_totp). Every
// 100 failures lock the user for 5 minutes, so the clock jumps 301 s then
// and the lock clears.
func BenchmarkAuthenticateFailure(b *testing.B) {
	c, uid, secret := enrolled(b, stytchtotp.Config{Lockout: &stytchtotp.Lockout{MaxFailures: 100, DurationMinutes: 5}})
	now := t0
	good, _ := stytchtotp.Code(secret, now)
	wrong := []byte(good)
	wrong[0] = '0' + (wrong[0]-'0'+5)%10
	params := &totps.AuthenticateParams{UserID: uid, TOTPCode: string(wrong)}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%100 == 0 {
			now += 301
			c.SetTime(now)
		}
		_, err := c.TOTPs.Authenticate(ctx, params)
		if serr, ok := err.(stytcherror.Error); !ok || serr.ErrorType != "unable_to_authenticate_totp" {
			b.Fatalf("iteration %d: %v", i, err)
		}
	}
}

// pquerna's Validate: the code check alone, no state.
func BenchmarkPquernaValidate(b *testing.B) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "Stytch TOTP", AccountName: "bench@example.com"})
	if err != nil {
		b.Fatal(err)
	}
	when := time.Unix(t0, 0)
	code, _ := totp.GenerateCode(key.Secret(), when)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := totp.ValidateCustom(code, key.Secret(), when, totp.ValidateOpts{Period: 30, Skew: 1, Digits: 6}); err != nil {
			b.Fatal(err)
		}
	}
}

// pquerna's Validate with the wall clock (the usual call; the code is then
// usually wrong, so this is its failure path).
func BenchmarkPquernaValidateNow(b *testing.B) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "Stytch TOTP", AccountName: "bench@example.com"})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		totp.Validate("123456", key.Secret())
	}
}

// Create: a new TOTP for one user (secret, QR code PNG, 10 recovery codes,
// stored); the pending one is replaced each time.
func BenchmarkCreate(b *testing.B) {
	c, err := stytchtotp.NewClient(stytchtotp.Config{Database: ":memory:"})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	user, err := c.Users.Create(ctx, &users.CreateParams{Email: "bench@example.com"})
	if err != nil {
		b.Fatal(err)
	}
	params := &totps.CreateParams{UserID: user.UserID}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := c.TOTPs.Create(ctx, params)
		if err != nil || len(resp.QrCode) < 100 {
			b.Fatal(err)
		}
	}
}

// pquerna's Generate plus the QR code as a PNG (key.Image + png.Encode),
// the equivalent of what Create returns.
func BenchmarkPquernaGeneratePNG(b *testing.B) {
	var buf bytes.Buffer
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		key, err := totp.Generate(totp.GenerateOpts{Issuer: "Stytch TOTP", AccountName: "bench@example.com"})
		if err != nil {
			b.Fatal(err)
		}
		img, err := key.Image(228, 228)
		if err != nil {
			b.Fatal(err)
		}
		buf.Reset()
		if err := png.Encode(&buf, img); err != nil {
			b.Fatal(err)
		}
	}
}
