package stytchtotp

/*
#include <stytch_totp.h>

// The scalar fields of a user, read in one call instead of one call each.
typedef struct {
	const char *user_id, *status, *first_name, *middle_name, *last_name;
	const char *created_at, *external_id, *lock_created_at, *lock_expires_at;
	const char *trusted_metadata, *untrusted_metadata;
	size_t emails_len, phone_numbers_len, totps_len, roles_len;
	bool is_locked;
} stg_user_fields;

static void stg_read_user(const stytch_user *u, stg_user_fields *f) {
	f->user_id = stytch_user_user_id(u);
	f->status = stytch_user_status(u);
	f->first_name = stytch_user_first_name(u);
	f->middle_name = stytch_user_middle_name(u);
	f->last_name = stytch_user_last_name(u);
	f->created_at = stytch_user_created_at(u);
	f->external_id = stytch_user_external_id(u);
	f->lock_created_at = stytch_user_lock_created_at(u);
	f->lock_expires_at = stytch_user_lock_expires_at(u);
	f->trusted_metadata = stytch_user_trusted_metadata(u);
	f->untrusted_metadata = stytch_user_untrusted_metadata(u);
	f->emails_len = stytch_user_emails_len(u);
	f->phone_numbers_len = stytch_user_phone_numbers_len(u);
	f->totps_len = stytch_user_totps_len(u);
	f->roles_len = stytch_user_roles_len(u);
	f->is_locked = stytch_user_is_locked(u);
}
*/
import "C"

import (
	"encoding/json"
	"time"

	"github.com/stytch-totp/stytch-totp/bindings/go/users"
)

// readUser copies a borrowed C user into a users.User, the same value that
// decoding the user's JSON gives (empty lists and maps are non-nil, absent
// timestamps nil). The caller keeps the owning response alive.
func (h *handle) readUser(u *C.stytch_user) users.User {
	if h.hook != nil {
		h.hook("user", takeString(C.stytch_user_to_json(u)))
	}
	var f C.stg_user_fields
	C.stg_read_user(u, &f)
	user := users.User{
		UserID: C.GoString(f.user_id),
		Emails: list(f.emails_len, func(i C.size_t) users.Email {
			return users.Email{
				EmailID:  C.GoString(C.stytch_user_email_id(u, i)),
				Email:    C.GoString(C.stytch_user_email_address(u, i)),
				Verified: bool(C.stytch_user_email_verified(u, i)),
			}
		}),
		Status: C.GoString(f.status),
		PhoneNumbers: list(f.phone_numbers_len, func(i C.size_t) users.PhoneNumber {
			return users.PhoneNumber{
				PhoneID:     C.GoString(C.stytch_user_phone_id(u, i)),
				PhoneNumber: C.GoString(C.stytch_user_phone_number(u, i)),
				Verified:    bool(C.stytch_user_phone_verified(u, i)),
			}
		}),
		WebAuthnRegistrations: []users.WebAuthnRegistration{},
		Providers:             []users.OAuthProvider{},
		TOTPs: list(f.totps_len, func(i C.size_t) users.TOTP {
			return users.TOTP{
				TOTPID:   C.GoString(C.stytch_user_totp_id(u, i)),
				Verified: bool(C.stytch_user_totp_verified(u, i)),
			}
		}),
		CryptoWallets:          []users.CryptoWallet{},
		BiometricRegistrations: []users.BiometricRegistration{},
		IsLocked:               bool(f.is_locked),
		Roles: list(f.roles_len, func(i C.size_t) string {
			return C.GoString(C.stytch_user_role(u, i))
		}),
		Name: &users.Name{
			FirstName:  C.GoString(f.first_name),
			MiddleName: C.GoString(f.middle_name),
			LastName:   C.GoString(f.last_name),
		},
		CreatedAt:         parseTime(f.created_at),
		TrustedMetadata:   parseObject(f.trusted_metadata),
		UntrustedMetadata: parseObject(f.untrusted_metadata),
		ExternalID:        C.GoString(f.external_id),
		LockCreatedAt:     parseTime(f.lock_created_at),
		LockExpiresAt:     parseTime(f.lock_expires_at),
	}
	return user
}

// list makes a slice of n elements (empty, not nil, when n is 0), element i
// read by at(i).
func list[T any](n C.size_t, at func(i C.size_t) T) []T {
	s := make([]T, int(n))
	for i := range s {
		s[i] = at(C.size_t(i))
	}
	return s
}

// parseTime reads an RFC 3339 timestamp; NULL (JSON null) is nil.
func parseTime(s *C.char) *time.Time {
	if s == nil {
		return nil
	}
	t, err := time.Parse(time.RFC3339, C.GoString(s))
	if err != nil {
		return nil
	}
	return &t
}

// parseObject reads a JSON object such as trusted_metadata.
func parseObject(s *C.char) map[string]any {
	m := map[string]any{}
	if s == nil {
		return nil
	}
	text := C.GoString(s)
	if text == "{}" {
		return m
	}
	if err := json.Unmarshal([]byte(text), &m); err != nil {
		return nil
	}
	return m
}
