// Package totps holds the request and response types of the TOTP calls
// (client.TOTPs.Create, Authenticate, RecoveryCodes, Recover), with the field
// names, JSON tags and Go types of stytch-go's stytch/consumer/totps package.
// The response types are generated from the library's schema
// (responses_generated.go).
package totps

// CreateParams is the request of TOTPs.Create.
type CreateParams struct {
	// UserID is a user_id or an external_id.
	UserID string `json:"user_id,omitempty"`
	// ExpirationMinutes is how long the new TOTP stays usable if never
	// authenticated: 5 to 1440; 0 means the default, 1440.
	ExpirationMinutes int32 `json:"expiration_minutes,omitempty"`
}

// AuthenticateParams is the request of TOTPs.Authenticate.
//
// The session fields start a session (SessionDurationMinutes) or add the
// TOTP factor to an existing one (SessionToken or SessionJWT); they need a
// project_id in the client configuration. An invalid session argument is
// refused before the code is looked at, so the code is not consumed.
type AuthenticateParams struct {
	// UserID is a user_id or an external_id.
	UserID string `json:"user_id,omitempty"`
	// TOTPCode is the 6-digit code from the user's authenticator app.
	TOTPCode               string         `json:"totp_code,omitempty"`
	SessionToken           string         `json:"session_token,omitempty"`
	SessionDurationMinutes int32          `json:"session_duration_minutes,omitempty"`
	SessionJWT             string         `json:"session_jwt,omitempty"`
	SessionCustomClaims    map[string]any `json:"session_custom_claims,omitempty"`
	TelemetryID            string         `json:"telemetry_id,omitempty"`
}

// RecoveryCodesParams is the request of TOTPs.RecoveryCodes.
type RecoveryCodesParams struct {
	// UserID is a user_id or an external_id.
	UserID string `json:"user_id,omitempty"`
}

// RecoverParams is the request of TOTPs.Recover. The session fields behave as
// in AuthenticateParams.
type RecoverParams struct {
	// UserID is a user_id or an external_id.
	UserID string `json:"user_id,omitempty"`
	// RecoveryCode is one of the user's recovery codes, xxxx-xxxx-xxxx
	// (either case, dashes optional).
	RecoveryCode           string         `json:"recovery_code,omitempty"`
	SessionToken           string         `json:"session_token,omitempty"`
	SessionDurationMinutes int32          `json:"session_duration_minutes,omitempty"`
	SessionJWT             string         `json:"session_jwt,omitempty"`
	SessionCustomClaims    map[string]any `json:"session_custom_claims,omitempty"`
	TelemetryID            string         `json:"telemetry_id,omitempty"`
}
