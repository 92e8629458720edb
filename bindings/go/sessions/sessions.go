// Package sessions holds the session type of authenticate and recover
// responses and the params and responses of Client.Sessions, shaped and
// named like stytch-go's. A totps response's Session is nil unless the
// request asked for a session (SessionDurationMinutes, SessionToken or
// SessionJWT).
package sessions

import (
	"time"

	"github.com/stytch-totp/stytch-totp/bindings/go/attribute"
)

// Session is a Stytch session (api_session_v1_Session).
type Session struct {
	SessionID             string                 `json:"session_id,omitempty"`
	UserID                string                 `json:"user_id,omitempty"`
	AuthenticationFactors []AuthenticationFactor `json:"authentication_factors,omitempty"`
	Roles                 []string               `json:"roles,omitempty"`
	StartedAt             *time.Time             `json:"started_at,omitempty"`
	LastAccessedAt        *time.Time             `json:"last_accessed_at,omitempty"`
	ExpiresAt             *time.Time             `json:"expires_at,omitempty"`
	Attributes            *attribute.Attributes  `json:"attributes,omitempty"`
	CustomClaims          map[string]any         `json:"custom_claims,omitempty"`
}

// AuthenticationFactor is one factor of a session.
type AuthenticationFactor struct {
	Type                   string                  `json:"type,omitempty"`
	DeliveryMethod         string                  `json:"delivery_method,omitempty"`
	LastAuthenticatedAt    *time.Time              `json:"last_authenticated_at,omitempty"`
	CreatedAt              *time.Time              `json:"created_at,omitempty"`
	UpdatedAt              *time.Time              `json:"updated_at,omitempty"`
	AuthenticatorAppFactor *AuthenticatorAppFactor `json:"authenticator_app_factor,omitempty"`
	RecoveryCodeFactor     *RecoveryCodeFactor     `json:"recovery_code_factor,omitempty"`
}

// AuthenticatorAppFactor names the TOTP a factor was proved with.
type AuthenticatorAppFactor struct {
	TOTPID string `json:"totp_id,omitempty"`
}

// RecoveryCodeFactor names the recovery code a session was started with.
type RecoveryCodeFactor struct {
	TOTPRecoveryCodeID string `json:"totp_recovery_code_id,omitempty"`
}
