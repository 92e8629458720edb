/*
 * stytch_totp.hpp: a header-only C++17 wrapper of stytch_totp.h.
 *
 *     stytch_totp::client client(R"({"database": "app.db"})");
 *     auto user = client.users().create(R"({"email": "ada@example.com"})");
 *     auto totp = client.totps().create(user.user_id());
 *     std::string_view secret = totp.secret();        // borrowed from `totp`
 *     try {
 *         client.totps().authenticate(user.user_id(), "123456");
 *     } catch (const stytch_totp::error &e) {
 *         // e.status_code(), e.error_type(), e.error_message(), e.error_url(), e.request_id()
 *     }
 *
 * - Handles (client and responses) are move-only and free themselves. A
 *   moved-from handle is empty: its accessors return "" / 0 / false.
 * - Accessors return std::string_view borrowed from the handle, valid until
 *   the handle is destroyed; fields that may be JSON null return
 *   std::optional<std::string_view>. A `user` is borrowed from the response
 *   that returned it.
 * - Failures throw stytch_totp::error with Stytch's fields and code(), a
 *   stytch_totp::error_code. Arguments with an
 *   embedded NUL throw std::invalid_argument; index getters out of range throw
 *   std::out_of_range.
 * - QR helpers (otpauth_uri, qr_png, write_qr_png, qr_svg) draw a TOTP's QR
 *   code locally, as PNG bytes, a PNG file or an SVG.
 * - Thread-safety is the C library's: a client may be used from many threads
 *   at once; responses are immutable.
 */

#ifndef STYTCH_TOTP_HPP
#define STYTCH_TOTP_HPP

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stytch_totp.h"

namespace stytch_totp {

namespace detail {

inline std::string_view view(const char *s) noexcept {
    return s ? std::string_view(s) : std::string_view();
}

inline std::optional<std::string_view> optional_view(const char *s) noexcept {
    if (!s) return std::nullopt;
    return std::string_view(s);
}

// Copies a string owned by the library, then frees (and wipes) it.
inline std::string take(char *s) {
    if (!s) throw std::bad_alloc();
    struct release {
        char *p;
        ~release() { stytch_string_free(p); }
    } guard{s};
    return std::string(s);
}

// A NUL-terminated copy of an argument; an embedded NUL would silently cut it.
class c_string {
public:
    c_string(std::string_view value, const char *name) : value_(value) {
        if (value_.find('\0') != std::string::npos)
            throw std::invalid_argument(std::string("stytch_totp: ") + name + " contains a NUL byte");
    }
    const char *c_str() const noexcept { return value_.c_str(); }

private:
    std::string value_;
};

// An optional argument: absent is NULL.
class optional_c_string {
public:
    optional_c_string(const std::optional<std::string> &value, const char *name) {
        if (value) value_.emplace(*value, name);
    }
    const char *c_str() const noexcept { return value_ ? value_->c_str() : nullptr; }

private:
    std::optional<c_string> value_;
};

inline void check_index(std::size_t i, std::size_t len, const char *what) {
    if (i >= len) throw std::out_of_range(std::string("stytch_totp: ") + what + " index out of range");
}

template <typename T, void (*Free)(T *)>
struct deleter {
    void operator()(T *p) const noexcept { Free(p); }
};

// An owning, move-only handle.
template <typename T, void (*Free)(T *)>
class handle {
public:
    handle() noexcept = default;
    explicit handle(T *raw) noexcept : ptr_(raw) {}

