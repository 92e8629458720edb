// Package users holds the request and response types of the users calls
// (client.Users.Create, Get, Delete, DeleteTOTP), with the field names, JSON
// tags and Go types of stytch-go's stytch/consumer/users package, so that
// code written against stytch-go reads the same here.
package users

import "time"

// User is a Stytch user (api_user_v1_User).
type User struct {
	UserID                 string                  `json:"user_id,omitempty"`
	Emails                 []Email                 `json:"emails,omitempty"`
	Status                 string                  `json:"status,omitempty"`
	PhoneNumbers           []PhoneNumber           `json:"phone_numbers,omitempty"`
	WebAuthnRegistrations  []WebAuthnRegistration  `json:"webauthn_registrations,omitempty"`
	Providers              []OAuthProvider         `json:"providers,omitempty"`
	TOTPs                  []TOTP                  `json:"totps,omitempty"`
	CryptoWallets          []CryptoWallet          `json:"crypto_wallets,omitempty"`
	BiometricRegistrations []BiometricRegistration `json:"biometric_registrations,omitempty"`
	// IsLocked is true while a lockout (too many failed attempts) is in force.
	IsLocked bool     `json:"is_locked,omitempty"`
	Roles    []string `json:"roles,omitempty"`
	Name     *Name    `json:"name,omitempty"`
	// CreatedAt is when the user was created (UTC, whole seconds).
	CreatedAt         *time.Time     `json:"created_at,omitempty"`
	Password          *Password      `json:"password,omitempty"`
	TrustedMetadata   map[string]any `json:"trusted_metadata,omitempty"`
	UntrustedMetadata map[string]any `json:"untrusted_metadata,omitempty"`
	// ExternalID is "" when the user has none.
	ExternalID string `json:"external_id,omitempty"`
	// LockCreatedAt and LockExpiresAt are nil unless IsLocked.
	LockCreatedAt *time.Time `json:"lock_created_at,omitempty"`
	LockExpiresAt *time.Time `json:"lock_expires_at,omitempty"`
}

// Email is one of a user's email addresses.
type Email struct {
	EmailID  string `json:"email_id,omitempty"`
	Email    string `json:"email,omitempty"`
	Verified bool   `json:"verified,omitempty"`
}

// PhoneNumber is one of a user's phone numbers (E.164).
type PhoneNumber struct {
	PhoneID     string `json:"phone_id,omitempty"`
	PhoneNumber string `json:"phone_number,omitempty"`
	Verified    bool   `json:"verified,omitempty"`
}

// TOTP is one of a user's usable TOTPs: verified, or pending and not expired.
type TOTP struct {
	TOTPID   string `json:"totp_id,omitempty"`
	Verified bool   `json:"verified,omitempty"`
}

// Name is a user's name; missing parts are "".
type Name struct {
	FirstName  string `json:"first_name,omitempty"`
	MiddleName string `json:"middle_name,omitempty"`
	LastName   string `json:"last_name,omitempty"`
}

// Password is a user's password; this library never sets one.
type Password struct {
	PasswordID    string `json:"password_id,omitempty"`
	RequiresReset bool   `json:"requires_reset,omitempty"`
}

// WebAuthnRegistration is a WebAuthn registration; this library has none.
type WebAuthnRegistration struct {
	WebAuthnRegistrationID string `json:"webauthn_registration_id,omitempty"`
	Domain                 string `json:"domain,omitempty"`
	UserAgent              string `json:"user_agent,omitempty"`
	Verified               bool   `json:"verified,omitempty"`
	AuthenticatorType      string `json:"authenticator_type,omitempty"`
	Name                   string `json:"name,omitempty"`
}

// OAuthProvider is an OAuth registration; this library has none.
type OAuthProvider struct {
	ProviderType            string `json:"provider_type,omitempty"`
	ProviderSubject         string `json:"provider_subject,omitempty"`
	ProfilePictureURL       string `json:"profile_picture_url,omitempty"`
	Locale                  string `json:"locale,omitempty"`
	OAuthUserRegistrationID string `json:"oauth_user_registration_id,omitempty"`
}

// CryptoWallet is a crypto wallet; this library has none.
type CryptoWallet struct {
	CryptoWalletID      string `json:"crypto_wallet_id,omitempty"`
	CryptoWalletAddress string `json:"crypto_wallet_address,omitempty"`
	CryptoWalletType    string `json:"crypto_wallet_type,omitempty"`
	Verified            bool   `json:"verified,omitempty"`
}

