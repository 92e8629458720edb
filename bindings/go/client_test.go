package stytchtotp

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stytch-totp/stytch-totp/bindings/go/stytcherror"
	"github.com/stytch-totp/stytch-totp/bindings/go/totps"
	"github.com/stytch-totp/stytch-totp/bindings/go/users"
)

var ctx = context.Background()

func TestVersion(t *testing.T) {
	if v := Version(); !regexp.MustCompile(`^\d+\.\d+\.\d+`).MatchString(v) {
		t.Fatalf("Version() = %q", v)
	}
	if err := checkVersion(); err != nil {
		t.Fatal(err)
	}
}

func TestCode(t *testing.T) {
	// RFC 6238 appendix B, SHA1 ("12345678901234567890"), last 6 digits.
	secret := "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	for unix, want := range map[int64]string{59: "287082", 1111111109: "081804", 2000000000: "279037"} {
		if got := mustCode(t, secret, unix); got != want {
			t.Errorf("Code(%d) = %s, want %s", unix, got, want)
		}
	}
	if got := mustCode(t, strings.ToLower(secret), 59); got != "287082" {
		t.Errorf("lower-case secret: %s", got)
	}
	for _, bad := range []string{"", "not base32!", "AB\x00CD"} {
		if _, err := Code(bad, 59); !errors.Is(err, ErrInvalidSecret) {
			t.Errorf("Code(%q): %v", bad, err)
		}
	}
}

func TestUsers(t *testing.T) {
	c := testClient(t, Config{})
	created, err := c.Users.Create(ctx, &users.CreateParams{
		Email:             "ada@example.com",
		PhoneNumber:       "+15555550100",
		Name:              &users.Name{FirstName: "Ada", LastName: "Lovelace"},
		ExternalID:        "ada-1815",
		TrustedMetadata:   map[string]any{"plan": "pro", "seats": 3.0},
		UntrustedMetadata: map[string]any{"theme": "dark"},
	})
	if err != nil {
		t.Fatal(err)
	}
	u := created.User
	if created.StatusCode != 200 || !strings.HasPrefix(created.UserID, "user-test-") ||
		u.UserID != created.UserID || created.Status != "active" ||
		!strings.HasPrefix(created.EmailID, "email-test-") || !strings.HasPrefix(created.PhoneID, "phone-number-test-") {
		t.Fatalf("create: %+v", created)
	}
	if len(u.Emails) != 1 || u.Emails[0].Email != "ada@example.com" || u.Emails[0].Verified ||
		len(u.PhoneNumbers) != 1 || u.PhoneNumbers[0].PhoneNumber != "+15555550100" ||
		u.Name.FirstName != "Ada" || u.Name.LastName != "Lovelace" || u.ExternalID != "ada-1815" ||
		u.TrustedMetadata["plan"] != "pro" || u.UntrustedMetadata["theme"] != "dark" ||
		u.CreatedAt == nil || u.CreatedAt.Unix() != t0 || u.IsLocked || u.LockCreatedAt != nil {
		t.Fatalf("user: %+v", u)
	}

	for _, id := range []string{created.UserID, "ada-1815"} {
		got, err := c.Users.Get(ctx, &users.GetParams{UserID: id})
		if err != nil {
			t.Fatal(err)
		}
		if got.UserID != created.UserID || got.StatusCode != 200 || got.Name.FirstName != "Ada" || len(got.TOTPs) != 0 {
			t.Fatalf("get %s: %+v", id, got)
		}
	}

	// A user needs an email or a phone number.
	_, err = c.Users.Create(ctx, nil)
	wantError(t, err, 400, "bad_request")

	deleted, err := c.Users.Delete(ctx, &users.DeleteParams{UserID: "ada-1815"})
	if err != nil {
		t.Fatal(err)
	}
	if deleted.UserID != created.UserID || deleted.StatusCode != 200 {
		t.Fatalf("delete: %+v", deleted)
	}
	_, err = c.Users.Get(ctx, &users.GetParams{UserID: created.UserID})
	wantError(t, err, 404, "user_not_found")
}

