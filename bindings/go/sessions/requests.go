package sessions

import "github.com/stytch-totp/stytch-totp/bindings/go/users"

// AuthenticateParams names a session by SessionToken or SessionJWT (not
// both). SessionDurationMinutes sets its expiry to now plus that;
// SessionCustomClaims merge into its claims (a nil value removes a claim).
type AuthenticateParams struct {
	SessionToken           string         `json:"session_token,omitempty"`
	SessionDurationMinutes int32          `json:"session_duration_minutes,omitempty"`
	SessionJWT             string         `json:"session_jwt,omitempty"`
	SessionCustomClaims    map[string]any `json:"session_custom_claims,omitempty"`
}

// AuthenticateResponse is the session, a new JWT and the session's user.
type AuthenticateResponse struct {
	RequestID    string     `json:"request_id,omitempty"`
	Session      Session    `json:"session,omitempty"`
	SessionToken string     `json:"session_token,omitempty"`
	SessionJWT   string     `json:"session_jwt,omitempty"`
	User         users.User `json:"user,omitempty"`
	StatusCode   int32      `json:"status_code,omitempty"`
}

// RevokeParams names the session to revoke by exactly one field.
type RevokeParams struct {
	SessionID    string `json:"session_id,omitempty"`
	SessionToken string `json:"session_token,omitempty"`
	SessionJWT   string `json:"session_jwt,omitempty"`
}

// RevokeResponse confirms a revocation.
type RevokeResponse struct {
	RequestID  string `json:"request_id,omitempty"`
	StatusCode int32  `json:"status_code,omitempty"`
}

// GetParams names the user whose live sessions to list.
type GetParams struct {
	UserID string `json:"user_id,omitempty"`
}

// GetResponse lists the user's live sessions, oldest first.
type GetResponse struct {
	RequestID  string    `json:"request_id,omitempty"`
	Sessions   []Session `json:"sessions,omitempty"`
	StatusCode int32     `json:"status_code,omitempty"`
}

// GetJWKSParams names the project (the client's ProjectID).
type GetJWKSParams struct {
	ProjectID string `json:"project_id,omitempty"`
}

// GetJWKSResponse holds the keys that verify session JWTs.
type GetJWKSResponse struct {
	Keys       []JWK  `json:"keys,omitempty"`
	RequestID  string `json:"request_id,omitempty"`
	StatusCode int32  `json:"status_code,omitempty"`
}

// JWK is one RSA public key of the JWKS. X5TS256 is tagged x5tS256, the
// member's name in the body (stytch-go's tag, x5t_s256, never matches it).
type JWK struct {
	Kty     string   `json:"kty,omitempty"`
	Use     string   `json:"use,omitempty"`
	KeyOps  []string `json:"key_ops,omitempty"`
	Alg     string   `json:"alg,omitempty"`
	Kid     string   `json:"kid,omitempty"`
	X5C     []string `json:"x5c,omitempty"`
	X5TS256 string   `json:"x5tS256,omitempty"`
	N       string   `json:"n,omitempty"`
	E       string   `json:"e,omitempty"`
}
