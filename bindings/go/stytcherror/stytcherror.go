// Package stytcherror holds the error type returned by every failed call,
// shaped like stytch-go's stytcherror package: Stytch's error body fields.
// Error's fields are generated from the library's schema
// (error_generated.go); the error types from its header (codes_generated.go).
package stytcherror

import (
	"fmt"
	"strings"
)

type (
	// Type is an error_type such as "user_not_found".
	Type string
	// Message is an error_message.
	Message string
	// URL is an error_url.
	URL string
	// Details is an error_details object.
	Details map[string]any
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
	if e.ErrorDetails != nil {
		fmt.Fprintf(&es, " error_details: %v", e.ErrorDetails)
	}
	return es.String()
}

// As lets errors.As fill a target of the other form than the one returned:
// a *Error from an Error (calls return Error, as stytch-go does), or an
// Error from a *Error. Both forms of handler, by value as stytch-go's users
// write it and by pointer, then fire.
func (e Error) As(target any) bool {
	switch t := target.(type) {
	case **Error:
		c := e
		*t = &c
		return true
	case *Error:
		*t = e
		return true
	}
	return false
}
