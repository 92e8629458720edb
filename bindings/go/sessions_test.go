package stytchtotp

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stytch-totp/stytch-totp/bindings/go/sessions"
	"github.com/stytch-totp/stytch-totp/bindings/go/stytcherror"
	"github.com/stytch-totp/stytch-totp/bindings/go/totps"
	"github.com/stytch-totp/stytch-totp/bindings/go/users"
)

// enrol creates a user with a TOTP.
func enrol(t testing.TB, c *Client) (*users.CreateResponse, *totps.CreateResponse) {
	t.Helper()
	ctx := context.Background()
	user, err := c.Users.Create(ctx, &users.CreateParams{Email: "ada@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	created, err := c.TOTPs.Create(ctx, &totps.CreateParams{UserID: user.UserID})
	if err != nil {
		t.Fatal(err)
	}
	return user, created
}

// A TOTP sign-in with SessionDurationMinutes starts a session that the
// response carries in stytch-go's sessions.Session; a recovery code presented
// with its token adds its factor to it.
func TestSessionsStartOnAuthenticateAndGainTheRecoveryFactor(t *testing.T) {
	ctx := context.Background()
	c := testClient(t, Config{ProjectID: "project-test-6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"})
	user, created := enrol(t, c)
	auth, err := c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: user.UserID,
		TOTPCode: mustCode(t, created.Secret, t0), SessionDurationMinutes: 60,
		SessionCustomClaims: map[string]any{"plan": "pro"}})
	if err != nil {
		t.Fatal(err)
	}
	s := auth.Session
	if s == nil || len(auth.SessionToken) != 44 || auth.SessionJWT == "" || s.UserID != user.UserID {
		t.Fatalf("no session: %+v", auth)
	}
	if f := s.AuthenticationFactors; len(f) != 1 || f[0].Type != "totp" ||
		f[0].AuthenticatorAppFactor == nil || f[0].AuthenticatorAppFactor.TOTPID != created.TOTPID {
		t.Fatalf("factors: %+v", f)
	}
	if s.CustomClaims["plan"] != "pro" || s.ExpiresAt.Sub(*s.StartedAt).Minutes() != 60 {
		t.Fatalf("session: %+v", s)
	}
	rec, err := c.TOTPs.Recover(ctx, &totps.RecoverParams{UserID: user.UserID,
		RecoveryCode: created.RecoveryCodes[0], SessionToken: auth.SessionToken})
	if err != nil {
		t.Fatal(err)
	}
	f := rec.Session.AuthenticationFactors
	if rec.Session.SessionID != s.SessionID || len(f) != 2 || f[1].Type != "recovery_codes" ||
		f[1].RecoveryCodeFactor == nil || rec.SessionToken != auth.SessionToken {
		t.Fatalf("recover: %+v", rec.Session)
	}
}

// Client.Sessions: a session started by a TOTP sign-in authenticates by token
// and by JWT, is listed, its JWT's kid is in the JWKS, and after Revoke it is
// session_not_found.
func TestSessionsClientAuthenticatesListsAndRevokes(t *testing.T) {
	ctx := context.Background()
	project := "project-test-6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
	c := testClient(t, Config{ProjectID: project})
	user, created := enrol(t, c)
	auth, err := c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: user.UserID,
		TOTPCode: mustCode(t, created.Secret, t0), SessionDurationMinutes: 60})
	if err != nil {
		t.Fatal(err)
	}
	id := auth.Session.SessionID
	byToken, err := c.Sessions.Authenticate(ctx, &sessions.AuthenticateParams{SessionToken: auth.SessionToken})
	if err != nil || byToken.Session.SessionID != id || byToken.User.UserID != user.UserID {
		t.Fatalf("by token: %+v %v", byToken, err)
	}
	byJWT, err := c.Sessions.Authenticate(ctx, &sessions.AuthenticateParams{SessionJWT: auth.SessionJWT})
	if err != nil || byJWT.Session.SessionID != id || byJWT.SessionJWT == "" {
		t.Fatalf("by JWT: %+v %v", byJWT, err)
	}
	listed, err := c.Sessions.Get(ctx, &sessions.GetParams{UserID: user.UserID})
	if err != nil || len(listed.Sessions) != 1 || listed.Sessions[0].SessionID != id {
		t.Fatalf("get: %+v %v", listed, err)
	}
	header, err := base64.RawURLEncoding.DecodeString(strings.Split(auth.SessionJWT, ".")[0])
	if err != nil {
		t.Fatal(err)
	}
	var h struct{ Kid string }
	if err := json.Unmarshal(header, &h); err != nil {
		t.Fatal(err)
	}
	jwks, err := c.Sessions.GetJWKS(ctx, &sessions.GetJWKSParams{ProjectID: project})
	if err != nil || len(jwks.Keys) == 0 || jwks.Keys[len(jwks.Keys)-1].Kid != h.Kid || jwks.Keys[0].Kty != "RSA" {
		t.Fatalf("jwks: %+v %v (kid %q)", jwks, err, h.Kid)
	}
	if _, err := c.Sessions.Revoke(ctx, &sessions.RevokeParams{SessionID: id}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Sessions.Authenticate(ctx, &sessions.AuthenticateParams{SessionToken: auth.SessionToken})
	wantError(t, err, 404, "session_not_found")
}

