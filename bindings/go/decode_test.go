package stytchtotp

import (
	"encoding/json"
	"reflect"
	"testing"
)

// sameAsEncodingJSON checks that a generated decoder reads body into the
// value encoding/json makes of it.
func sameAsEncodingJSON[T any](t *testing.T, body []byte, read func(*decoder, *T)) *T {
	t.Helper()
	want := new(T)
	if err := json.Unmarshal(body, want); err != nil {
		t.Fatal(err)
	}
	got, err := decode(body, read)
	if err != nil {
		t.Fatalf("%T: %v\n%s", got, err, body)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%T:\n generated    %+v\n encoding/json %+v", got, got, want)
	}
	return got
}

// Every route's body, with escapes, non-ASCII text and nested metadata.
func TestGeneratedDecodersMatchEncodingJSON(t *testing.T) {
	c := testClient(t, Config{Lockout: &Lockout{MaxFailures: 1, DurationMinutes: 5}})
	raw := func(method, path string, body any) []byte {
		t.Helper()
		var b []byte
		if body != nil {
			b, _ = json.Marshal(body)
		}
		out, _ := c.Call(ctx, method, path, b)
		return out
	}
	created := sameAsEncodingJSON(t, raw("POST", "/v1/users", map[string]any{
		"email": "ada@example.com", "phone_number": "+15555550100", "external_id": "ada.1815_x-1",
		"name":             map[string]string{"first_name": "Ad\"a\\ \u00e9 \U0001F600", "last_name": "L\u2028"},
		"trusted_metadata": map[string]any{"a": []any{1, map[string]any{"b": nil}}, "c": "x\ty"},
	}), readUsersCreateResponse)
	uid := created.UserID
	sameAsEncodingJSON(t, raw("GET", "/v1/users/"+uid, nil), readUsersGetResponse)
	totp := sameAsEncodingJSON(t, raw("POST", "/v1/totps", map[string]string{"user_id": uid}), readTotpsCreateResponse)
	sameAsEncodingJSON(t, raw("POST", "/v1/totps/recovery_codes", map[string]string{"user_id": uid}), readTotpsRecoveryCodesResponse)
	code := mustCode(t, totp.Secret, t0)
	sameAsEncodingJSON(t, raw("POST", "/v1/totps/authenticate", map[string]string{"user_id": uid, "totp_code": code}),
		readTotpsAuthenticateResponse)
	sameAsEncodingJSON(t, raw("POST", "/v1/totps/recover", map[string]string{"user_id": uid, "recovery_code": totp.RecoveryCodes[0]}),
		readTotpsRecoverResponse)
	// A locked user: the lock timestamps are set.
	raw("POST", "/v1/totps/recover", map[string]string{"user_id": uid, "recovery_code": "aaaa-bbbb-cccc"})
	locked := sameAsEncodingJSON(t, raw("GET", "/v1/users/"+uid, nil), readUsersGetResponse)
	if !locked.IsLocked || locked.LockExpiresAt == nil || locked.Name.FirstName != "Ad\"a\\ \u00e9 \U0001F600" {
		t.Fatalf("locked user: %+v", locked)
	}
	sameAsEncodingJSON(t, raw("DELETE", "/v1/users/totps/"+totp.TOTPID, nil), readUsersDeleteTOTPResponse)
	sameAsEncodingJSON(t, raw("DELETE", "/v1/users/"+uid, nil), readUsersDeleteResponse)
	sameAsEncodingJSON(t, raw("GET", "/v1/users/"+uid, nil), readStytcherrorError)
}

func TestDecoderRefusesWhatIsNotJSON(t *testing.T) {
	for _, body := range []string{``, `{`, `{"user_id":}`, `{"user_id":"a"`, `{"user_id":"\q"}`, `[1]`, `{"is_locked":tru}`, `{} x`} {
		if _, err := decode([]byte(body), readUsersUser); err == nil {
			t.Errorf("%q decoded without an error", body)
		}
	}
	u, err := decode([]byte(` {"user_id" : "a\u00e9\n" , "unknown": [{"x": [1, 2.5e3, null, true]}], "roles": ["r"]} `), readUsersUser)
	if err != nil || u.UserID != "a\u00e9\n" || len(u.Roles) != 1 {
		t.Fatalf("%+v %v", u, err)
	}
}