    // The C handle, still owned by this object.
    const T *get() const noexcept { return ptr_.get(); }
    // Gives up ownership: the caller frees the C handle.
    T *release() noexcept { return ptr_.release(); }
    explicit operator bool() const noexcept { return ptr_ != nullptr; }

private:
    std::unique_ptr<T, deleter<T, Free>> ptr_;
};

}  // namespace detail

// BEGIN GENERATED ERROR CODES (tools/gen_bindings.py from stytch_totp.h; do not edit)

// stytch_error_code as a C++ enum: the same values, named as Stytch's error_type.
enum class error_code : std::int32_t {
    bad_request = STYTCH_ERROR_CODE_BAD_REQUEST,  // 400: a required field is missing, has the wrong type, is not UTF-8 or is too long; or the body is not a JSON object, or has an unknown field.
    invalid_user_id = STYTCH_ERROR_CODE_INVALID_USER_ID,  // 400: an empty or malformed `user_id`.
    invalid_email = STYTCH_ERROR_CODE_INVALID_EMAIL,  // 400: `email` is not an email address.
    invalid_phone_number = STYTCH_ERROR_CODE_INVALID_PHONE_NUMBER,  // 400: `phone_number` is not E.164.
    duplicate_external_id = STYTCH_ERROR_CODE_DUPLICATE_EXTERNAL_ID,  // 400: another user has this `external_id`.
    duplicate_email = STYTCH_ERROR_CODE_DUPLICATE_EMAIL,  // 400: another user has this `email` (compared without regard to ASCII case).
    duplicate_phone_number = STYTCH_ERROR_CODE_DUPLICATE_PHONE_NUMBER,  // 400: another user has this `phone_number`.
    invalid_expiration = STYTCH_ERROR_CODE_INVALID_EXPIRATION,  // 400: `expiration_minutes` is out of range.
    active_totp_exists = STYTCH_ERROR_CODE_ACTIVE_TOTP_EXISTS,  // 400: the user already has a verified TOTP.
    invalid_totp_code = STYTCH_ERROR_CODE_INVALID_TOTP_CODE,  // 400: `totp_code` is not six ASCII digits.
    expired_totp = STYTCH_ERROR_CODE_EXPIRED_TOTP,  // 400: the unverified TOTP ran past its `expiration_minutes`.
    totp_code_already_authenticated = STYTCH_ERROR_CODE_TOTP_CODE_ALREADY_AUTHENTICATED,  // 400: a TOTP code of a step already used.
    invalid_recovery_code = STYTCH_ERROR_CODE_INVALID_RECOVERY_CODE,  // 400: `recovery_code` is not `xxxx-xxxx-xxxx`.
    totp_code_used_as_recovery_code = STYTCH_ERROR_CODE_TOTP_CODE_USED_AS_RECOVERY_CODE,  // 400: a six-digit TOTP code sent as a recovery code.
    invalid_config = STYTCH_ERROR_CODE_INVALID_CONFIG,  // 400: the client configuration is invalid.
    client_used_after_fork = STYTCH_ERROR_CODE_CLIENT_USED_AFTER_FORK,  // 400: a client created before `fork()` was used in the child process.
    encryption_key_mismatch = STYTCH_ERROR_CODE_ENCRYPTION_KEY_MISMATCH,  // 400: the encryption keys do not fit the store.
    lockout_policy_mismatch = STYTCH_ERROR_CODE_LOCKOUT_POLICY_MISMATCH,  // 400: the client asks for a lockout policy other than the store's.
    database_refused = STYTCH_ERROR_CODE_DATABASE_REFUSED,  // 400: the database file cannot safely be used as it is.
    invalid_session_duration_minutes = STYTCH_ERROR_CODE_INVALID_SESSION_DURATION_MINUTES,  // 400: `session_duration_minutes` is outside 5..=527040.
    unable_to_represent_custom_claims_json = STYTCH_ERROR_CODE_UNABLE_TO_REPRESENT_CUSTOM_CLAIMS_JSON,  // 400: `session_custom_claims` is not a JSON object.
    reserved_claims_in_custom_claims = STYTCH_ERROR_CODE_RESERVED_CLAIMS_IN_CUSTOM_CLAIMS,  // 400: a custom claim uses a registered JWT claim name.
    stytch_claims_in_custom_claims = STYTCH_ERROR_CODE_STYTCH_CLAIMS_IN_CUSTOM_CLAIMS,  // 400: a custom claim name starts with `https://stytch.com/`.
    custom_claims_too_large = STYTCH_ERROR_CODE_CUSTOM_CLAIMS_TOO_LARGE,  // 400: the session's custom claims would exceed 4 KB.
    invalid_session_token = STYTCH_ERROR_CODE_INVALID_SESSION_TOKEN,  // 400: `session_token` cannot be a session token.
    too_many_session_arguments = STYTCH_ERROR_CODE_TOO_MANY_SESSION_ARGUMENTS,  // 400: more than one of `session_token`, `session_jwt` (and, to revoke, `session_id`).
    user_id_mismatch = STYTCH_ERROR_CODE_USER_ID_MISMATCH,  // 400: the session belongs to another user.
    unable_to_authenticate_totp = STYTCH_ERROR_CODE_UNABLE_TO_AUTHENTICATE_TOTP,  // 401: a wrong TOTP code (counted towards the lockout).
    unable_to_authenticate_recovery_code = STYTCH_ERROR_CODE_UNABLE_TO_AUTHENTICATE_RECOVERY_CODE,  // 401: a wrong or used recovery code (counted towards the lockout).
    unable_to_parse_session_jwt = STYTCH_ERROR_CODE_UNABLE_TO_PARSE_SESSION_JWT,  // 401: `session_jwt` is not a session JWT of this project's keys.
    user_not_found = STYTCH_ERROR_CODE_USER_NOT_FOUND,  // 404: no user has this `user_id` or `external_id`.
    totp_not_found = STYTCH_ERROR_CODE_TOTP_NOT_FOUND,  // 404: no usable TOTP.
    route_not_found = STYTCH_ERROR_CODE_ROUTE_NOT_FOUND,  // 404: no such method and path in `stytch_call`.
    session_not_found = STYTCH_ERROR_CODE_SESSION_NOT_FOUND,  // 404: no live session matches the token, JWT or ID.
    user_lock_limit_reached = STYTCH_ERROR_CODE_USER_LOCK_LIMIT_REACHED,  // 429: the user is locked out after too many failures.
    internal_server_error = STYTCH_ERROR_CODE_INTERNAL_SERVER_ERROR,  // 500: the library failed (storage, clock, a caught panic).
    database_unavailable = STYTCH_ERROR_CODE_DATABASE_UNAVAILABLE,  // 503: the database server cannot be reached, or is starting or stopping; nothing was changed, and trying again later can succeed.
};

// END GENERATED ERROR CODES

// A failed call: Stytch's error fields. Thrown by every fallible call.
// Copying it never throws (the fields are shared).
class error : public std::runtime_error {
public:
    // Adopts and frees `err` (which may be NULL: a call failed without detail).
    explicit error(stytch_error *err) : error(adopt(err)) {}

    // The HTTP status: 400, 401, 404, 429 or 500 (0 if the library gave no detail).
    std::int32_t status_code() const noexcept { return fields_->status_code; }
    // The error type as a number (internal_server_error if the library gave no detail).
    error_code code() const noexcept { return fields_->code; }
    // e.g. "user_not_found".
    std::string_view error_type() const noexcept { return fields_->error_type; }
    // What went wrong, with context; never contains a secret or a code.
    std::string_view error_message() const noexcept { return fields_->error_message; }
    // Stytch's documentation of this error.
    std::string_view error_url() const noexcept { return fields_->error_url; }
    std::string_view request_id() const noexcept { return fields_->request_id; }
    // The error body exactly as Stytch sends it.
    std::string_view json() const noexcept { return fields_->json; }

private:
    struct fields {
        std::int32_t status_code = 0;
        error_code code = error_code::internal_server_error;
        std::string error_type, error_message, error_url, request_id, json;
    };

    explicit error(std::shared_ptr<const fields> f)
        : std::runtime_error(f->status_code == 0 && f->error_type.empty()
                                 ? std::string("stytch_totp: the call failed without an error")
                                 : "stytch_totp: " + std::to_string(f->status_code) + " " + f->error_type +
                                       ": " + f->error_message),
          fields_(std::move(f)) {}

    static std::shared_ptr<const fields> adopt(stytch_error *err) {
        std::unique_ptr<stytch_error, detail::deleter<stytch_error, stytch_error_free>> guard(err);
        auto f = std::make_shared<fields>();
        if (err) {
            f->status_code = stytch_error_status_code(err);
            f->code = static_cast<error_code>(stytch_error_get_code(err));
            f->error_type = detail::view(stytch_error_type(err));
            f->error_message = detail::view(stytch_error_message(err));
            f->error_url = detail::view(stytch_error_url(err));
            f->request_id = detail::view(stytch_error_request_id(err));
            f->json = detail::take(stytch_error_to_json(err));
        }
        return f;
    }

