package stytchtotp

import (
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"github.com/stytch-totp/stytch-totp/bindings/go/sessions"
	"github.com/stytch-totp/stytch-totp/bindings/go/stytcherror"
	"github.com/stytch-totp/stytch-totp/bindings/go/totps"
	"github.com/stytch-totp/stytch-totp/bindings/go/users"
)

// Calls return stytcherror.Error by value, as stytch-go does, and errors.As
// matches it with a target of either form, wrapped or not; a *Error (as
// code of its own may build) matches both forms too.
func TestErrorsAsBothForms(t *testing.T) {
	c := testClient(t, Config{})
	_, err := c.Users.Get(ctx, &users.GetParams{UserID: unknownUserID})
	if _, ok := err.(stytcherror.Error); !ok {
		t.Fatalf("the error is a %T, not a stytcherror.Error value", err)
	}
	byPointer := &stytcherror.Error{StatusCode: 404, ErrorType: stytcherror.UserNotFound}
	for name, err := range map[string]error{
		"value":           err,
		"wrapped value":   fmt.Errorf("loading the user: %w", err),
		"pointer":         byPointer,
		"wrapped pointer": fmt.Errorf("loading the user: %w", byPointer),
	} {
		var value stytcherror.Error
		if !errors.As(err, &value) || value.ErrorType != stytcherror.UserNotFound || value.StatusCode != 404 {
			t.Errorf("%s: errors.As by value: %+v", name, value)
		}
		var pointer *stytcherror.Error
		if !errors.As(err, &pointer) || pointer == nil || pointer.ErrorType != stytcherror.UserNotFound {
			t.Errorf("%s: errors.As by pointer: %+v", name, pointer)
		}
	}
	// A target of another type is not filled.
	var other *fs.PathError
	if errors.As(err, &other) {
		t.Fatal("errors.As matched an unrelated type")
	}
	// The pointer errors.As gives is a copy: changing it leaves the error alone.
	var pointer *stytcherror.Error
	errors.As(err, &pointer)
	pointer.ErrorType = "changed"
	if err.(stytcherror.Error).ErrorType != stytcherror.UserNotFound {
		t.Fatal("errors.As shared the returned error's memory")
	}
}

func TestErrorText(t *testing.T) {
	e := stytcherror.Error{StatusCode: 400, RequestID: "request-id-1", ErrorType: "bad_request",
		ErrorMessage: "m", ErrorURL: "u", ErrorDetails: stytcherror.Details{"k": "v"}}
	want := "Stytch Error - request ID: request-id-1, status code: 400, type: bad_request, message: m error_url: u error_details: map[k:v]"
	if e.Error() != want {
		t.Fatalf("Error() = %q, want %q", e.Error(), want)
	}
}

func TestAuthenticateWithClaims(t *testing.T) {
	c := testClient(t, Config{})
	user, err := c.Users.Create(ctx, someone())
	if err != nil {
		t.Fatal(err)
	}
	created, err := c.TOTPs.Create(ctx, &totps.CreateParams{UserID: user.UserID})
	if err != nil {
		t.Fatal(err)
	}
	params := &totps.AuthenticateParams{UserID: user.UserID, TOTPCode: mustCode(t, created.Secret, t0)}

	claims := map[string]any{"stale": true}
	resp, err := c.TOTPs.AuthenticateWithClaims(ctx, params, &claims)
	if err != nil {
		t.Fatal(err)
	}
	if resp.UserID != user.UserID || resp.TOTPID != created.TOTPID || resp.StatusCode != 200 {
		t.Fatalf("response: %+v", resp)
	}
	// No session in the response: no claims.
	if claims != nil {
		t.Fatalf("claims without a session: %v", claims)
	}
	// The code is used up, as by Authenticate; the error comes back as is.
	_, err = c.TOTPs.AuthenticateWithClaims(ctx, params, nil)
	wantError(t, err, 400, "totp_code_already_authenticated")
}

// The claims of a session reach a map or a struct, by the json tags, as
// stytch-go's mapstructure decoding fills them.
func TestDecodeClaims(t *testing.T) {
	session := &sessions.Session{CustomClaims: map[string]any{"role": "admin", "level": float64(3),
		"org": map[string]any{"id": "org-1"}}}

	var m map[string]any
	if err := decodeClaims(session, &m); err != nil || !reflect.DeepEqual(m, session.CustomClaims) {
		t.Fatalf("map: %v %v", m, err)
	}
	type org struct {
		ID string `json:"id"`
	}
	var s struct {
		Role  string `json:"role"`
		Level int    `json:"level"`
		Org   org    `json:"org"`
	}
	if err := decodeClaims(session, &s); err != nil || s.Role != "admin" || s.Level != 3 || s.Org.ID != "org-1" {
		t.Fatalf("struct: %+v %v", s, err)
	}
	var typed map[string]string
	if err := decodeClaims(session, &typed); err == nil || !strings.Contains(err.Error(), "custom claims") {
		t.Fatalf("claims of the wrong types: %v %v", typed, err)
	}
	if err := decodeClaims(session, s); err == nil {
		t.Fatal("a non-pointer target was accepted")
	}
	if err := decodeClaims(session, nil); err != nil {
		t.Fatal(err)
	}
}
