package stytchtotp

// #include <stytch_totp.h>
import "C"

import (
	"context"
	"encoding/json"
	"net/url"
	"runtime"
	"time"

	"github.com/stytch-totp/stytch-totp/bindings/go/sessions"
)

// Authenticate checks a session by token or JWT (POST
// /v1/sessions/authenticate); an expired JWT of a live session gets a new
// one. Errors: 400 bad_request, invalid_config (no ProjectID),
// too_many_session_arguments; 404 session_not_found (revoked or expired).
func (c *SessionsClient) Authenticate(ctx context.Context, body *sessions.AuthenticateParams) (*sessions.AuthenticateResponse, error) {
	return doJSON[sessions.AuthenticateResponse](ctx, c.h, "POST", "/v1/sessions/authenticate", orZero(body))
}

// Revoke ends the session named by exactly one of the params' fields (POST
// /v1/sessions/revoke).
func (c *SessionsClient) Revoke(ctx context.Context, body *sessions.RevokeParams) (*sessions.RevokeResponse, error) {
	return doJSON[sessions.RevokeResponse](ctx, c.h, "POST", "/v1/sessions/revoke", orZero(body))
}

// Get lists the user's live sessions (GET /v1/sessions?user_id=).
func (c *SessionsClient) Get(ctx context.Context, body *sessions.GetParams) (*sessions.GetResponse, error) {
	path := "/v1/sessions?user_id=" + url.QueryEscape(orZero(body).UserID)
	return doJSON[sessions.GetResponse](ctx, c.h, "GET", path, nil)
}

// GetJWKS returns the keys that verify session JWTs (GET
// /v1/sessions/jwks/{project_id}); another project ID is 400.
func (c *SessionsClient) GetJWKS(ctx context.Context, body *sessions.GetJWKSParams) (*sessions.GetJWKSResponse, error) {
	path := "/v1/sessions/jwks/" + url.PathEscape(orZero(body).ProjectID)
	return doJSON[sessions.GetJWKSResponse](ctx, c.h, "GET", path, nil)
}

// AuthenticateJWTLocal verifies a session JWT against the project's signing
// keys with no session read from the store, as stytch-go's method of this
// name: the RS256 signature, iss, aud, exp and nbf; a JWT issued maxTokenAge
// (whole seconds, rounded up) or longer ago is refused. It returns the
// session from the claims. A JWT that does not verify is a stytcherror.Error
// with ErrorType unable_to_parse_session_jwt (401); invalid_config when the
// client has no ProjectID.
func (c *SessionsClient) AuthenticateJWTLocal(token string, maxTokenAge time.Duration) (*sessions.Session, error) {
	args, err := cstrings(token)
	if err != nil {
		return nil, err
	}
	jwt := args[0]
	maxAge := int64((maxTokenAge + time.Second - 1) / time.Second)
	if maxAge < 0 {
		maxAge = 0
	}
	ptr, err := c.h.begin()
	if err != nil {
		return nil, err
	}
	var cerr *C.stytch_error
	r := C.stytch_sessions_authenticate_jwt_local(ptr, cptr(jwt), C.int64_t(maxAge), 0, &cerr)
	c.h.end()
	runtime.KeepAlive(jwt)
	runtime.KeepAlive(c.h)
	if r == nil {
		return nil, takeError(cerr)
	}
	body := takeBytes(C.stytch_sessions_authenticate_jwt_local_response_to_json(r))
	C.stytch_sessions_authenticate_jwt_local_response_free(r)
	session := new(sessions.Session)
	if err := json.Unmarshal(body, session); err != nil {
		return nil, err
	}
	return session, nil
}

// AuthenticateJWT verifies body.SessionJWT locally (AuthenticateJWTLocal)
// and falls back to Authenticate when it does not verify, as stytch-go's
// method of this name; a zero maxTokenAge or no JWT always calls
// Authenticate. A local success fills only Session.
func (c *SessionsClient) AuthenticateJWT(ctx context.Context, maxTokenAge time.Duration, body *sessions.AuthenticateParams) (*sessions.AuthenticateResponse, error) {
	body = orZero(body)
	if body.SessionJWT == "" || maxTokenAge == 0 {
		return c.Authenticate(ctx, body)
	}
	session, err := c.AuthenticateJWTLocal(body.SessionJWT, maxTokenAge)
	if err != nil {
		return c.Authenticate(ctx, body)
	}
	return &sessions.AuthenticateResponse{Session: *session}, nil
}

// doJSON is do for the responses with no generated decoder: encoding/json.
func doJSON[R any](ctx context.Context, h *handle, method, path string, params any) (*R, error) {
	resp, err := send(ctx, h, method, path, params)
	if err != nil {
		return nil, err
	}
	r := new(R)
	if err := json.Unmarshal(resp, r); err != nil {
		return nil, err
	}
	return r, nil
}
