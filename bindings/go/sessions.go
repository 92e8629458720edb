package stytchtotp

import (
	"context"
	"encoding/json"
	"net/url"

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
