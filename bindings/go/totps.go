package stytchtotp

// #include <stytch_totp.h>
import "C"

import (
	"context"

	"github.com/stytch-totp/stytch-totp/bindings/go/totps"
)

// Create enrols a new TOTP for a user (POST /v1/totps) and returns its
// secret, QR code and recovery codes. A pending (never authenticated) TOTP of
// the user is replaced. Errors: 400 invalid_user_id, invalid_expiration,
// active_totp_exists; 404 user_not_found.
func (c *TOTPsClient) Create(ctx context.Context, body *totps.CreateParams) (*totps.CreateResponse, error) {
	body, err := params(ctx, body)
	if err != nil {
		return nil, err
	}
	r, err := invoke(c.h, func(p *C.stytch_client, s cargs, e **C.stytch_error) *C.stytch_totp_create_response {
		return C.stytch_totp_create(p, s[0], C.int32_t(body.ExpirationMinutes), e)
	}, "user_id", body.UserID)
	if err != nil {
		return nil, err
	}
	defer C.stytch_totp_create_response_free(r)

	resp := &totps.CreateResponse{}
	if c.h.wantJSON() {
		if done, err := c.h.gotJSON("totps.create", C.stytch_totp_create_response_to_json(r), resp); done {
			return resp, err
		}
	}
	resp.RequestID = C.GoString(C.stytch_totp_create_response_request_id(r))
	resp.TOTPID = C.GoString(C.stytch_totp_create_response_totp_id(r))
	resp.Secret = C.GoString(C.stytch_totp_create_response_secret(r))
	resp.QrCode = C.GoString(C.stytch_totp_create_response_qr_code(r))
	resp.RecoveryCodes = list(C.stytch_totp_create_response_recovery_codes_len(r), func(i C.size_t) string {
		return C.GoString(C.stytch_totp_create_response_recovery_code(r, i))
	})
	resp.User = c.h.readUser(C.stytch_totp_create_response_user(r))
	resp.UserID = C.GoString(C.stytch_totp_create_response_user_id(r))
	resp.StatusCode = int32(C.stytch_totp_create_response_status_code(r))
	return resp, nil
}

// Authenticate checks a 6-digit code from the user's authenticator app
// (POST /v1/totps/authenticate); success verifies the TOTP. A code works
// once: concurrent tries of one code have exactly one winner. Errors: 400
// invalid_user_id, invalid_totp_code, expired_totp,
// totp_code_already_authenticated, bad_request (session fields); 401
// unable_to_authenticate_totp; 404 user_not_found, totp_not_found; 429
// user_lock_limit_reached.
func (c *TOTPsClient) Authenticate(ctx context.Context, body *totps.AuthenticateParams) (*totps.AuthenticateResponse, error) {
	body, err := params(ctx, body)
	if err != nil {
		return nil, err
	}
	withSession := asksForSession(body.SessionToken, body.SessionJWT, body.SessionDurationMinutes,
		body.SessionCustomClaims, body.TelemetryID)
	return signIn(c.h, "authenticate", body, withSession,
		func(p *C.stytch_client, s cargs, e **C.stytch_error) *C.stytch_totp_authenticate_response {
			return C.stytch_totp_authenticate(p, s[0], s[1], e)
		},
		func(a totps.AuthenticateResponse) totps.AuthenticateResponse { return a },
		"user_id", body.UserID, "totp_code", body.TOTPCode)
}

// Recover signs a user in with a recovery code instead of a TOTP code
// (POST /v1/totps/recover), using the code up. Errors: 400 invalid_user_id,
// invalid_recovery_code, totp_code_used_as_recovery_code, expired_totp,
// bad_request (session fields); 401 unable_to_authenticate_recovery_code (wrong or used);
// 404 user_not_found, totp_not_found; 429 user_lock_limit_reached.
func (c *TOTPsClient) Recover(ctx context.Context, body *totps.RecoverParams) (*totps.RecoverResponse, error) {
	body, err := params(ctx, body)
	if err != nil {
		return nil, err
	}
	withSession := asksForSession(body.SessionToken, body.SessionJWT, body.SessionDurationMinutes,
		body.SessionCustomClaims, body.TelemetryID)
	return signIn(c.h, "recover", body, withSession,
		func(p *C.stytch_client, s cargs, e **C.stytch_error) *C.stytch_totp_authenticate_response {
			return C.stytch_totp_recover(p, s[0], s[1], e)
		},
		func(a totps.AuthenticateResponse) totps.RecoverResponse {
			return totps.RecoverResponse{
				RequestID:    a.RequestID,
				TOTPID:       a.TOTPID,
				UserID:       a.UserID,
				SessionToken: a.SessionToken,
				SessionJWT:   a.SessionJWT,
				User:         a.User,
				StatusCode:   a.StatusCode,
			}
		},
		"user_id", body.UserID, "recovery_code", body.RecoveryCode)
}

