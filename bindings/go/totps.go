package stytchtotp

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/stytch-totp/stytch-totp/bindings/go/sessions"
	"github.com/stytch-totp/stytch-totp/bindings/go/totps"
)

// Create enrols a new TOTP for a user (POST /v1/totps) and returns its
// secret, QR code and recovery codes. A pending (never authenticated) TOTP of
// the user is replaced. Errors: 400 bad_request (no UserID), invalid_user_id,
// invalid_expiration, active_totp_exists; 404 user_not_found.
func (c *TOTPsClient) Create(ctx context.Context, body *totps.CreateParams) (*totps.CreateResponse, error) {
	return do(ctx, c.h, "POST", "/v1/totps", orZero(body), readTotpsCreateResponse)
}

// Authenticate checks a 6-digit code from the user's authenticator app
// (POST /v1/totps/authenticate); success verifies the TOTP. A code works
// once: concurrent tries of one code have exactly one winner. With session
// fields it starts or extends a session (see AuthenticateParams). Errors: 400
// bad_request (a missing field), invalid_user_id, invalid_totp_code,
// expired_totp, totp_code_already_authenticated, the session errors; 401
// unable_to_authenticate_totp; 404 user_not_found, totp_not_found; 429
// user_lock_limit_reached.
func (c *TOTPsClient) Authenticate(ctx context.Context, body *totps.AuthenticateParams) (*totps.AuthenticateResponse, error) {
	if body != nil && codeOnly(body) {
		// The usual call: through the typed C function, which answers as the
		// JSON door does and skips encoding and reading the request.
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		resp, err := c.h.authenticate(body.UserID, body.TOTPCode)
		if err != nil {
			return nil, err
		}
		return decodeText(resp, readTotpsAuthenticateResponse)
	}
	return do(ctx, c.h, "POST", "/v1/totps/authenticate", orZero(body), readTotpsAuthenticateResponse)
}

// codeOnly reports whether p has just a user and a code, both C strings.
func codeOnly(p *totps.AuthenticateParams) bool {
	return p.SessionToken == "" && p.SessionDurationMinutes == 0 && p.SessionJWT == "" &&
		p.SessionCustomClaims == nil && p.TelemetryID == "" && cString(p.UserID) && cString(p.TOTPCode)
}

// AuthenticateWithClaims is Authenticate that also fills claims with the
// custom claims of the response's session, as stytch-go's does: a
// *map[string]any gets the claims map itself; any other pointer (to a struct,
// by its json tags, or to a map type) is filled from the claims through
// encoding/json (stytch-go uses mapstructure, with the same json tags). A
// nil claims is left alone. With no session in the response the map is set
// to nil and a struct is left as it was.
func (c *TOTPsClient) AuthenticateWithClaims(ctx context.Context, body *totps.AuthenticateParams, claims any) (*totps.AuthenticateResponse, error) {
	resp, err := c.Authenticate(ctx, body)
	if err != nil {
		return nil, err
	}
	if err := decodeClaims(resp.Session, claims); err != nil {
		return nil, err
	}
	return resp, nil
}

// decodeClaims fills claims (see AuthenticateWithClaims) from the custom
// claims of session, which may be nil.
func decodeClaims(session *sessions.Session, claims any) error {
	if claims == nil {
		return nil
	}
	var custom map[string]any
	if session != nil {
		custom = session.CustomClaims
	}
	if m, ok := claims.(*map[string]any); ok {
		*m = custom
		return nil
	}
	b, err := json.Marshal(custom)
	if err == nil {
		err = json.Unmarshal(b, claims)
	}
	if err != nil {
		return fmt.Errorf("stytchtotp: decoding the session's custom claims into %T: %w", claims, err)
	}
	return nil
}

// Recover signs a user in with a recovery code instead of a TOTP code
// (POST /v1/totps/recover), using the code up, and starts or extends a
// session when asked. Errors: 400 bad_request (a missing field), invalid_user_id, invalid_recovery_code,
// totp_code_used_as_recovery_code, expired_totp; 401
// unable_to_authenticate_recovery_code (wrong or used); 404 user_not_found,
// totp_not_found; 429 user_lock_limit_reached.
func (c *TOTPsClient) Recover(ctx context.Context, body *totps.RecoverParams) (*totps.RecoverResponse, error) {
	return do(ctx, c.h, "POST", "/v1/totps/recover", orZero(body), readTotpsRecoverResponse)
}

// RecoveryCodes lists the unused recovery codes of each of the user's TOTPs
// that is verified or still pending (POST /v1/totps/recovery_codes).
// Errors: 400 bad_request (no UserID), invalid_user_id, 404 user_not_found.
func (c *TOTPsClient) RecoveryCodes(ctx context.Context, body *totps.RecoveryCodesParams) (*totps.RecoveryCodesResponse, error) {
	return do(ctx, c.h, "POST", "/v1/totps/recovery_codes", orZero(body), readTotpsRecoveryCodesResponse)
}