func TestTOTPWalkThrough(t *testing.T) {
	c := testClient(t, Config{Issuer: "Example"})
	user, err := c.Users.Create(ctx, &users.CreateParams{Email: "grace@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	uid := user.UserID

	created, err := c.TOTPs.Create(ctx, &totps.CreateParams{UserID: uid, ExpirationMinutes: 60})
	if err != nil {
		t.Fatal(err)
	}
	if created.StatusCode != 200 || created.UserID != uid || !strings.HasPrefix(created.TOTPID, "totp-test-") ||
		!regexp.MustCompile(`^[A-Z2-7]{32}$`).MatchString(created.Secret) ||
		!strings.HasPrefix(created.QrCode, "data:image/png;base64,") || len(created.RecoveryCodes) != 10 ||
		len(created.User.TOTPs) != 1 || created.User.TOTPs[0].Verified {
		t.Fatalf("create: %+v", created)
	}
	for _, rc := range created.RecoveryCodes {
		if !regexp.MustCompile(`^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$`).MatchString(rc) {
			t.Fatalf("recovery code %q", rc)
		}
	}

	code := mustCode(t, created.Secret, t0)
	auth, err := c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: uid, TOTPCode: code})
	if err != nil {
		t.Fatal(err)
	}
	if auth.StatusCode != 200 || auth.TOTPID != created.TOTPID || auth.UserID != uid || auth.Session != nil ||
		auth.SessionToken != "" || auth.SessionJWT != "" || !auth.User.TOTPs[0].Verified {
		t.Fatalf("authenticate: %+v", auth)
	}

	_, err = c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: uid, TOTPCode: code})
	wantError(t, err, 400, "totp_code_already_authenticated")

	// The next step's code works once the clock gets there; by external_id too.
	if err := c.SetTime(t0 + 30); err != nil {
		t.Fatal(err)
	}
	if _, err := c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: uid, TOTPCode: mustCode(t, created.Secret, t0+30)}); err != nil {
		t.Fatal(err)
	}

	codes, err := c.TOTPs.RecoveryCodes(ctx, &totps.RecoveryCodesParams{UserID: uid})
	if err != nil {
		t.Fatal(err)
	}
	if codes.StatusCode != 200 || codes.UserID != uid || len(codes.TOTPs) != 1 || !codes.TOTPs[0].Verified ||
		codes.TOTPs[0].TOTPID != created.TOTPID || len(codes.TOTPs[0].RecoveryCodes) != 10 {
		t.Fatalf("recovery codes: %+v", codes)
	}

	// Either case, dashes optional.
	rc := strings.ToUpper(strings.ReplaceAll(created.RecoveryCodes[3], "-", ""))
	recovered, err := c.TOTPs.Recover(ctx, &totps.RecoverParams{UserID: uid, RecoveryCode: rc})
	if err != nil {
		t.Fatal(err)
	}
	if recovered.StatusCode != 200 || recovered.TOTPID != created.TOTPID || recovered.UserID != uid || recovered.Session != nil {
		t.Fatalf("recover: %+v", recovered)
	}
	_, err = c.TOTPs.Recover(ctx, &totps.RecoverParams{UserID: uid, RecoveryCode: created.RecoveryCodes[3]})
	wantError(t, err, 401, "unable_to_authenticate_recovery_code")
	codes, err = c.TOTPs.RecoveryCodes(ctx, &totps.RecoveryCodesParams{UserID: uid})
	if err != nil || len(codes.TOTPs[0].RecoveryCodes) != 9 {
		t.Fatalf("after recover: %+v %v", codes, err)
	}

	// A verified TOTP blocks a new one until it is deleted.
	_, err = c.TOTPs.Create(ctx, &totps.CreateParams{UserID: uid})
	wantError(t, err, 400, "active_totp_exists")
	removed, err := c.Users.DeleteTOTP(ctx, &users.DeleteTOTPParams{TOTPID: created.TOTPID})
	if err != nil {
		t.Fatal(err)
	}
	if removed.StatusCode != 200 || removed.UserID != uid || len(removed.User.TOTPs) != 0 {
		t.Fatalf("delete totp: %+v", removed)
	}
	again, err := c.TOTPs.Create(ctx, &totps.CreateParams{UserID: uid})
	if err != nil || again.TOTPID == created.TOTPID {
		t.Fatalf("re-enrol: %+v %v", again, err)
	}
}

