// Package totps holds the request and response types of the TOTP calls
// (client.TOTPs.Create, Authenticate, RecoveryCodes, Recover), with the field
// names, JSON tags and Go types of stytch-go's stytch/consumer/totps package.
package totps

import (
	"github.com/stytch-totp/stytch-totp/bindings/go/devicehistory"
	"github.com/stytch-totp/stytch-totp/bindings/go/sessions"
	"github.com/stytch-totp/stytch-totp/bindings/go/users"
)

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
// The session fields exist for stytch-go compatibility; sessions are not
// built yet, so setting any of them fails with 400 bad_request (and the code
// is not consumed).
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

// TOTP is one TOTP with its unused recovery codes.
type TOTP struct {
	TOTPID        string   `json:"totp_id,omitempty"`
	Verified      bool     `json:"verified,omitempty"`
	RecoveryCodes []string `json:"recovery_codes,omitempty"`
}

// CreateResponse is the response of TOTPs.Create. Secret and RecoveryCodes
// are secrets: do not log them.
type CreateResponse struct {
	RequestID string `json:"request_id,omitempty"`
	TOTPID    string `json:"totp_id,omitempty"`
	// Secret is the TOTP secret: base32, 32 characters (160 bits).
	Secret string `json:"secret,omitempty"`
	// QrCode is "data:image/png;base64, ..." : the otpauth URI as a PNG.
	QrCode string `json:"qr_code,omitempty"`
	// RecoveryCodes are 10 single-use codes, xxxx-xxxx-xxxx.
	RecoveryCodes []string   `json:"recovery_codes,omitempty"`
	User          users.User `json:"user,omitempty"`
	UserID        string     `json:"user_id,omitempty"`
	StatusCode    int32      `json:"status_code,omitempty"`
}

// AuthenticateResponse is the response of TOTPs.Authenticate. No session is
// created: Session is nil and the tokens are "".
type AuthenticateResponse struct {
	RequestID    string                    `json:"request_id,omitempty"`
	UserID       string                    `json:"user_id,omitempty"`
	SessionToken string                    `json:"session_token,omitempty"`
	TOTPID       string                    `json:"totp_id,omitempty"`
	SessionJWT   string                    `json:"session_jwt,omitempty"`
	User         users.User                `json:"user,omitempty"`
	StatusCode   int32                     `json:"status_code,omitempty"`
	Session      *sessions.Session         `json:"session,omitempty"`
	UserDevice   *devicehistory.DeviceInfo `json:"user_device,omitempty"`
}

// RecoveryCodesResponse is the response of TOTPs.RecoveryCodes.
type RecoveryCodesResponse struct {
	RequestID string `json:"request_id,omitempty"`
	UserID    string `json:"user_id,omitempty"`
	// TOTPs lists every TOTP of the user that is verified or still pending.
	TOTPs      []TOTP `json:"totps,omitempty"`
	StatusCode int32  `json:"status_code,omitempty"`
}

// RecoverResponse is the response of TOTPs.Recover. No session is created.
type RecoverResponse struct {
	RequestID    string                    `json:"request_id,omitempty"`
	TOTPID       string                    `json:"totp_id,omitempty"`
	UserID       string                    `json:"user_id,omitempty"`
	SessionToken string                    `json:"session_token,omitempty"`
	SessionJWT   string                    `json:"session_jwt,omitempty"`
	User         users.User                `json:"user,omitempty"`
	StatusCode   int32                     `json:"status_code,omitempty"`
	Session      *sessions.Session         `json:"session,omitempty"`
	UserDevice   *devicehistory.DeviceInfo `json:"user_device,omitempty"`
}