    std::shared_ptr<const fields> fields_;
};

namespace detail {
[[noreturn]] inline void raise(stytch_error *err) { throw error(err); }
}  // namespace detail

// The user and the responses: one class per handle of stytch_totp.h, one
// accessor per C accessor. A user is borrowed from the response that returned
// it: valid until that response is destroyed or moved from.
// BEGIN GENERATED CLASSES (tools/gen_bindings.py from stytch_totp.h; do not edit)

// A user (`api_user_v1_User`). Always borrowed from the response that returned it and valid until that response is freed; never freed on its own. Immutable: any thread may read it.
class user {
public:
    explicit user(const stytch_user *raw) noexcept : raw_(raw) {}
    const stytch_user *get() const noexcept { return raw_; }
    // `user_id`. Borrowed; NULL for a NULL user.
    std::string_view user_id() const noexcept { return detail::view(stytch_user_user_id(get())); }
    // `status`: `"active"` (users are created active). Borrowed; NULL for a NULL user.
    std::string_view status() const noexcept { return detail::view(stytch_user_status(get())); }
    // `name.first_name` (`""` when not given). Borrowed; NULL for a NULL user.
    std::string_view first_name() const noexcept { return detail::view(stytch_user_first_name(get())); }
    // `name.middle_name` (`""` when not given). Borrowed; NULL for a NULL user.
    std::string_view middle_name() const noexcept { return detail::view(stytch_user_middle_name(get())); }
    // `name.last_name` (`""` when not given). Borrowed; NULL for a NULL user.
    std::string_view last_name() const noexcept { return detail::view(stytch_user_last_name(get())); }
    // `created_at`, RFC 3339 UTC. Borrowed; NULL for a NULL user.
    std::optional<std::string_view> created_at() const noexcept { return detail::optional_view(stytch_user_created_at(get())); }
    // `external_id`; NULL when the user has none, or for a NULL user. Borrowed.
    std::optional<std::string_view> external_id() const noexcept { return detail::optional_view(stytch_user_external_id(get())); }
    // `is_locked`: a lockout is in force. False for a NULL user.
    bool is_locked() const noexcept { return stytch_user_is_locked(get()); }
    // `lock_created_at`; NULL when not locked, or for a NULL user. Borrowed.
    std::optional<std::string_view> lock_created_at() const noexcept { return detail::optional_view(stytch_user_lock_created_at(get())); }
    // `lock_expires_at`; NULL when not locked, or for a NULL user. Borrowed.
    std::optional<std::string_view> lock_expires_at() const noexcept { return detail::optional_view(stytch_user_lock_expires_at(get())); }
    // `trusted_metadata` as JSON object text (`"{}"` when empty). Borrowed; NULL for a NULL user.
    std::string_view trusted_metadata() const noexcept { return detail::view(stytch_user_trusted_metadata(get())); }
    // `untrusted_metadata` as JSON object text (`"{}"` when empty). Borrowed; NULL for a NULL user.
    std::string_view untrusted_metadata() const noexcept { return detail::view(stytch_user_untrusted_metadata(get())); }
    // Number of `emails`; 0 for a NULL user.
    std::size_t emails_len() const noexcept { return stytch_user_emails_len(get()); }
    // `emails[i].email_id`. Borrowed; NULL out of range or for a NULL user.
    std::string_view email_id(std::size_t i) const { detail::check_index(i, emails_len(), "emails"); return detail::view(stytch_user_email_id(get(), i)); }
    // `emails[i].email`. Borrowed; NULL out of range or for a NULL user.
    std::string_view email_address(std::size_t i) const { detail::check_index(i, emails_len(), "emails"); return detail::view(stytch_user_email_address(get(), i)); }
    // `emails[i].verified`; false out of range or for a NULL user.
    bool email_verified(std::size_t i) const { detail::check_index(i, emails_len(), "emails"); return stytch_user_email_verified(get(), i); }
    // Number of `phone_numbers`; 0 for a NULL user.
    std::size_t phone_numbers_len() const noexcept { return stytch_user_phone_numbers_len(get()); }
    // `phone_numbers[i].phone_id`. Borrowed; NULL out of range or for a NULL user.
    std::string_view phone_id(std::size_t i) const { detail::check_index(i, phone_numbers_len(), "phone_numbers"); return detail::view(stytch_user_phone_id(get(), i)); }
    // `phone_numbers[i].phone_number` (E.164). Borrowed; NULL out of range or for a NULL user.
    std::string_view phone_number(std::size_t i) const { detail::check_index(i, phone_numbers_len(), "phone_numbers"); return detail::view(stytch_user_phone_number(get(), i)); }
    // `phone_numbers[i].verified`; false out of range or for a NULL user.
    bool phone_verified(std::size_t i) const { detail::check_index(i, phone_numbers_len(), "phone_numbers"); return stytch_user_phone_verified(get(), i); }
    // Number of `totps` (usable TOTPs: verified, or pending and not expired); 0 for a NULL user.
    std::size_t totps_len() const noexcept { return stytch_user_totps_len(get()); }
    // `totps[i].totp_id`. Borrowed; NULL out of range or for a NULL user.
    std::string_view totp_id(std::size_t i) const { detail::check_index(i, totps_len(), "totps"); return detail::view(stytch_user_totp_id(get(), i)); }
    // `totps[i].verified`; false out of range or for a NULL user.
    bool totp_verified(std::size_t i) const { detail::check_index(i, totps_len(), "totps"); return stytch_user_totp_verified(get(), i); }
    // Number of `roles`; 0 for a NULL user.
    std::size_t roles_len() const noexcept { return stytch_user_roles_len(get()); }
    // `roles[i]`. Borrowed; NULL out of range or for a NULL user.
    std::string_view role(std::size_t i) const { detail::check_index(i, roles_len(), "roles"); return detail::view(stytch_user_role(get(), i)); }
    // The user object as JSON. Owned: release with `stytch_string_free`. NULL for a NULL user.
    std::string to_json() const { return detail::take(stytch_user_to_json(get())); }

private:
    const stytch_user *raw_;
};

// A session (`api_session_v1_Session`). Always borrowed from the response that returned it and valid until that response is freed; never freed on its own. Immutable: any thread may read it.
class session {
public:
    explicit session(const stytch_session *raw) noexcept : raw_(raw) {}
    const stytch_session *get() const noexcept { return raw_; }
    // `session_id`. Borrowed; NULL for a NULL session.
    std::string_view session_id() const noexcept { return detail::view(stytch_session_session_id(get())); }
    // `user_id` of the session's user. Borrowed; NULL for a NULL session.
    std::string_view user_id() const noexcept { return detail::view(stytch_session_user_id(get())); }
    // `started_at`, RFC 3339 UTC. Borrowed; NULL for a NULL session.
    std::string_view started_at() const noexcept { return detail::view(stytch_session_started_at(get())); }
    // `last_accessed_at`, RFC 3339 UTC. Borrowed; NULL for a NULL session.
    std::string_view last_accessed_at() const noexcept { return detail::view(stytch_session_last_accessed_at(get())); }
    // `expires_at`, RFC 3339 UTC. Borrowed; NULL for a NULL session.
    std::string_view expires_at() const noexcept { return detail::view(stytch_session_expires_at(get())); }
    // `attributes` (`ip_address`, `user_agent`) as JSON object text. Borrowed; NULL for a NULL session.
    std::string_view attributes() const noexcept { return detail::view(stytch_session_attributes(get())); }
    // `authentication_factors` as JSON array text. Borrowed; NULL for a NULL session.
    std::string_view authentication_factors() const noexcept { return detail::view(stytch_session_authentication_factors(get())); }
    // `custom_claims` as JSON object text (`"{}"` when none). Borrowed; NULL for a NULL session.
    std::string_view custom_claims() const noexcept { return detail::view(stytch_session_custom_claims(get())); }
    // Number of `roles`; 0 for a NULL session.
    std::size_t roles_len() const noexcept { return stytch_session_roles_len(get()); }
    // `roles[i]`. Borrowed; NULL out of range or for a NULL session.
    std::string_view role(std::size_t i) const { detail::check_index(i, roles_len(), "roles"); return detail::view(stytch_session_role(get(), i)); }
    // The session as Stytch's JSON. Owned: release with `stytch_string_free`. NULL for a NULL session.
    std::string to_json() const { return detail::take(stytch_session_to_json(get())); }

private:
    const stytch_session *raw_;
};

// Result of `stytch_sessions_authenticate_jwt_local`: the session a verified JWT carries. Immutable: any thread may read it; free it once.
class sessions_authenticate_jwt_local_response : public detail::handle<stytch_sessions_authenticate_jwt_local_response, stytch_sessions_authenticate_jwt_local_response_free> {
public:
    using handle::handle;
    // `session`, as the verified JWT's claims describe it. Borrowed: valid until the result is freed; NULL for a NULL result.
    stytch_totp::session session() const noexcept { return stytch_totp::session(stytch_sessions_authenticate_jwt_local_response_session(get())); }
    // The session as Stytch's JSON. Owned: release with `stytch_string_free`. NULL for a NULL result.
    std::string to_json() const { return detail::take(stytch_sessions_authenticate_jwt_local_response_to_json(get())); }
};

// Response of `stytch_sessions_authenticate` (`api_session_v1_AuthenticateResponse`). Holds the session token and JWT: they are wiped from memory when it is freed. Immutable: any thread may read it; free it once.
class sessions_authenticate_response : public detail::handle<stytch_sessions_authenticate_response, stytch_sessions_authenticate_response_free> {
public:
    using handle::handle;
    // `request_id`. Borrowed; NULL for a NULL response.
    std::string_view request_id() const noexcept { return detail::view(stytch_sessions_authenticate_response_request_id(get())); }
    // `status_code` (200); 0 for a NULL response.
    std::int32_t status_code() const noexcept { return stytch_sessions_authenticate_response_status_code(get()); }
    // `session`, extended as asked. Borrowed: valid until the response is freed; NULL for a NULL response.
    stytch_totp::session session() const noexcept { return stytch_totp::session(stytch_sessions_authenticate_response_session(get())); }
    // `session_token`: the one presented, or (for a JWT) the session's new token. Borrowed; secret. NULL for a NULL response.
    std::string_view session_token() const noexcept { return detail::view(stytch_sessions_authenticate_response_session_token(get())); }
    // `session_jwt`, minted now. Borrowed; secret. NULL for a NULL response.
    std::string_view session_jwt() const noexcept { return detail::view(stytch_sessions_authenticate_response_session_jwt(get())); }
    // `user`, the session's user. Borrowed: valid until the response is freed; NULL for a NULL response.
    stytch_totp::user user() const noexcept { return stytch_totp::user(stytch_sessions_authenticate_response_user(get())); }
    // The response as Stytch's JSON. Owned: release with `stytch_string_free`. NULL for a NULL response.
    std::string to_json() const { return detail::take(stytch_sessions_authenticate_response_to_json(get())); }
};

// Response of `stytch_sessions_get_jwks` (`api_session_v1_GetJWKSResponse`). Immutable: any thread may read it; free it once.
class sessions_get_jwks_response : public detail::handle<stytch_sessions_get_jwks_response, stytch_sessions_get_jwks_response_free> {
public:
    using handle::handle;
    // `request_id`. Borrowed; NULL for a NULL response.
    std::string_view request_id() const noexcept { return detail::view(stytch_sessions_get_jwks_response_request_id(get())); }
    // `status_code` (200); 0 for a NULL response.
    std::int32_t status_code() const noexcept { return stytch_sessions_get_jwks_response_status_code(get()); }
    // `keys`, the published JWKs (`kty`, `use`, `key_ops`, `alg`, `kid`, `x5c`, `x5tS256`, `n`, `e`), as JSON array text. Borrowed; NULL for a NULL response.
    std::string_view keys() const noexcept { return detail::view(stytch_sessions_get_jwks_response_keys(get())); }
    // The response as Stytch's JSON. Owned: release with `stytch_string_free`. NULL for a NULL response.
    std::string to_json() const { return detail::take(stytch_sessions_get_jwks_response_to_json(get())); }
};

// Response of `stytch_sessions_get` (`api_session_v1_GetResponse`). Immutable: any thread may read it; free it once.
class sessions_get_response : public detail::handle<stytch_sessions_get_response, stytch_sessions_get_response_free> {
public:
    using handle::handle;
    // `request_id`. Borrowed; NULL for a NULL response.
    std::string_view request_id() const noexcept { return detail::view(stytch_sessions_get_response_request_id(get())); }
    // `status_code` (200); 0 for a NULL response.
    std::int32_t status_code() const noexcept { return stytch_sessions_get_response_status_code(get()); }
    // Number of `sessions` (the user's live ones); 0 for a NULL response.
    std::size_t sessions_len() const noexcept { return stytch_sessions_get_response_sessions_len(get()); }
    // `sessions[i]`, oldest first. Borrowed: valid until the response is freed; NULL out of range or for a NULL response.
    stytch_totp::session session(std::size_t i) const { detail::check_index(i, sessions_len(), "sessions"); return stytch_totp::session(stytch_sessions_get_response_session(get(), i)); }
    // The response as Stytch's JSON. Owned: release with `stytch_string_free`. NULL for a NULL response.
    std::string to_json() const { return detail::take(stytch_sessions_get_response_to_json(get())); }
};

// Response of `stytch_sessions_revoke` (`api_session_v1_RevokeResponse`). Immutable: any thread may read it; free it once.
class sessions_revoke_response : public detail::handle<stytch_sessions_revoke_response, stytch_sessions_revoke_response_free> {
public:
    using handle::handle;
    // `request_id`. Borrowed; NULL for a NULL response.
    std::string_view request_id() const noexcept { return detail::view(stytch_sessions_revoke_response_request_id(get())); }
    // `status_code` (200); 0 for a NULL response.
    std::int32_t status_code() const noexcept { return stytch_sessions_revoke_response_status_code(get()); }
    // The response as Stytch's JSON. Owned: release with `stytch_string_free`. NULL for a NULL response.
    std::string to_json() const { return detail::take(stytch_sessions_revoke_response_to_json(get())); }
};

// Response of `stytch_totp_authenticate` and `stytch_totp_recover` (`api_totp_v1_AuthenticateResponse` / `api_totp_v1_RecoverResponse`, which have the same fields). Without session arguments no session is created: `session` is null and the tokens are `""`. Immutable: any thread may read it; free it once.
class totp_authenticate_response : public detail::handle<stytch_totp_authenticate_response, stytch_totp_authenticate_response_free> {
public:
    using handle::handle;
    // `request_id`. Borrowed; NULL for a NULL response.
    std::string_view request_id() const noexcept { return detail::view(stytch_totp_authenticate_response_request_id(get())); }
    // `status_code` (200); 0 for a NULL response.
    std::int32_t status_code() const noexcept { return stytch_totp_authenticate_response_status_code(get()); }
    // `totp_id` of the TOTP that matched (or whose recovery code was used). Borrowed; NULL for a NULL response.
    std::string_view totp_id() const noexcept { return detail::view(stytch_totp_authenticate_response_totp_id(get())); }
    // `user_id`. Borrowed; NULL for a NULL response.
    std::string_view user_id() const noexcept { return detail::view(stytch_totp_authenticate_response_user_id(get())); }
    // `session_token`: `""` when no session was asked for. Borrowed; secret. NULL for a NULL response.
    std::string_view session_token() const noexcept { return detail::view(stytch_totp_authenticate_response_session_token(get())); }
    // `session_jwt`: `""` when no session was asked for. Borrowed; secret. NULL for a NULL response.
    std::string_view session_jwt() const noexcept { return detail::view(stytch_totp_authenticate_response_session_jwt(get())); }
    // `session`, started or extended by `stytch_totp_authenticate_with_session` or `stytch_totp_recover_with_session`; NULL when no session was asked for (JSON null), or for a NULL response. Borrowed: valid until the response is freed.
    std::optional<stytch_totp::session> session() const noexcept { auto *p = stytch_totp_authenticate_response_session(get()); return p ? std::optional<stytch_totp::session>(stytch_totp::session(p)) : std::nullopt; }
    // `user`, after the attempt. Borrowed: valid until the response is freed; NULL for a NULL response.
    stytch_totp::user user() const noexcept { return stytch_totp::user(stytch_totp_authenticate_response_user(get())); }
    // The response as Stytch's JSON. Owned: release with `stytch_string_free`. NULL for a NULL response.
    std::string to_json() const { return detail::take(stytch_totp_authenticate_response_to_json(get())); }
};

// Response of `stytch_totp_create` (`api_totp_v1_CreateResponse`). Holds the secret and recovery codes: they are wiped from memory when it is freed. Immutable: any thread may read it; free it once.
class totp_create_response : public detail::handle<stytch_totp_create_response, stytch_totp_create_response_free> {
public:
    using handle::handle;
    // `request_id`. Borrowed; NULL for a NULL response.
    std::string_view request_id() const noexcept { return detail::view(stytch_totp_create_response_request_id(get())); }
    // `status_code` (200); 0 for a NULL response.
    std::int32_t status_code() const noexcept { return stytch_totp_create_response_status_code(get()); }
    // `totp_id`. Borrowed; NULL for a NULL response.
    std::string_view totp_id() const noexcept { return detail::view(stytch_totp_create_response_totp_id(get())); }
    // `secret`: base32, 32 characters (160 bits). Borrowed; secret: do not log it. NULL for a NULL response.
    std::string_view secret() const noexcept { return detail::view(stytch_totp_create_response_secret(get())); }
    // `qr_code`: `data:image/png;base64, ...`, the otpauth URI as a scannable PNG. Borrowed; a secret too (it encodes the key). NULL for a NULL response.
    std::string_view qr_code() const noexcept { return detail::view(stytch_totp_create_response_qr_code(get())); }
    // Number of `recovery_codes` (10); 0 for a NULL response.
    std::size_t recovery_codes_len() const noexcept { return stytch_totp_create_response_recovery_codes_len(get()); }
    // `recovery_codes[i]`, `xxxx-xxxx-xxxx`. Borrowed; secret. NULL out of range or for a NULL response.
    std::string_view recovery_code(std::size_t i) const { detail::check_index(i, recovery_codes_len(), "recovery_codes"); return detail::view(stytch_totp_create_response_recovery_code(get(), i)); }
    // `user_id`. Borrowed; NULL for a NULL response.
    std::string_view user_id() const noexcept { return detail::view(stytch_totp_create_response_user_id(get())); }
    // `user`, with the new TOTP unverified. Borrowed: valid until the response is freed; NULL for a NULL response.
    stytch_totp::user user() const noexcept { return stytch_totp::user(stytch_totp_create_response_user(get())); }
    // The response as Stytch's JSON (with the secret). Owned: release with `stytch_string_free`, which wipes it. NULL for a NULL response.
    std::string to_json() const { return detail::take(stytch_totp_create_response_to_json(get())); }
};

// Response of `stytch_totp_recovery_codes` (`api_totp_v1_RecoveryCodesResponse`). Holds recovery codes: they are wiped from memory when it is freed. Immutable: any thread may read it; free it once.
class totp_recovery_codes_response : public detail::handle<stytch_totp_recovery_codes_response, stytch_totp_recovery_codes_response_free> {
public:
    using handle::handle;
    // `request_id`. Borrowed; NULL for a NULL response.
    std::string_view request_id() const noexcept { return detail::view(stytch_totp_recovery_codes_response_request_id(get())); }
    // `status_code` (200); 0 for a NULL response.
    std::int32_t status_code() const noexcept { return stytch_totp_recovery_codes_response_status_code(get()); }
    // `user_id`. Borrowed; NULL for a NULL response.
    std::string_view user_id() const noexcept { return detail::view(stytch_totp_recovery_codes_response_user_id(get())); }
    // Number of `totps`; 0 for a NULL response.
    std::size_t totps_len() const noexcept { return stytch_totp_recovery_codes_response_totps_len(get()); }
    // `totps[i].totp_id`. Borrowed; NULL out of range or for a NULL response.
    std::string_view totp_id(std::size_t i) const { detail::check_index(i, totps_len(), "totps"); return detail::view(stytch_totp_recovery_codes_response_totp_id(get(), i)); }
    // `totps[i].verified`; false out of range or for a NULL response.
    bool totp_verified(std::size_t i) const { detail::check_index(i, totps_len(), "totps"); return stytch_totp_recovery_codes_response_totp_verified(get(), i); }
    // Number of unused `totps[i].recovery_codes`; 0 out of range or for a NULL response.
    std::size_t totp_recovery_codes_len(std::size_t i) const { detail::check_index(i, totps_len(), "totps"); return stytch_totp_recovery_codes_response_totp_recovery_codes_len(get(), i); }
    // `totps[i].recovery_codes[j]`. Borrowed; secret. NULL out of range or for a NULL response.
    std::string_view totp_recovery_code(std::size_t i, std::size_t j) const { detail::check_index(i, totps_len(), "totps"); detail::check_index(j, totp_recovery_codes_len(i), "totp_recovery_codes"); return detail::view(stytch_totp_recovery_codes_response_totp_recovery_code(get(), i, j)); }
    // The response as Stytch's JSON (with the codes). Owned: release with `stytch_string_free`, which wipes it. NULL for a NULL response.
    std::string to_json() const { return detail::take(stytch_totp_recovery_codes_response_to_json(get())); }
};

// Response of `stytch_users_create` (`api_user_v1_CreateResponse`). Immutable: any thread may read it; free it once.
class users_create_response : public detail::handle<stytch_users_create_response, stytch_users_create_response_free> {
public:
    using handle::handle;
    // `request_id`. Borrowed: valid until the response is freed; NULL for a NULL response.
    std::string_view request_id() const noexcept { return detail::view(stytch_users_create_response_request_id(get())); }
    // `status_code` (200); 0 for a NULL response.
    std::int32_t status_code() const noexcept { return stytch_users_create_response_status_code(get()); }
    // `user_id` of the new user. Borrowed; NULL for a NULL response.
    std::string_view user_id() const noexcept { return detail::view(stytch_users_create_response_user_id(get())); }
    // `email_id`; `""` when no email was given. Borrowed; NULL for a NULL response.
    std::string_view email_id() const noexcept { return detail::view(stytch_users_create_response_email_id(get())); }
    // `phone_id`; `""` when no phone number was given. Borrowed; NULL for a NULL response.
    std::string_view phone_id() const noexcept { return detail::view(stytch_users_create_response_phone_id(get())); }
    // `status` of the user (`"active"`). Borrowed; NULL for a NULL response.
    std::string_view status() const noexcept { return detail::view(stytch_users_create_response_status(get())); }
    // `user`. Borrowed: valid until the response is freed; NULL for a NULL response.
    stytch_totp::user user() const noexcept { return stytch_totp::user(stytch_users_create_response_user(get())); }
    // The response as Stytch's JSON. Owned: release with `stytch_string_free`. NULL for a NULL response.
    std::string to_json() const { return detail::take(stytch_users_create_response_to_json(get())); }
};

// Response of `stytch_users_delete` (`api_user_v1_DeleteResponse`). Immutable: any thread may read it; free it once.
class users_delete_response : public detail::handle<stytch_users_delete_response, stytch_users_delete_response_free> {
public:
    using handle::handle;
    // `request_id`. Borrowed; NULL for a NULL response.
    std::string_view request_id() const noexcept { return detail::view(stytch_users_delete_response_request_id(get())); }
    // `status_code` (200); 0 for a NULL response.
    std::int32_t status_code() const noexcept { return stytch_users_delete_response_status_code(get()); }
    // `user_id` of the deleted user. Borrowed; NULL for a NULL response.
    std::string_view user_id() const noexcept { return detail::view(stytch_users_delete_response_user_id(get())); }
    // The response as Stytch's JSON. Owned: release with `stytch_string_free`. NULL for a NULL response.
    std::string to_json() const { return detail::take(stytch_users_delete_response_to_json(get())); }
};

// Response of `stytch_users_delete_totp` (`api_user_v1_DeleteTOTPResponse`). Immutable: any thread may read it; free it once.
class users_delete_totp_response : public detail::handle<stytch_users_delete_totp_response, stytch_users_delete_totp_response_free> {
public:
    using handle::handle;
    // `request_id`. Borrowed; NULL for a NULL response.
    std::string_view request_id() const noexcept { return detail::view(stytch_users_delete_totp_response_request_id(get())); }
    // `status_code` (200); 0 for a NULL response.
    std::int32_t status_code() const noexcept { return stytch_users_delete_totp_response_status_code(get()); }
    // `user_id` of the TOTP's user. Borrowed; NULL for a NULL response.
    std::string_view user_id() const noexcept { return detail::view(stytch_users_delete_totp_response_user_id(get())); }
    // `user`, without the deleted TOTP. Borrowed: valid until the response is freed; NULL for a NULL response.
    stytch_totp::user user() const noexcept { return stytch_totp::user(stytch_users_delete_totp_response_user(get())); }
    // The response as Stytch's JSON. Owned: release with `stytch_string_free`. NULL for a NULL response.
    std::string to_json() const { return detail::take(stytch_users_delete_totp_response_to_json(get())); }
};

// Response of `stytch_users_get` (`api_user_v1_GetResponse`, the user's fields at the top level). Immutable: any thread may read it; free it once.
class users_get_response : public detail::handle<stytch_users_get_response, stytch_users_get_response_free> {
public:
    using handle::handle;
    // `request_id`. Borrowed; NULL for a NULL response.
    std::string_view request_id() const noexcept { return detail::view(stytch_users_get_response_request_id(get())); }
    // `status_code` (200); 0 for a NULL response.
    std::int32_t status_code() const noexcept { return stytch_users_get_response_status_code(get()); }
    // The user's fields (the response carries them at its top level). Borrowed: valid until the response is freed; NULL for a NULL response.
    stytch_totp::user user() const noexcept { return stytch_totp::user(stytch_users_get_response_user(get())); }
    // The response as Stytch's JSON. Owned: release with `stytch_string_free`. NULL for a NULL response.
    std::string to_json() const { return detail::take(stytch_users_get_response_to_json(get())); }
};

// END GENERATED CLASSES

using totp_recover_response = totp_authenticate_response;

// The version of the library loaded at run time, e.g. "0.1.0".
inline std::string_view version() noexcept { return detail::view(stytch_version()); }

// True when the library loaded at run time can serve a program built with this
// header: stytch_version_is_compatible's rule (the same major version, a library
// at least as new, and before 1.0 the same minor version).
inline bool version_compatible() noexcept { return stytch_version_is_compatible(STYTCH_TOTP_VERSION); }

// Throws std::runtime_error naming both versions unless version_compatible().
// A client checks this when it is made.
inline void check_version() {
    if (!version_compatible())
        throw std::runtime_error("stytch_totp: this program was built for libstytch_totp " STYTCH_TOTP_VERSION
                                 ", but the library loaded is " +
                                 std::string(version()));
}

// client.users(): the /v1/users routes. Borrows the client: use it while the
// client lives.
class users_api {
public:
    explicit users_api(const stytch_client *client) noexcept : client_(client) {}