// signedIn starts a session at t0 on a client of project.
func signedIn(t *testing.T, project string) (*Client, *totps.AuthenticateResponse) {
	t.Helper()
	c := testClient(t, Config{ProjectID: project})
	user, created := enrol(t, c)
	auth, err := c.TOTPs.Authenticate(context.Background(), &totps.AuthenticateParams{UserID: user.UserID,
		TOTPCode: mustCode(t, created.Secret, t0), SessionDurationMinutes: 60})
	if err != nil {
		t.Fatal(err)
	}
	return c, auth
}

// refusedJWT checks that err is the library's 401 for a JWT that does not verify.
func refusedJWT(t *testing.T, err error) {
	t.Helper()
	var serr stytcherror.Error
	if !errors.As(err, &serr) || serr.ErrorType != "unable_to_parse_session_jwt" || serr.StatusCode != 401 {
		t.Fatalf("want unable_to_parse_session_jwt, got %v", err)
	}
}

// AuthenticateJWTLocal accepts a fresh JWT and returns its session; it
// refuses a tampered one, an expired one, one older than maxTokenAge and
// one signed for another project.
func TestAuthenticateJWTLocal(t *testing.T) {
	const project = "project-test-6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
	c, auth := signedIn(t, project)
	s, err := c.Sessions.AuthenticateJWTLocal(auth.SessionJWT, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if s.SessionID != auth.Session.SessionID || s.UserID != auth.Session.UserID || !s.ExpiresAt.Equal(*auth.Session.ExpiresAt) {
		t.Fatalf("session %+v, want %+v", s, auth.Session)
	}
	parts := strings.Split(auth.SessionJWT, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	forged := strings.Replace(string(payload), `"sub":"user-test-`, `"sub":"user-test-0`, 1)
	parts[1] = base64.RawURLEncoding.EncodeToString([]byte(forged))
	_, err = c.Sessions.AuthenticateJWTLocal(strings.Join(parts, "."), time.Hour)
	refusedJWT(t, err)

	if err := c.SetTime(t0 + 61); err != nil {
		t.Fatal(err)
	}
	_, err = c.Sessions.AuthenticateJWTLocal(auth.SessionJWT, time.Minute)
	refusedJWT(t, err)
	if err := c.SetTime(t0 + 300); err != nil {
		t.Fatal(err)
	}
	_, err = c.Sessions.AuthenticateJWTLocal(auth.SessionJWT, time.Hour)
	refusedJWT(t, err)

	_, theirs := signedIn(t, "project-test-0a1b2c3d-4e5f-4a6b-8c7d-9e8f7a6b5c4d")
	if err := c.SetTime(t0); err != nil {
		t.Fatal(err)
	}
	_, err = c.Sessions.AuthenticateJWTLocal(theirs.SessionJWT, time.Hour)
	refusedJWT(t, err)
}

// AuthenticateJWT answers from the JWT while it verifies (only Session is
// filled), then from the store, which knows of a revocation.
func TestAuthenticateJWTFallsBackToTheStore(t *testing.T) {
	ctx := context.Background()
	c, auth := signedIn(t, "project-test-6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9")
	params := &sessions.AuthenticateParams{SessionJWT: auth.SessionJWT}
	local, err := c.Sessions.AuthenticateJWT(ctx, time.Hour, params)
	if err != nil || local.Session.SessionID != auth.Session.SessionID || local.RequestID != "" {
		t.Fatalf("local: %+v, %v", local, err)
	}
	remote, err := c.Sessions.AuthenticateJWT(ctx, 0, params)
	if err != nil || remote.RequestID == "" || remote.SessionJWT == "" {
		t.Fatalf("remote: %+v, %v", remote, err)
	}
	if _, err := c.Sessions.Revoke(ctx, &sessions.RevokeParams{SessionID: auth.Session.SessionID}); err != nil {
		t.Fatal(err)
	}
	if err := c.SetTime(t0 + 301); err != nil {
		t.Fatal(err)
	}
	_, err = c.Sessions.AuthenticateJWT(ctx, time.Hour, params)
	var serr stytcherror.Error
	if !errors.As(err, &serr) || serr.ErrorType != "session_not_found" {
		t.Fatalf("want session_not_found, got %v", err)
	}
}
