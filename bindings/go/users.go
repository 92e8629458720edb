package stytchtotp

// #include <stytch_totp.h>
import "C"

import (
	"context"
	"encoding/json"

	"github.com/stytch-totp/stytch-totp/bindings/go/users"
)

// Create creates a user (POST /v1/users). Every field of body is optional.
// Errors: 400 invalid_email, invalid_phone_number, duplicate_external_id,
// bad_request.
func (c *UsersClient) Create(ctx context.Context, body *users.CreateParams) (*users.CreateResponse, error) {
	body, err := params(ctx, body)
	if err != nil {
		return nil, err
	}
	request, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	r, err := invoke(c.h, func(p *C.stytch_client, s cargs, e **C.stytch_error) *C.stytch_users_create_response {
		return C.stytch_users_create(p, s[0], e)
	}, "request", string(request))
	if err != nil {
		return nil, err
	}
	defer C.stytch_users_create_response_free(r)

	resp := &users.CreateResponse{}
	if c.h.wantJSON() {
		if done, err := c.h.gotJSON("users.create", C.stytch_users_create_response_to_json(r), resp); done {
			return resp, err
		}
	}
	resp.RequestID = C.GoString(C.stytch_users_create_response_request_id(r))
	resp.UserID = C.GoString(C.stytch_users_create_response_user_id(r))
	resp.EmailID = C.GoString(C.stytch_users_create_response_email_id(r))
	resp.Status = C.GoString(C.stytch_users_create_response_status(r))
	resp.PhoneID = C.GoString(C.stytch_users_create_response_phone_id(r))
	resp.User = c.h.readUser(C.stytch_users_create_response_user(r))
	resp.StatusCode = int32(C.stytch_users_create_response_status_code(r))
	return resp, nil
}

// Get fetches a user by user_id or external_id (GET /v1/users/{user_id}).
// Errors: 400 invalid_user_id, 404 user_not_found.
func (c *UsersClient) Get(ctx context.Context, body *users.GetParams) (*users.GetResponse, error) {
	body, err := params(ctx, body)
	if err != nil {
		return nil, err
	}
	r, err := invoke(c.h, func(p *C.stytch_client, s cargs, e **C.stytch_error) *C.stytch_users_get_response {
		return C.stytch_users_get(p, s[0], e)
	}, "user_id", body.UserID)
	if err != nil {
		return nil, err
	}
	defer C.stytch_users_get_response_free(r)

	resp := &users.GetResponse{}
	if c.h.wantJSON() {
		if done, err := c.h.gotJSON("users.get", C.stytch_users_get_response_to_json(r), resp); done {
			return resp, err
		}
	}
	u := c.h.readUser(C.stytch_users_get_response_user(r))
	*resp = users.GetResponse{
		RequestID:              C.GoString(C.stytch_users_get_response_request_id(r)),
		UserID:                 u.UserID,
		Emails:                 u.Emails,
		Status:                 u.Status,
		PhoneNumbers:           u.PhoneNumbers,
		WebAuthnRegistrations:  u.WebAuthnRegistrations,
		Providers:              u.Providers,
		TOTPs:                  u.TOTPs,
		CryptoWallets:          u.CryptoWallets,
		BiometricRegistrations: u.BiometricRegistrations,
		IsLocked:               u.IsLocked,
		Roles:                  u.Roles,
		StatusCode:             int32(C.stytch_users_get_response_status_code(r)),
		Name:                   u.Name,
		CreatedAt:              u.CreatedAt,
		Password:               u.Password,
		TrustedMetadata:        u.TrustedMetadata,
		UntrustedMetadata:      u.UntrustedMetadata,
		ExternalID:             u.ExternalID,
		LockCreatedAt:          u.LockCreatedAt,
		LockExpiresAt:          u.LockExpiresAt,
	}
	return resp, nil
}

// Delete deletes a user and its TOTPs (DELETE /v1/users/{user_id}).
// Errors: 400 invalid_user_id, 404 user_not_found.
func (c *UsersClient) Delete(ctx context.Context, body *users.DeleteParams) (*users.DeleteResponse, error) {
	body, err := params(ctx, body)
	if err != nil {
		return nil, err
	}
	r, err := invoke(c.h, func(p *C.stytch_client, s cargs, e **C.stytch_error) *C.stytch_users_delete_response {
		return C.stytch_users_delete(p, s[0], e)
	}, "user_id", body.UserID)
	if err != nil {
		return nil, err
	}
	defer C.stytch_users_delete_response_free(r)

	resp := &users.DeleteResponse{}
	if c.h.wantJSON() {
		if done, err := c.h.gotJSON("users.delete", C.stytch_users_delete_response_to_json(r), resp); done {
			return resp, err
		}
	}
	resp.RequestID = C.GoString(C.stytch_users_delete_response_request_id(r))
	resp.UserID = C.GoString(C.stytch_users_delete_response_user_id(r))
	resp.StatusCode = int32(C.stytch_users_delete_response_status_code(r))
	return resp, nil
}

// DeleteTOTP deletes one TOTP, so that the user can enrol again
// (DELETE /v1/users/totps/{totp_id}). Errors: 400 bad_request (empty
// TOTPID), 404 totp_not_found.
func (c *UsersClient) DeleteTOTP(ctx context.Context, body *users.DeleteTOTPParams) (*users.DeleteTOTPResponse, error) {
	body, err := params(ctx, body)
	if err != nil {
		return nil, err
	}
	r, err := invoke(c.h, func(p *C.stytch_client, s cargs, e **C.stytch_error) *C.stytch_users_delete_totp_response {
		return C.stytch_users_delete_totp(p, s[0], e)
	}, "totp_id", body.TOTPID)
	if err != nil {
		return nil, err
	}
	defer C.stytch_users_delete_totp_response_free(r)

	resp := &users.DeleteTOTPResponse{}
	if c.h.wantJSON() {
		if done, err := c.h.gotJSON("users.delete_totp", C.stytch_users_delete_totp_response_to_json(r), resp); done {
			return resp, err
		}
	}
	resp.RequestID = C.GoString(C.stytch_users_delete_totp_response_request_id(r))
	resp.UserID = C.GoString(C.stytch_users_delete_totp_response_user_id(r))
	resp.User = c.h.readUser(C.stytch_users_delete_totp_response_user(r))
	resp.StatusCode = int32(C.stytch_users_delete_totp_response_status_code(r))
	return resp, nil
}