    // POST /v1/users with Stytch's request body (email, phone_number, name,
    // external_id, trusted_metadata, untrusted_metadata): an email or a
    // phone_number is required.
    users_create_response create(std::string_view request_json) const {
        detail::c_string body(request_json, "request_json");
        stytch_error *err = nullptr;
        stytch_users_create_response *r = stytch_users_create(client_, body.c_str(), &err);
        if (!r) detail::raise(err);
        return users_create_response(r);
    }
    // GET /v1/users/{user_id}: by user_id or external_id.
    users_get_response get(std::string_view user_id) const {
        detail::c_string id(user_id, "user_id");
        stytch_error *err = nullptr;
        stytch_users_get_response *r = stytch_users_get(client_, id.c_str(), &err);
        if (!r) detail::raise(err);
        return users_get_response(r);
    }
    // DELETE /v1/users/{user_id}: the user and its TOTPs.
    users_delete_response delete_user(std::string_view user_id) const {
        detail::c_string id(user_id, "user_id");
        stytch_error *err = nullptr;
        stytch_users_delete_response *r = stytch_users_delete(client_, id.c_str(), &err);
        if (!r) detail::raise(err);
        return users_delete_response(r);
    }
    // DELETE /v1/users/totps/{totp_id}: one TOTP, so that the user can enrol again.
    users_delete_totp_response delete_totp(std::string_view totp_id) const {
        detail::c_string id(totp_id, "totp_id");
        stytch_error *err = nullptr;
        stytch_users_delete_totp_response *r = stytch_users_delete_totp(client_, id.c_str(), &err);
        if (!r) detail::raise(err);
        return users_delete_totp_response(r);
    }

private:
    const stytch_client *client_;
};

// client.totps(): the /v1/totps routes. Borrows the client: use it while the
// client lives.
// The session arguments of a sign-in or of sessions().authenticate, as
// Stytch names them: at most one of session_token and session_jwt (a live
// session, extended); session_duration_minutes 0 for none, else
// 5..=527040 (a sign-in without a session starts one only with it);
// session_custom_claims_json a JSON object merged into the session's claims.
struct session_args {
    std::optional<std::string> session_token;
    std::optional<std::string> session_jwt;
    std::int32_t session_duration_minutes = 0;
    std::optional<std::string> session_custom_claims_json;
};

// The session to revoke: exactly one of the three.
struct revoke_params {
    std::optional<std::string> session_id;
    std::optional<std::string> session_token;
    std::optional<std::string> session_jwt;
};

class totps_api {
public:
    explicit totps_api(const stytch_client *client) noexcept : client_(client) {}

