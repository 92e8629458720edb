package stytchtotp

import (
	"context"
	"net/url"

	"github.com/stytch-totp/stytch-totp/bindings/go/users"
)

// Create creates a user (POST /v1/users); Email or PhoneNumber is
// required. Errors: 400 invalid_email, invalid_phone_number,
// duplicate_external_id, duplicate_email, duplicate_phone_number,
// bad_request.
func (c *UsersClient) Create(ctx context.Context, body *users.CreateParams) (*users.CreateResponse, error) {
	return do(ctx, c.h, "POST", "/v1/users", orZero(body), readUsersCreateResponse)
}

// Search finds users a page at a time by email address, phone number or
// user ID (POST /v1/users/search). Errors: 400 bad_request.
func (c *UsersClient) Search(ctx context.Context, body *users.SearchParams) (*users.SearchResponse, error) {
	return do(ctx, c.h, "POST", "/v1/users/search", orZero(body), readUsersSearchResponse)
}

// Get fetches a user by user_id or external_id (GET /v1/users/{user_id}).
// Errors: 400 invalid_user_id, 404 user_not_found.
func (c *UsersClient) Get(ctx context.Context, body *users.GetParams) (*users.GetResponse, error) {
	return do(ctx, c.h, "GET", "/v1/users/"+url.PathEscape(orZero(body).UserID), nil, readUsersGetResponse)
}

// Delete deletes a user and its TOTPs (DELETE /v1/users/{user_id}).
// Errors: 400 invalid_user_id, 404 user_not_found.
func (c *UsersClient) Delete(ctx context.Context, body *users.DeleteParams) (*users.DeleteResponse, error) {
	return do(ctx, c.h, "DELETE", "/v1/users/"+url.PathEscape(orZero(body).UserID), nil, readUsersDeleteResponse)
}

// DeleteTOTP deletes one TOTP, so that the user can enrol again
// (DELETE /v1/users/totps/{totp_id}). Errors: 400 bad_request (empty
// TOTPID), 404 totp_not_found.
func (c *UsersClient) DeleteTOTP(ctx context.Context, body *users.DeleteTOTPParams) (*users.DeleteTOTPResponse, error) {
	return do(ctx, c.h, "DELETE", "/v1/users/totps/"+url.PathEscape(orZero(body).TOTPID), nil, readUsersDeleteTOTPResponse)
}
