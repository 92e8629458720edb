// Package stytcherror holds the error type returned by every failed call,
// shaped like stytch-go's stytcherror package: Stytch's error body fields.
package stytcherror

import (
	"fmt"
	"strings"
)

// Error is a Stytch API error, e.g. 404 user_not_found. Calls return it as
// *Error; match it with errors.As:
//
//	var serr *stytcherror.Error
//	if errors.As(err, &serr) && serr.ErrorType == "user_not_found" { ... }
type Error struct {
	// StatusCode is the HTTP status Stytch would answer with (400, 401, 404, 429, 500).
	StatusCode int `json:"status_code,omitempty"`
	// RequestID is the request_id of the failed call.
	RequestID string `json:"request_id,omitempty"`
	// ErrorType names the error, e.g. "invalid_totp_code".
	ErrorType Type `json:"error_type,omitempty"`
	// ErrorMessage says what went wrong, with context. It never holds a secret or a code.
	ErrorMessage Message `json:"error_message,omitempty"`
	// ErrorURL links to Stytch's documentation of the error.
	ErrorURL URL `json:"error_url,omitempty"`
	// ErrorDetails is extra detail; this library leaves it nil.
	ErrorDetails map[string]any `json:"error_details,omitempty"`
}

type (
	// Type is an error_type such as "user_not_found".
	Type string
	// Message is an error_message.
	Message string
	// URL is an error_url.
	URL string
)

// Error formats the error as stytch-go does.
func (e Error) Error() string {
	var es strings.Builder
	es.WriteString("Stytch Error - ")
	if e.RequestID != "" {
		fmt.Fprintf(&es, "request ID: %s, ", e.RequestID)
	}
	fmt.Fprintf(&es, "status code: %d, type: %s, message: %s", e.StatusCode, e.ErrorType, e.ErrorMessage)
	if e.ErrorURL != "" {
		fmt.Fprintf(&es, " error_url: %s", e.ErrorURL)
	}
	return es.String()
}