// BiometricRegistration is a biometric registration; this library has none.
type BiometricRegistration struct {
	BiometricRegistrationID string `json:"biometric_registration_id,omitempty"`
	Verified                bool   `json:"verified,omitempty"`
}

// CreateParams is the request of Users.Create. Every field is optional.
type CreateParams struct {
	Email       string `json:"email,omitempty"`
	Name        *Name  `json:"name,omitempty"`
	PhoneNumber string `json:"phone_number,omitempty"`
	// ExternalID is your own unique ID for the user; it is accepted anywhere
	// a user_id is. It must not start with "user-".
	ExternalID        string         `json:"external_id,omitempty"`
	TrustedMetadata   map[string]any `json:"trusted_metadata,omitempty"`
	UntrustedMetadata map[string]any `json:"untrusted_metadata,omitempty"`
}

// GetParams is the request of Users.Get.
type GetParams struct {
	// UserID is a user_id or an external_id.
	UserID string `json:"user_id,omitempty"`
}

// DeleteParams is the request of Users.Delete.
type DeleteParams struct {
	// UserID is a user_id or an external_id.
	UserID string `json:"user_id,omitempty"`
}

// DeleteTOTPParams is the request of Users.DeleteTOTP.
type DeleteTOTPParams struct {
	TOTPID string `json:"totp_id,omitempty"`
}

// CreateResponse is the response of Users.Create.
type CreateResponse struct {
	RequestID string `json:"request_id,omitempty"`
	UserID    string `json:"user_id,omitempty"`
	// EmailID is "" when no email was given.
	EmailID string `json:"email_id,omitempty"`
	Status  string `json:"status,omitempty"`
	// PhoneID is "" when no phone number was given.
	PhoneID    string `json:"phone_id,omitempty"`
	User       User   `json:"user,omitempty"`
	StatusCode int32  `json:"status_code,omitempty"`
}

// GetResponse is the response of Users.Get: the user's fields at the top level.
type GetResponse struct {
	RequestID              string                  `json:"request_id,omitempty"`
	UserID                 string                  `json:"user_id,omitempty"`
	Emails                 []Email                 `json:"emails,omitempty"`
	Status                 string                  `json:"status,omitempty"`
	PhoneNumbers           []PhoneNumber           `json:"phone_numbers,omitempty"`
	WebAuthnRegistrations  []WebAuthnRegistration  `json:"webauthn_registrations,omitempty"`
	Providers              []OAuthProvider         `json:"providers,omitempty"`
	TOTPs                  []TOTP                  `json:"totps,omitempty"`
	CryptoWallets          []CryptoWallet          `json:"crypto_wallets,omitempty"`
	BiometricRegistrations []BiometricRegistration `json:"biometric_registrations,omitempty"`
	IsLocked               bool                    `json:"is_locked,omitempty"`
	Roles                  []string                `json:"roles,omitempty"`
	StatusCode             int32                   `json:"status_code,omitempty"`
	Name                   *Name                   `json:"name,omitempty"`
	CreatedAt              *time.Time              `json:"created_at,omitempty"`
	Password               *Password               `json:"password,omitempty"`
	TrustedMetadata        map[string]any          `json:"trusted_metadata,omitempty"`
	UntrustedMetadata      map[string]any          `json:"untrusted_metadata,omitempty"`
	ExternalID             string                  `json:"external_id,omitempty"`
	LockCreatedAt          *time.Time              `json:"lock_created_at,omitempty"`
	LockExpiresAt          *time.Time              `json:"lock_expires_at,omitempty"`
}

// DeleteResponse is the response of Users.Delete.
type DeleteResponse struct {
	RequestID  string `json:"request_id,omitempty"`
	UserID     string `json:"user_id,omitempty"`
	StatusCode int32  `json:"status_code,omitempty"`
}

// DeleteTOTPResponse is the response of Users.DeleteTOTP.
type DeleteTOTPResponse struct {
	RequestID string `json:"request_id,omitempty"`
	UserID    string `json:"user_id,omitempty"`
	// User is the user without the deleted TOTP.
	User       User  `json:"user,omitempty"`
	StatusCode int32 `json:"status_code,omitempty"`
}
