package stytchtotp

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/stytch-totp/stytch-totp/bindings/go/sessions"
	"github.com/stytch-totp/stytch-totp/bindings/go/stytcherror"
	"github.com/stytch-totp/stytch-totp/bindings/go/totps"
	"github.com/stytch-totp/stytch-totp/bindings/go/users"
)

// Every bad argument of tests/data/bad_arguments.json, through this binding:
// the error body, less its request_id, is the one every door must give.
//
// The binding sends stytch-go's params structs through the library's JSON
// door, where an empty string is left out (omitempty): so a case's null is
// "" here, and a case that sends "" in a body, a wrong JSON type, bytes that
// are not UTF-8 or a string over the C cap cannot be expressed and is skipped.
func TestBadArgumentsGetTheOneAnswer(t *testing.T) {
	text, err := os.ReadFile("../../tests/data/bad_arguments.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Cases []struct {
			Route  string                     `json:"route"`
			Args   map[string]json.RawMessage `json:"args"`
			Expect map[string]any             `json:"expect"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(text, &file); err != nil {
		t.Fatal(err)
	}
	c := testClient(t, Config{})
	user, err := c.Users.Create(ctx, &users.CreateParams{Email: "ada@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.TOTPs.Create(ctx, &totps.CreateParams{UserID: user.UserID}); err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, tc := range file.Cases {
		inPath := strings.HasPrefix(tc.Route, "users.") && tc.Route != "users.create" ||
			tc.Route == "sessions.get" || tc.Route == "sessions.get_jwks"
		// str returns an argument as this binding sends it, or false.
		str := func(name string) (string, bool) {
			raw, ok := tc.Args[name]
			if !ok || string(raw) == "null" {
				return "", !inPath
			}
			var s string
			if json.Unmarshal(raw, &s) != nil || (s == "" && !inPath) {
				return "", false
			}
			return strings.ReplaceAll(s, "$USER", user.UserID), true
		}
		var call func() error
		switch tc.Route {
		case "users.create":
			// One string field, set by name in stytch-go's params.
			params := &users.CreateParams{}
			fields := map[string]*string{"email": &params.Email, "external_id": &params.ExternalID}
			set := false
			for name := range tc.Args {
				field, known := fields[name]
				value, ok := str(name)
				if len(tc.Args) == 1 && known && ok {
					*field, set = value, true
				}
			}
			if !set {
				continue
			}
			call = func() error { _, err := c.Users.Create(ctx, params); return err }
		case "users.get", "users.delete":
			id, ok := str("user_id")
			if !ok {
				continue
			}
			call = func() error {
				if tc.Route == "users.get" {
					_, err := c.Users.Get(ctx, &users.GetParams{UserID: id})
					return err
				}
				_, err := c.Users.Delete(ctx, &users.DeleteParams{UserID: id})
				return err
			}
		case "users.delete_totp":
			id, ok := str("totp_id")
			if !ok {
				continue
			}
			call = func() error { _, err := c.Users.DeleteTOTP(ctx, &users.DeleteTOTPParams{TOTPID: id}); return err }
		case "totps.create":
			id, ok := str("user_id")
			var minutes int32
			if raw, set := tc.Args["expiration_minutes"]; set && json.Unmarshal(raw, &minutes) != nil {
				ok = false
			}
			if !ok {
				continue
			}
			call = func() error {
				_, err := c.TOTPs.Create(ctx, &totps.CreateParams{UserID: id, ExpirationMinutes: minutes})
				return err
			}
		case "totps.recovery_codes":
			id, ok := str("user_id")
			if !ok {
				continue
			}
			call = func() error { _, err := c.TOTPs.RecoveryCodes(ctx, &totps.RecoveryCodesParams{UserID: id}); return err }
		case "totps.authenticate", "totps.recover":
			id, ok1 := str("user_id")
			code, ok2 := str(map[string]string{"totps.authenticate": "totp_code", "totps.recover": "recovery_code"}[tc.Route])
			if !ok1 || !ok2 {
				continue
			}
			call = func() error {
				if tc.Route == "totps.authenticate" {
					_, err := c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: id, TOTPCode: code})
					return err
				}
				_, err := c.TOTPs.Recover(ctx, &totps.RecoverParams{UserID: id, RecoveryCode: code})
				return err
			}
		case "sessions.authenticate":
			token, ok1 := str("session_token")
			jwt, ok2 := str("session_jwt")
			if !ok1 || !ok2 {
				continue
			}
			call = func() error {
				_, err := c.Sessions.Authenticate(ctx, &sessions.AuthenticateParams{SessionToken: token, SessionJWT: jwt})
				return err
			}
		case "sessions.revoke":
			id, ok1 := str("session_id")
			token, ok2 := str("session_token")
			jwt, ok3 := str("session_jwt")
			if !ok1 || !ok2 || !ok3 {
				continue
			}
			call = func() error {
				_, err := c.Sessions.Revoke(ctx, &sessions.RevokeParams{SessionID: id, SessionToken: token, SessionJWT: jwt})
				return err
			}
		case "sessions.get":
			id, ok := str("user_id")
			if !ok {
				continue
			}
			call = func() error { _, err := c.Sessions.Get(ctx, &sessions.GetParams{UserID: id}); return err }
		case "sessions.get_jwks":
			id, ok := str("project_id")
			if !ok {
				continue
			}
			call = func() error { _, err := c.Sessions.GetJWKS(ctx, &sessions.GetJWKSParams{ProjectID: id}); return err }
		default:
			t.Fatalf("unknown route %s", tc.Route)
		}
		var serr *stytcherror.Error
		if err := call(); !errors.As(err, &serr) {
			t.Fatalf("%s %s: want an error, got %v", tc.Route, tc.Args, err)
		}
		body, _ := json.Marshal(serr)
		var got map[string]any
		json.Unmarshal(body, &got)
		if !strings.HasPrefix(got["request_id"].(string), "request-id-test-") {
			t.Fatalf("request_id %v", got["request_id"])
		}
		delete(got, "request_id")
		if !reflect.DeepEqual(got, tc.Expect) {
			t.Errorf("%s %s:\n got  %v\n want %v", tc.Route, tc.Args, got, tc.Expect)
		}
		ran++
	}
	if ran < 25 {
		t.Fatalf("only %d cases ran", ran)
	}
	t.Logf("%d of %d cases ran through this binding", ran, len(file.Cases))
}

// Authenticate with just a user and a code goes through the typed C call;
// every such call answers as the JSON door answers the same request (less
// the IDs and request_id, which differ between the two clients), a success
// too, at a fresh step each time.
func TestAuthenticateTypedAnswersAsTheDoor(t *testing.T) {
	typed, door := testClient(t, Config{}), testClient(t, Config{})
	secrets, ids := map[*Client]string{}, map[*Client]string{}
	for _, c := range []*Client{typed, door} {
		user, err := c.Users.Create(ctx, &users.CreateParams{Email: "ada@example.com", ExternalID: "ada"})
		if err != nil {
			t.Fatal(err)
		}
		created, err := c.TOTPs.Create(ctx, &totps.CreateParams{UserID: user.UserID})
		if err != nil {
			t.Fatal(err)
		}
		secrets[c], ids[c] = created.Secret, user.UserID
	}
	anyID := regexp.MustCompile(`(request-id|user|totp|email)-test-[0-9a-f-]{36}`)
	// outcome is a response or an error as JSON, its IDs replaced.
	outcome := func(resp *totps.AuthenticateResponse, err error) string {
		var value any = resp
		var serr stytcherror.Error
		if errors.As(err, &serr) {
			value = serr
		} else if err != nil {
			t.Fatal(err)
		}
		text, _ := json.Marshal(value)
		return anyID.ReplaceAllString(string(text), "$1-ID")
	}
	for step, tc := range []struct{ user, code string }{
		{"", "right"}, {"", "000000"}, {"", "12345"}, {"", "abcdef"}, {"", "right"},
		{"ada", "right"}, {"user-test-00000000-0000-4000-8000-000000000000", "123456"}, {"nobody", "123456"},
		{"", "１２３４５６"}, {"", "\xff\xfe"}, {"", "12\x003456"},
		{strings.Repeat("a", typedMax), "123456"}, {strings.Repeat("a", typedMax+1), "123456"},
		{strings.Repeat("<", typedMax), "123456"}, {strings.Repeat("a", 100000), "123456"},
	} {
		now := t0 + 30*int64(step)
		var got, want string
		for _, c := range []*Client{typed, door} {
			if err := c.SetTime(now); err != nil {
				t.Fatal(err)
			}
			user, code := tc.user, tc.code
			if user == "" {
				user = ids[c]
			}
			if code == "right" {
				code, _ = Code(secrets[c], now)
			}
			if c == typed {
				got = outcome(c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: user, TOTPCode: code}))
				continue
			}
			body, _ := json.Marshal(map[string]string{"user_id": user, "totp_code": code})
			if resp, err := c.Call(ctx, "POST", "/v1/totps/authenticate", body); err != nil {
				want = outcome(nil, err)
			} else {
				want = outcome(decode(resp, readTotpsAuthenticateResponse))
			}
		}
		if got != want {
			t.Errorf("case %d (%q, %q):\n typed %s\n door  %s", step, tc.user, tc.code, got, want)
		}
	}
}
