package stytchtotp

import (
	"testing"

	"github.com/stytch-totp/stytch-totp/bindings/go/totps"
)

// Authenticate's parts timed apart, beside the whole (make bench-go): the
// stopped clock's SetTime, the one cgo call that answers with JSON (the
// typed C call, its JSON, the copy into Go and the free), and decoding
// that JSON into stytch-go's structs. bench/ times the C call it wraps.
func BenchmarkAuthenticateParts(b *testing.B) {
	b.Run("SetTime", func(b *testing.B) {
		c, _, _ := enrolled(b)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if err := c.SetTime(t0 + int64(i)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("SetTimeAndCallWithJSON", func(b *testing.B) {
		stepByStep(b, func(c *Client, user, code string) error {
			_, err := c.h.authenticate(user, code)
			return err
		})
	})
	b.Run("Decode", func(b *testing.B) {
		c, user, secret := enrolled(b)
		times, codes := laterSteps(secret, 1)
		c.SetTime(times[0])
		body, err := c.h.authenticate(user, codes[0])
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			// A fresh copy, as each call has: the strings read are slices of it.
			if _, err := decodeText(string([]byte(body)), readTotpsAuthenticateResponse); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Whole", func(b *testing.B) {
		stepByStep(b, func(c *Client, user, code string) error {
			_, err := c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: user, TOTPCode: code})
			return err
		})
	})
}

// stepByStep times b.N authentications by authenticate, each at a step after
// the one before, the stopped clock set to it first (timed too, as bench/
// times it).
func stepByStep(b *testing.B, authenticate func(c *Client, user, code string) error) {
	c, user, secret := enrolled(b)
	times, codes := laterSteps(secret, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.SetTime(times[i])
		if err := authenticate(c, user, codes[i]); err != nil {
			b.Fatal(err)
		}
	}
}

// enrolled is a client on ":memory:" with a user whose TOTP is verified at
// t0: the client, the user's ID and the secret.
func enrolled(b *testing.B) (*Client, string, string) {
	c := testClient(b, Config{})
	user, created := enrol(b, c)
	code := mustCode(b, created.Secret, t0)
	if _, err := c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: user.UserID, TOTPCode: code}); err != nil {
		b.Fatal(err)
	}
	return c, user.UserID, created.Secret
}

// laterSteps is n times after t0, each a step on from the one before (two
// if the next step's code is the same: the window would take it for a
// replay), with their codes.
func laterSteps(secret string, n int) ([]int64, []string) {
	times, codes := make([]int64, n), make([]string, n)
	now := t0
	prev, _ := Code(secret, now)
	for i := range times {
		now += 30
		code, _ := Code(secret, now)
		if code == prev {
			now += 30
			code, _ = Code(secret, now)
		}
		times[i], codes[i], prev = now, code, code
	}
	return times, codes
}