func TestPendingTOTPIsReplaced(t *testing.T) {
	c := testClient(t, Config{})
	user, err := c.Users.Create(ctx, someone())
	if err != nil {
		t.Fatal(err)
	}
	first, err := c.TOTPs.Create(ctx, &totps.CreateParams{UserID: user.UserID})
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.TOTPs.Create(ctx, &totps.CreateParams{UserID: user.UserID})
	if err != nil {
		t.Fatal(err)
	}
	if len(second.User.TOTPs) != 1 || second.User.TOTPs[0].TOTPID != second.TOTPID || second.TOTPID == first.TOTPID {
		t.Fatalf("second create: %+v", second.User.TOTPs)
	}
}

func TestLockout(t *testing.T) {
	c := testClient(t, Config{Lockout: &Lockout{MaxFailures: 2, DurationMinutes: 5}})
	user, _ := c.Users.Create(ctx, someone())
	created, err := c.TOTPs.Create(ctx, &totps.CreateParams{UserID: user.UserID})
	if err != nil {
		t.Fatal(err)
	}
	good := mustCode(t, created.Secret, t0)
	for i := 0; i < 2; i++ {
		_, err := c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: user.UserID, TOTPCode: otherCode(good)})
		wantError(t, err, 401, "unable_to_authenticate_totp")
	}
	_, err = c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: user.UserID, TOTPCode: good})
	wantError(t, err, 429, "user_lock_limit_reached")
	_, err = c.TOTPs.Recover(ctx, &totps.RecoverParams{UserID: user.UserID, RecoveryCode: created.RecoveryCodes[0]})
	wantError(t, err, 429, "user_lock_limit_reached")

	got, err := c.Users.Get(ctx, &users.GetParams{UserID: user.UserID})
	if err != nil {
		t.Fatal(err)
	}
	if !got.IsLocked || got.LockCreatedAt == nil || got.LockExpiresAt == nil ||
		got.LockExpiresAt.Sub(*got.LockCreatedAt) != 5*time.Minute {
		t.Fatalf("locked user: %+v", got)
	}

	// After the lock expires, a fresh code works.
	later := t0 + 6*60
	if err := c.SetTime(later); err != nil {
		t.Fatal(err)
	}
	if _, err := c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: user.UserID, TOTPCode: mustCode(t, created.Secret, later)}); err != nil {
		t.Fatal(err)
	}
}

func TestSetTimeAndSystemClock(t *testing.T) {
	c := testClient(t, Config{})
	err := c.SetTime(-1)
	wantError(t, err, 400, "bad_request")
	if err := c.UseSystemClock(); err != nil {
		t.Fatal(err)
	}
	user, err := c.Users.Create(ctx, someone())
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(*user.User.CreatedAt); d < -2*time.Second || d > time.Minute {
		t.Fatalf("created_at %v is not now", user.User.CreatedAt)
	}
}

func TestCall(t *testing.T) {
	c := testClient(t, Config{})
	body, err := c.Call(ctx, "POST", "/v1/users", []byte(`{"email":"raw@example.com"}`))
	if err != nil {
		t.Fatal(err)
	}
	created := decodeStrict[users.CreateResponse](t, string(body))
	if created.StatusCode != 200 || created.User.Emails[0].Email != "raw@example.com" {
		t.Fatalf("call: %s", body)
	}
	body, err = c.Call(ctx, "GET", "/v1/users/"+created.UserID, nil)
	if err != nil || decodeStrict[users.GetResponse](t, string(body)).UserID != created.UserID {
		t.Fatalf("get: %s %v", body, err)
	}
	body, err = c.Call(ctx, "GET", "/v1/nowhere", nil)
	wantError(t, err, 404, "route_not_found")
	if !strings.Contains(string(body), "route_not_found") {
		t.Fatalf("error body: %s", body)
	}
}

