// Package attribute holds the request attributes of stytch-go's
// stytch/consumer/attribute package, for the params that carry them
// (users.CreateParams.Attributes).
package attribute

// Attributes are the IP address and user agent of the request a call is made
// for. The library judges them as part of the request body.
type Attributes struct {
	// IPAddress is the IP address of the user.
	IPAddress string `json:"ip_address,omitempty"`
	// UserAgent is the user agent of the user.
	UserAgent string `json:"user_agent,omitempty"`
}