    // POST /v1/totps. expiration_minutes: 0 for the default (1440), else 5..=1440.
    totp_create_response create(std::string_view user_id, std::int32_t expiration_minutes = 0) const {
        detail::c_string id(user_id, "user_id");
        stytch_error *err = nullptr;
        stytch_totp_create_response *r = stytch_totp_create(client_, id.c_str(), expiration_minutes, &err);
        if (!r) detail::raise(err);
        return totp_create_response(r);
    }
    // POST /v1/totps/authenticate with a 6-digit code.
    totp_authenticate_response authenticate(std::string_view user_id, std::string_view totp_code) const {
        detail::c_string id(user_id, "user_id");
        detail::c_string code(totp_code, "totp_code");
        stytch_error *err = nullptr;
        stytch_totp_authenticate_response *r = stytch_totp_authenticate(client_, id.c_str(), code.c_str(), &err);
        if (!r) detail::raise(err);
        return totp_authenticate_response(r);
    }
    // POST /v1/totps/recovery_codes.
    totp_recovery_codes_response recovery_codes(std::string_view user_id) const {
        detail::c_string id(user_id, "user_id");
        stytch_error *err = nullptr;
        stytch_totp_recovery_codes_response *r = stytch_totp_recovery_codes(client_, id.c_str(), &err);
        if (!r) detail::raise(err);
        return totp_recovery_codes_response(r);
    }
    // POST /v1/totps/recover: consumes the recovery code.
    totp_recover_response recover(std::string_view user_id, std::string_view recovery_code) const {
        detail::c_string id(user_id, "user_id");
        detail::c_string code(recovery_code, "recovery_code");
        stytch_error *err = nullptr;
        stytch_totp_recover_response *r = stytch_totp_recover(client_, id.c_str(), code.c_str(), &err);
        if (!r) detail::raise(err);
        return totp_recover_response(r);
    }
    // POST /v1/totps/authenticate that starts or extends a session
    // (response.session(), .session_token(), .session_jwt()).
    totp_authenticate_response authenticate(std::string_view user_id, std::string_view totp_code,
                                            const session_args &session) const {
        detail::c_string id(user_id, "user_id");
        detail::c_string code(totp_code, "totp_code");
        sign_in_session s(session);
        stytch_error *err = nullptr;
        stytch_totp_authenticate_response *r = stytch_totp_authenticate_with_session(
            client_, id.c_str(), code.c_str(), s.token.c_str(), s.jwt.c_str(), session.session_duration_minutes,
            s.claims.c_str(), &err);
        if (!r) detail::raise(err);
        return totp_authenticate_response(r);
    }
    // POST /v1/totps/recover that starts or extends a session.
    totp_recover_response recover(std::string_view user_id, std::string_view recovery_code,
                                  const session_args &session) const {
        detail::c_string id(user_id, "user_id");
        detail::c_string code(recovery_code, "recovery_code");
        sign_in_session s(session);
        stytch_error *err = nullptr;
        stytch_totp_recover_response *r = stytch_totp_recover_with_session(
            client_, id.c_str(), code.c_str(), s.token.c_str(), s.jwt.c_str(), session.session_duration_minutes,
            s.claims.c_str(), &err);
        if (!r) detail::raise(err);
        return totp_recover_response(r);
    }

private:
    // The session arguments as C strings.
    struct sign_in_session {
        explicit sign_in_session(const session_args &a)
            : token(a.session_token, "session_token"), jwt(a.session_jwt, "session_jwt"),
              claims(a.session_custom_claims_json, "session_custom_claims_json") {}
        detail::optional_c_string token, jwt, claims;
    };
    const stytch_client *client_;

