package stytchtotp

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stytch-totp/stytch-totp/bindings/go/stytcherror"
	"github.com/stytch-totp/stytch-totp/bindings/go/totps"
	"github.com/stytch-totp/stytch-totp/bindings/go/users"
)

const unknownUserID = "user-test-00000000-0000-4000-8000-000000000000"

// Every error type the library emits, each from the call that emits it.
func TestErrors(t *testing.T) {
	c := testClient(t, Config{})
	newUser := func(t *testing.T) string {
		u, err := c.Users.Create(ctx, someone())
		if err != nil {
			t.Fatal(err)
		}
		return u.UserID
	}
	// enrolled returns a user with a verified TOTP (its code at t0 used) and the TOTP.
	enrolled := func(t *testing.T) (string, *totps.CreateResponse) {
		uid := newUser(t)
		created, err := c.TOTPs.Create(ctx, &totps.CreateParams{UserID: uid})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: uid, TOTPCode: mustCode(t, created.Secret, t0)}); err != nil {
			t.Fatal(err)
		}
		return uid, created
	}

	cases := []struct {
		name, errorType string
		status          int
		call            func(t *testing.T) error
	}{
		{"users.get empty id", "invalid_user_id", 400, func(t *testing.T) error {
			_, err := c.Users.Get(ctx, &users.GetParams{})
			return err
		}},
		{"totps.create malformed id", "invalid_user_id", 400, func(t *testing.T) error {
			_, err := c.TOTPs.Create(ctx, &totps.CreateParams{UserID: "user-test-nope"})
			return err
		}},
		{"users.get unknown", "user_not_found", 404, func(t *testing.T) error {
			_, err := c.Users.Get(ctx, &users.GetParams{UserID: unknownUserID})
			return err
		}},
		{"users.delete unknown", "user_not_found", 404, func(t *testing.T) error {
			_, err := c.Users.Delete(ctx, &users.DeleteParams{UserID: unknownUserID})
			return err
		}},
		{"totps.recovery_codes unknown", "user_not_found", 404, func(t *testing.T) error {
			_, err := c.TOTPs.RecoveryCodes(ctx, &totps.RecoveryCodesParams{UserID: unknownUserID})
			return err
		}},
		{"users.create email", "invalid_email", 400, func(t *testing.T) error {
			_, err := c.Users.Create(ctx, &users.CreateParams{Email: "not-an-email"})
			return err
		}},
		{"users.create phone", "invalid_phone_number", 400, func(t *testing.T) error {
			_, err := c.Users.Create(ctx, &users.CreateParams{PhoneNumber: "555-0100"})
			return err
		}},
		{"users.create external_id twice", "duplicate_external_id", 400, func(t *testing.T) error {
			if _, err := c.Users.Create(ctx, &users.CreateParams{ExternalID: "twice", Email: "twice@example.com"}); err != nil {
				t.Fatal(err)
			}
			_, err := c.Users.Create(ctx, &users.CreateParams{ExternalID: "twice", Email: "twice-2@example.com"})
			return err
		}},
		{"users.create email twice", "duplicate_email", 400, func(t *testing.T) error {
			if _, err := c.Users.Create(ctx, &users.CreateParams{Email: "same@example.com"}); err != nil {
				t.Fatal(err)
			}
			_, err := c.Users.Create(ctx, &users.CreateParams{Email: "SAME@example.com"})
			return err
		}},
		{"users.create phone number twice", "duplicate_phone_number", 400, func(t *testing.T) error {
			if _, err := c.Users.Create(ctx, &users.CreateParams{PhoneNumber: "+15550100"}); err != nil {
				t.Fatal(err)
			}
			_, err := c.Users.Create(ctx, &users.CreateParams{PhoneNumber: "+15550100"})
			return err
		}},
		{"users.create control character", "bad_request", 400, func(t *testing.T) error {
			_, err := c.Users.Create(ctx, &users.CreateParams{Email: "ctl@example.com", Name: &users.Name{FirstName: "a\x01b"}})
			return err
		}},
		{"users.delete_totp empty id", "bad_request", 400, func(t *testing.T) error {
			_, err := c.Users.DeleteTOTP(ctx, &users.DeleteTOTPParams{})
			return err
		}},
		{"totps.authenticate session without a project", "invalid_config", 400, func(t *testing.T) error {
			uid, created := enrolled(t)
			_, err := c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: uid,
				TOTPCode: mustCode(t, created.Secret, t0), SessionDurationMinutes: 60})
			return err
		}},
		{"totps.recover session without a project", "invalid_config", 400, func(t *testing.T) error {
			uid, created := enrolled(t)
			_, err := c.TOTPs.Recover(ctx, &totps.RecoverParams{UserID: uid,
				RecoveryCode: created.RecoveryCodes[0], SessionToken: "token"})
			return err
		}},
		{"totps.create expiration", "invalid_expiration", 400, func(t *testing.T) error {
			_, err := c.TOTPs.Create(ctx, &totps.CreateParams{UserID: newUser(t), ExpirationMinutes: 4})
			return err
		}},
		{"totps.create expiration too long", "invalid_expiration", 400, func(t *testing.T) error {
			_, err := c.TOTPs.Create(ctx, &totps.CreateParams{UserID: newUser(t), ExpirationMinutes: 1441})
			return err
		}},
		{"totps.create verified exists", "active_totp_exists", 400, func(t *testing.T) error {
			uid, _ := enrolled(t)
			_, err := c.TOTPs.Create(ctx, &totps.CreateParams{UserID: uid})
			return err
		}},
		{"totps.authenticate no totp", "totp_not_found", 404, func(t *testing.T) error {
			_, err := c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: newUser(t), TOTPCode: "123456"})
			return err
		}},
		{"totps.recover no totp", "totp_not_found", 404, func(t *testing.T) error {
			_, err := c.TOTPs.Recover(ctx, &totps.RecoverParams{UserID: newUser(t), RecoveryCode: "aaaa-bbbb-cccc"})
			return err
		}},
		{"users.delete_totp unknown", "totp_not_found", 404, func(t *testing.T) error {
			_, err := c.Users.DeleteTOTP(ctx, &users.DeleteTOTPParams{TOTPID: "totp-test-00000000-0000-4000-8000-000000000000"})
			return err
		}},
		{"totps.authenticate malformed code", "invalid_totp_code", 400, func(t *testing.T) error {
			uid, _ := enrolled(t)
			_, err := c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: uid, TOTPCode: "12345a"})
			return err
		}},
		{"totps.authenticate expired", "expired_totp", 400, func(t *testing.T) error {
			uid := newUser(t)
			created, err := c.TOTPs.Create(ctx, &totps.CreateParams{UserID: uid, ExpirationMinutes: 5})
			if err != nil {
				t.Fatal(err)
			}
			later := t0 + 6*60
			if err := c.SetTime(later); err != nil {
				t.Fatal(err)
			}
			defer c.SetTime(t0)
			_, err = c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: uid, TOTPCode: mustCode(t, created.Secret, later)})
			return err
		}},
		{"totps.authenticate replay", "totp_code_already_authenticated", 400, func(t *testing.T) error {
			uid, created := enrolled(t)
			_, err := c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: uid, TOTPCode: mustCode(t, created.Secret, t0)})
			return err
		}},
		{"totps.authenticate wrong code", "unable_to_authenticate_totp", 401, func(t *testing.T) error {
			uid, created := enrolled(t)
			code := otherCode(mustCode(t, created.Secret, t0+30))
			_, err := c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: uid, TOTPCode: code})
			return err
		}},
		{"totps.recover malformed", "invalid_recovery_code", 400, func(t *testing.T) error {
			uid, _ := enrolled(t)
			_, err := c.TOTPs.Recover(ctx, &totps.RecoverParams{UserID: uid, RecoveryCode: "nope"})
			return err
		}},
		{"totps.recover totp code", "totp_code_used_as_recovery_code", 400, func(t *testing.T) error {
			uid, _ := enrolled(t)
			_, err := c.TOTPs.Recover(ctx, &totps.RecoverParams{UserID: uid, RecoveryCode: "123456"})
			return err
		}},
		{"totps.recover wrong code", "unable_to_authenticate_recovery_code", 401, func(t *testing.T) error {
			uid, _ := enrolled(t)
			_, err := c.TOTPs.Recover(ctx, &totps.RecoverParams{UserID: uid, RecoveryCode: "aaaa-bbbb-cccc"})
			return err
		}},
		{"totps.authenticate locked", "user_lock_limit_reached", 429, func(t *testing.T) error {
			uid, created := enrolled(t)
			for i := 0; i < 10; i++ {
				c.TOTPs.Recover(ctx, &totps.RecoverParams{UserID: uid, RecoveryCode: "aaaa-bbbb-cccc"})
			}
			_, err := c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: uid, TOTPCode: mustCode(t, created.Secret, t0+30)})
			return err
		}},
	}
	seen := map[string]bool{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, tc.call(t), tc.status, tc.errorType)
			seen[tc.errorType] = true
		})
	}
	for _, errorType := range []string{"invalid_user_id", "user_not_found", "invalid_email",
		"invalid_phone_number", "duplicate_external_id", "bad_request", "invalid_expiration",
		"active_totp_exists", "totp_not_found", "invalid_totp_code", "expired_totp",
		"totp_code_already_authenticated", "unable_to_authenticate_totp", "invalid_recovery_code",
		"totp_code_used_as_recovery_code", "unable_to_authenticate_recovery_code",
		"user_lock_limit_reached"} {
		if !seen[errorType] {
			t.Errorf("%s not covered", errorType)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []Config{
		{Database: ":memory:", Environment: "production"},
		{Database: ":memory:", Lockout: &Lockout{MaxFailures: 101}},
		{Database: ":memory:", Lockout: &Lockout{DurationMinutes: 4}},
	} {
		c, err := NewClient(cfg)
		if c != nil {
			t.Fatalf("%+v: got a client", cfg)
		}
		wantError(t, err, 400, "invalid_config")
	}

	// A file that is not a database fails in NewClient, not at the first call.
	bogus := filepath.Join(t.TempDir(), "not.db")
	if err := os.WriteFile(bogus, []byte("this is not a database, just some text that is long enough"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := NewClient(Config{Database: bogus})
	wantError(t, err, 500, "internal_server_error")
	_, err = NewClient(Config{Database: filepath.Join(t.TempDir(), "missing", "dir", "x.db")})
	wantError(t, err, 500, "internal_server_error")
}

// A NUL byte travels in JSON like any other character, and the library
// judges it (a control character in an ID); only Call's own C strings cannot
// carry one.
func TestNulByte(t *testing.T) {
	c := testClient(t, Config{})
	_, err := c.Users.Get(ctx, &users.GetParams{UserID: "user\x00id"})
	wantError(t, err, 400, "invalid_user_id")
	user, err := c.Users.Create(ctx, someone())
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: user.UserID, TOTPCode: "12\x003456"})
	wantError(t, err, 400, "invalid_totp_code")
	if _, err := c.Call(ctx, "GET", "/v1/users/a\x00b", nil); err == nil || errors.As(err, new(*stytcherror.Error)) {
		t.Fatalf("a NUL in Call's path: %v", err)
	}
	if _, err := NewClient(Config{Database: "a\x00b"}); err == nil || errors.Is(err, ErrClosed) {
		t.Fatalf("NUL in config: %v", err)
	}
}
