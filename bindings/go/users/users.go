// Package users holds the request and response types of the users calls
// (client.Users.Create, Get, Delete, DeleteTOTP), with the field names, JSON
// tags and Go types of stytch-go's stytch/consumer/users package, so that
// code written against stytch-go reads the same here. The response types are
// generated from the library's schema (responses_generated.go); the types
// below are stytch-go's for what this library never fills, and the requests.
package users

import "github.com/stytch-totp/stytch-totp/bindings/go/attribute"

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
// Attributes, CreateUserAsPending and Roles are stytch-go's; the library
// judges them as part of the body, like every field.
type CreateParams struct {
	Email       string                `json:"email,omitempty"`
	Name        *Name                 `json:"name,omitempty"`
	Attributes  *attribute.Attributes `json:"attributes,omitempty"`
	PhoneNumber string                `json:"phone_number,omitempty"`
	// CreateUserAsPending creates the user with status "pending" (stytch-go).
	CreateUserAsPending bool `json:"create_user_as_pending,omitempty"`
	// ExternalID is your own unique ID for the user; it is accepted anywhere
	// a user_id is: 1 to 128 ASCII letters, digits, '.', '_' or '-', not
	// only dots, and not starting with "user-".
	ExternalID        string         `json:"external_id,omitempty"`
	TrustedMetadata   map[string]any `json:"trusted_metadata,omitempty"`
	UntrustedMetadata map[string]any `json:"untrusted_metadata,omitempty"`
	// Roles are the user's roles (stytch-go).
	Roles []string `json:"roles,omitempty"`
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

// SearchParams is the request of Users.Search, as stytch-go's.
type SearchParams struct {
	// Cursor is the results_metadata.next_cursor of the page before.
	Cursor string `json:"cursor,omitempty"`
	// Limit is the number of users per page: 0 for 100, at most 1000.
	Limit uint32 `json:"limit,omitempty"`
	// Query filters the users; nil finds them all.
	Query *SearchUsersQuery `json:"query,omitempty"`
}

// SearchUsersQuery combines its operands with Operator.
type SearchUsersQuery struct {
	Operator SearchUsersQueryOperator `json:"operator,omitempty"`
	// Operands are {"filter_name": ..., "filter_value": [...]} objects; the
	// filters served are email_address, phone_number and user_id.
	Operands []map[string]any `json:"operands,omitempty"`
}

// SearchUsersQueryOperator is how a query's operands combine.
type SearchUsersQueryOperator string

const (
	// SearchUsersQueryOperatorOR finds users matching any operand
	// (deprecated by Stytch).
	SearchUsersQueryOperatorOR SearchUsersQueryOperator = "OR"
	// SearchUsersQueryOperatorAND finds users matching every operand.
	SearchUsersQueryOperatorAND SearchUsersQueryOperator = "AND"
)