func TestContextCanceled(t *testing.T) {
	c := testClient(t, Config{})
	done, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.Users.Create(done, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("Users.Create: %v", err)
	}
	if _, err := c.TOTPs.Authenticate(done, &totps.AuthenticateParams{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("TOTPs.Authenticate: %v", err)
	}
}

func TestDatabaseFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "totp.db")
	a := testClient(t, Config{Database: path, Environment: EnvironmentLive})
	b := testClient(t, Config{Database: path, Environment: EnvironmentLive})
	user, err := a.Users.Create(ctx, &users.CreateParams{ExternalID: "shared", Email: "shared@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(user.UserID, "user-live-") {
		t.Fatalf("live user id: %s", user.UserID)
	}
	// Another client on the same file sees the user, and so does a reopened one.
	if _, err := b.Users.Get(ctx, &users.GetParams{UserID: "shared"}); err != nil {
		t.Fatal(err)
	}
	a.Close()
	b.Close()
	c := testClient(t, Config{Database: path})
	got, err := c.Users.Get(ctx, &users.GetParams{UserID: user.UserID})
	if err != nil || got.ExternalID != "shared" {
		t.Fatalf("reopened: %+v %v", got, err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
}

// The generated structs hold every field the library sends: each body,
// decoded with unknown fields refused, leaves nothing behind.
func TestStructsHoldEveryField(t *testing.T) {
	c := testClient(t, Config{})
	raw := func(method, path, body string) string {
		t.Helper()
		out, err := c.Call(ctx, method, path, []byte(body))
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		return string(out)
	}
	created := decodeStrict[users.CreateResponse](t, raw("POST", "/v1/users",
		`{"email":"j@example.com","phone_number":"+15555550100","external_id":"j","name":{"first_name":"J"},"trusted_metadata":{"a":1}}`))
	uid := created.UserID
	decodeStrict[users.GetResponse](t, raw("GET", "/v1/users/"+uid, ""))
	totp := decodeStrict[totps.CreateResponse](t, raw("POST", "/v1/totps", `{"user_id":"`+uid+`"}`))
	decodeStrict[totps.RecoveryCodesResponse](t, raw("POST", "/v1/totps/recovery_codes", `{"user_id":"`+uid+`"}`))
	code := mustCode(t, totp.Secret, t0)
	decodeStrict[totps.AuthenticateResponse](t, raw("POST", "/v1/totps/authenticate", `{"user_id":"`+uid+`","totp_code":"`+code+`"}`))
	decodeStrict[totps.RecoverResponse](t, raw("POST", "/v1/totps/recover", `{"user_id":"`+uid+`","recovery_code":"`+totp.RecoveryCodes[0]+`"}`))
	decodeStrict[users.DeleteTOTPResponse](t, raw("DELETE", "/v1/users/totps/"+totp.TOTPID, ""))
	decodeStrict[users.DeleteResponse](t, raw("DELETE", "/v1/users/"+uid, ""))
	_, err := c.Call(ctx, "GET", "/v1/users/"+uid, nil)
	var serr *stytcherror.Error
	if !errors.As(err, &serr) {
		t.Fatalf("want an error, got %v", err)
	}
	body, _ := c.Call(ctx, "GET", "/v1/users/"+uid, nil)
	decodeStrict[stytcherror.Error](t, string(body))
}

func TestUsersSearch(t *testing.T) {
	c := testClient(t, Config{})
	var ids []string
	for i := 0; i < 3; i++ {
		u, err := c.Users.Create(ctx, &users.CreateParams{Email: fmt.Sprintf("s%d@example.com", i)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.UserID)
	}
	sort.Strings(ids)
	byEmail := &users.SearchUsersQuery{
		Operator: users.SearchUsersQueryOperatorAND,
		Operands: []map[string]any{{"filter_name": "email_address", "filter_value": []string{"S1@example.com"}}},
	}
	found, err := c.Users.Search(ctx, &users.SearchParams{Query: byEmail})
	if err != nil {
		t.Fatal(err)
	}
	if len(found.Results) != 1 || found.Results[0].Emails[0].Email != "s1@example.com" || found.ResultsMetadata.Total != 1 {
		t.Fatalf("search by email: %+v", found)
	}
	first, err := c.Users.Search(ctx, &users.SearchParams{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Results) != 2 || first.Results[0].UserID != ids[0] || first.ResultsMetadata.NextCursor == "" {
		t.Fatalf("first page: %+v", first)
	}
	rest, err := c.Users.Search(ctx, &users.SearchParams{Limit: 2, Cursor: first.ResultsMetadata.NextCursor})
	if err != nil {
		t.Fatal(err)
	}
	if len(rest.Results) != 1 || rest.Results[0].UserID != ids[2] || rest.ResultsMetadata.NextCursor != "" {
		t.Fatalf("last page: %+v", rest)
	}
	_, err = c.Users.Search(ctx, &users.SearchParams{Query: &users.SearchUsersQuery{Operator: "XOR"}})
	wantError(t, err, 400, "bad_request")
}
