package stytchtotp

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stytch-totp/stytch-totp/bindings/go/sessions"
	"github.com/stytch-totp/stytch-totp/bindings/go/totps"
	"github.com/stytch-totp/stytch-totp/bindings/go/users"
)

// enrol creates a user with a TOTP.
func enrol(t *testing.T, c *Client) (*users.CreateResponse, *totps.CreateResponse) {
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