    friend class sessions_api;
};

// client.sessions(): the sessions TOTP sign-ins start (the client needs a
// project_id).
class sessions_api {
public:
    explicit sessions_api(const stytch_client *client) noexcept : client_(client) {}

    // POST /v1/sessions/authenticate: the session of session_token or
    // session_jwt (an expired JWT of a live session is refreshed), extended
    // and its claims merged as asked.
    sessions_authenticate_response authenticate(const session_args &session) const {
        totps_api::sign_in_session s(session);
        stytch_error *err = nullptr;
        stytch_sessions_authenticate_response *r = stytch_sessions_authenticate(
            client_, s.token.c_str(), s.jwt.c_str(), session.session_duration_minutes, s.claims.c_str(), &err);
        if (!r) detail::raise(err);
        return sessions_authenticate_response(r);
    }
    // POST /v1/sessions/revoke.
    sessions_revoke_response revoke(const revoke_params &params) const {
        detail::optional_c_string id(params.session_id, "session_id");
        detail::optional_c_string token(params.session_token, "session_token");
        detail::optional_c_string jwt(params.session_jwt, "session_jwt");
        stytch_error *err = nullptr;
        stytch_sessions_revoke_response *r = stytch_sessions_revoke(client_, id.c_str(), token.c_str(), jwt.c_str(), &err);
        if (!r) detail::raise(err);
        return sessions_revoke_response(r);
    }
    // GET /v1/sessions?user_id=: the user's live sessions, oldest first.
    sessions_get_response get(std::string_view user_id) const {
        detail::c_string id(user_id, "user_id");
        stytch_error *err = nullptr;
        stytch_sessions_get_response *r = stytch_sessions_get(client_, id.c_str(), &err);
        if (!r) detail::raise(err);
        return sessions_get_response(r);
    }
    // GET /v1/sessions/jwks/{project_id}: the keys that verify session JWTs.
    sessions_get_jwks_response get_jwks(std::string_view project_id) const {
        detail::c_string id(project_id, "project_id");
        stytch_error *err = nullptr;
        stytch_sessions_get_jwks_response *r = stytch_sessions_get_jwks(client_, id.c_str(), &err);
        if (!r) detail::raise(err);
        return sessions_get_jwks_response(r);
    }
    // Verifies a session JWT against the project's keys with no store read, as
    // the official SDKs' authenticate_jwt_local: throws an error of type
    // unable_to_parse_session_jwt when it does not verify (expired, tampered,
    // another project's, or issued max_token_age_seconds or more ago).
    sessions_authenticate_jwt_local_response authenticate_jwt_local(
        std::string_view session_jwt, std::optional<std::int64_t> max_token_age_seconds = std::nullopt,
        std::int32_t leeway_seconds = 0) const {
        detail::c_string jwt(session_jwt, "session_jwt");
        std::int64_t max_age = max_token_age_seconds ? (*max_token_age_seconds < 0 ? 0 : *max_token_age_seconds) : -1;
        stytch_error *err = nullptr;
        stytch_sessions_authenticate_jwt_local_response *r =
            stytch_sessions_authenticate_jwt_local(client_, jwt.c_str(), max_age, leeway_seconds, &err);
        if (!r) detail::raise(err);
        return sessions_authenticate_jwt_local_response(r);
    }

private:
    const stytch_client *client_;
};

// A Stytch TOTP project: configuration plus its store. Thread-safe: share one
// client across threads. Move-only.
class client : public detail::handle<stytch_client, stytch_client_free> {
public:
    // All defaults: the durable store stytch_totp.db in the working directory.
    client() : handle(open(nullptr)) {}
    // config_json: database, environment, issuer, lockout (see stytch_totp.h).
    explicit client(std::string_view config_json)
        : handle(open(detail::c_string(config_json, "config_json").c_str())) {}
    // Adopts a client opened with stytch_client_new.
    explicit client(stytch_client *raw) noexcept : handle(raw) {}