// asksForSession reports whether a request sets any session parameter.
func asksForSession(token, jwt string, minutes int32, claims map[string]any, telemetryID string) bool {
	return token != "" || jwt != "" || minutes != 0 || claims != nil || telemetryID != ""
}

// signIn makes an authenticate or recover call (POST /v1/totps/<route>). The
// typed entry points take no session parameters, so a request with any goes
// through the JSON route, which answers it as Stytch would. convert shapes the
// response read from the handle.
func signIn[R any](h *handle, route string, body any, withSession bool,
	call func(*C.stytch_client, cargs, **C.stytch_error) *C.stytch_totp_authenticate_response,
	convert func(totps.AuthenticateResponse) R, fieldValues ...string) (*R, error) {
	resp := new(R)
	if withSession {
		if err := h.callJSON("POST", "/v1/totps/"+route, body, resp); err != nil {
			return nil, err
		}
		return resp, nil
	}
	r, err := invoke(h, call, fieldValues...)
	if err != nil {
		return nil, err
	}
	defer C.stytch_totp_authenticate_response_free(r)

	if h.wantJSON() {
		if done, err := h.gotJSON("totps."+route, C.stytch_totp_authenticate_response_to_json(r), resp); done {
			return resp, err
		}
	}
	*resp = convert(h.readAuthenticate(r))
	return resp, nil
}

// readAuthenticate reads an authenticate (or recover) response. Session and
// UserDevice stay nil: the library creates neither.
func (h *handle) readAuthenticate(r *C.stytch_totp_authenticate_response) totps.AuthenticateResponse {
	return totps.AuthenticateResponse{
		RequestID:    C.GoString(C.stytch_totp_authenticate_response_request_id(r)),
		UserID:       C.GoString(C.stytch_totp_authenticate_response_user_id(r)),
		SessionToken: C.GoString(C.stytch_totp_authenticate_response_session_token(r)),
		TOTPID:       C.GoString(C.stytch_totp_authenticate_response_totp_id(r)),
		SessionJWT:   C.GoString(C.stytch_totp_authenticate_response_session_jwt(r)),
		User:         h.readUser(C.stytch_totp_authenticate_response_user(r)),
		StatusCode:   int32(C.stytch_totp_authenticate_response_status_code(r)),
	}
}

// RecoveryCodes lists the unused recovery codes of each of the user's TOTPs
// that is verified or still pending (POST /v1/totps/recovery_codes).
// Errors: 400 invalid_user_id, 404 user_not_found.
func (c *TOTPsClient) RecoveryCodes(ctx context.Context, body *totps.RecoveryCodesParams) (*totps.RecoveryCodesResponse, error) {
	body, err := params(ctx, body)
	if err != nil {
		return nil, err
	}
	r, err := invoke(c.h, func(p *C.stytch_client, s cargs, e **C.stytch_error) *C.stytch_totp_recovery_codes_response {
		return C.stytch_totp_recovery_codes(p, s[0], e)
	}, "user_id", body.UserID)
	if err != nil {
		return nil, err
	}
	defer C.stytch_totp_recovery_codes_response_free(r)

	resp := &totps.RecoveryCodesResponse{}
	if c.h.wantJSON() {
		if done, err := c.h.gotJSON("totps.recovery_codes", C.stytch_totp_recovery_codes_response_to_json(r), resp); done {
			return resp, err
		}
	}
	resp.RequestID = C.GoString(C.stytch_totp_recovery_codes_response_request_id(r))
	resp.UserID = C.GoString(C.stytch_totp_recovery_codes_response_user_id(r))
	resp.TOTPs = list(C.stytch_totp_recovery_codes_response_totps_len(r), func(i C.size_t) totps.TOTP {
		codes := C.stytch_totp_recovery_codes_response_totp_recovery_codes_len(r, i)
		return totps.TOTP{
			TOTPID:   C.GoString(C.stytch_totp_recovery_codes_response_totp_id(r, i)),
			Verified: bool(C.stytch_totp_recovery_codes_response_totp_verified(r, i)),
			RecoveryCodes: list(codes, func(j C.size_t) string {
				return C.GoString(C.stytch_totp_recovery_codes_response_totp_recovery_code(r, i, j))
			}),
		}
	})
	resp.StatusCode = int32(C.stytch_totp_recovery_codes_response_status_code(r))
	return resp, nil
}