    users_api users() const noexcept { return users_api(get()); }
    totps_api totps() const noexcept { return totps_api(get()); }
    sessions_api sessions() const noexcept { return sessions_api(get()); }

    // The HTTP-shaped API: the response body JSON, success or error, exactly
    // as Stytch would send it. An empty body_json sends none.
    std::string call(std::string_view method, std::string_view path, std::string_view body_json = {}) const {
        detail::c_string m(method, "method");
        detail::c_string p(path, "path");
        detail::c_string b(body_json, "body_json");
        return detail::take(stytch_call(get(), m.c_str(), p.c_str(), body_json.empty() ? nullptr : b.c_str()));
    }

    // Stops the client's clock at unix_time (tests and simulations).
    void set_time(std::int64_t unix_time) const {
        stytch_error *err = nullptr;
        if (!stytch_client_set_time(get(), unix_time, &err)) detail::raise(err);
    }

    // Makes now(context) the time source; nullptr restores the system clock.
    // `now` must be thread-safe and `context` must outlive its use.
    void set_clock(stytch_clock_fn now, void *context) const noexcept {
        stytch_client_set_clock(get(), now, context);
    }

private:
    static stytch_client *open(const char *config_json) {
        check_version();
        stytch_error *err = nullptr;
        stytch_client *raw = stytch_client_new(config_json, &err);
        if (!raw) detail::raise(err);
        return raw;
    }
};

// The 6-digit code an authenticator app shows for secret_base32 at unix_time.
// Throws std::invalid_argument for an empty or invalid secret.
inline std::string totp_code(std::string_view secret_base32, std::int64_t unix_time) {
    detail::c_string secret(secret_base32, "secret");
    char *code = stytch_totp_code(secret.c_str(), unix_time);
    if (!code) throw std::invalid_argument("stytch_totp: invalid base32 secret");
    return detail::take(code);
}

// QR helpers: drawn here, never sent anywhere; they need no client. Their
// results encode the TOTP secret: keep them as private as the secret.
// Failures throw stytch_totp::error (400 bad_request), as the C functions
// report them.

// The otpauth URI an authenticator app scans (the text inside a create
// response's qr_code): issuer is the client's issuer, account the user's
// email, else phone number, else user ID; secret_base32 the response's secret.
inline std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view secret_base32) {
    detail::c_string i(issuer, "issuer"), a(account, "account"), s(secret_base32, "secret_base32");
    stytch_error *err = nullptr;
    char *uri = stytch_totp_otpauth_uri(i.c_str(), a.c_str(), s.c_str(), &err);
    if (!uri) detail::raise(err);
    return detail::take(uri);
}

// The PNG bytes of a QR code of text (usually an otpauth URI); for the same
// URI, byte for byte the image inside a create response's qr_code.
inline std::vector<std::uint8_t> qr_png(std::string_view text) {
    detail::c_string t(text, "text");
    stytch_error *err = nullptr;
    std::size_t len = 0;
    std::uint8_t *png = stytch_totp_qr_png(t.c_str(), &len, &err);
    if (!png) detail::raise(err);
    struct release {
        std::uint8_t *p;
        std::size_t n;
        ~release() { stytch_bytes_free(p, n); }
    } guard{png, len};
    return std::vector<std::uint8_t>(png, png + len);
}

// Writes qr_png(text) to the file at path (owner-only permissions), replacing
// any file there in one rename.
inline void write_qr_png(std::string_view text, std::string_view path) {
    detail::c_string t(text, "text"), p(path, "path");
    stytch_error *err = nullptr;
    if (!stytch_totp_qr_png_write(t.c_str(), p.c_str(), &err)) detail::raise(err);
}

// The QR code of qr_png(text) as an SVG document.
inline std::string qr_svg(std::string_view text) {
    detail::c_string t(text, "text");
    stytch_error *err = nullptr;
    char *svg = stytch_totp_qr_svg(t.c_str(), &err);
    if (!svg) detail::raise(err);
    return detail::take(svg);
}

}  // namespace stytch_totp

#endif /* STYTCH_TOTP_HPP */
