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
 * - Failures throw stytch_totp::error with Stytch's fields. Arguments with an
 *   embedded NUL throw std::invalid_argument; index getters out of range throw
 *   std::out_of_range.
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

// A failed call: Stytch's error fields. Thrown by every fallible call.
// Copying it never throws (the fields are shared).
class error : public std::runtime_error {
public:
    // Adopts and frees `err` (which may be NULL: a call failed without detail).
    explicit error(stytch_error *err) : error(adopt(err)) {}

    // The HTTP status: 400, 401, 404, 429 or 500 (0 if the library gave no detail).
    std::int32_t status_code() const noexcept { return fields_->status_code; }
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

// A user (api_user_v1_User), borrowed from the response that returned it:
// valid until that response is destroyed or moved from.
class user {
public:
    explicit user(const stytch_user *raw) noexcept : raw_(raw) {}

    std::string_view user_id() const noexcept { return detail::view(stytch_user_user_id(raw_)); }
    // "active" or "pending".
    std::string_view status() const noexcept { return detail::view(stytch_user_status(raw_)); }
    std::string_view first_name() const noexcept { return detail::view(stytch_user_first_name(raw_)); }
    std::string_view middle_name() const noexcept { return detail::view(stytch_user_middle_name(raw_)); }
    std::string_view last_name() const noexcept { return detail::view(stytch_user_last_name(raw_)); }
    // RFC 3339 UTC.
    std::string_view created_at() const noexcept { return detail::view(stytch_user_created_at(raw_)); }
    std::optional<std::string_view> external_id() const noexcept {
        return detail::optional_view(stytch_user_external_id(raw_));
    }
    bool is_locked() const noexcept { return stytch_user_is_locked(raw_); }
    std::optional<std::string_view> lock_created_at() const noexcept {
        return detail::optional_view(stytch_user_lock_created_at(raw_));
    }
    std::optional<std::string_view> lock_expires_at() const noexcept {
        return detail::optional_view(stytch_user_lock_expires_at(raw_));
    }
    // JSON object text ("{}" when empty).
    std::string_view trusted_metadata() const noexcept { return detail::view(stytch_user_trusted_metadata(raw_)); }
    std::string_view untrusted_metadata() const noexcept {
        return detail::view(stytch_user_untrusted_metadata(raw_));
    }

    std::size_t emails_len() const noexcept { return stytch_user_emails_len(raw_); }
    std::string_view email_id(std::size_t i) const {
        detail::check_index(i, emails_len(), "emails");
        return detail::view(stytch_user_email_id(raw_, i));
    }
    std::string_view email_address(std::size_t i) const {
        detail::check_index(i, emails_len(), "emails");
        return detail::view(stytch_user_email_address(raw_, i));
    }
    bool email_verified(std::size_t i) const {
        detail::check_index(i, emails_len(), "emails");
        return stytch_user_email_verified(raw_, i);
    }

    std::size_t phone_numbers_len() const noexcept { return stytch_user_phone_numbers_len(raw_); }
    std::string_view phone_id(std::size_t i) const {
        detail::check_index(i, phone_numbers_len(), "phone_numbers");
        return detail::view(stytch_user_phone_id(raw_, i));
    }
    // E.164.
    std::string_view phone_number(std::size_t i) const {
        detail::check_index(i, phone_numbers_len(), "phone_numbers");
        return detail::view(stytch_user_phone_number(raw_, i));
    }
    bool phone_verified(std::size_t i) const {
        detail::check_index(i, phone_numbers_len(), "phone_numbers");
        return stytch_user_phone_verified(raw_, i);
    }

    // Usable TOTPs: verified, or pending and not expired.
    std::size_t totps_len() const noexcept { return stytch_user_totps_len(raw_); }
    std::string_view totp_id(std::size_t i) const {
        detail::check_index(i, totps_len(), "totps");
        return detail::view(stytch_user_totp_id(raw_, i));
    }
    bool totp_verified(std::size_t i) const {
        detail::check_index(i, totps_len(), "totps");
        return stytch_user_totp_verified(raw_, i);
    }

    std::size_t roles_len() const noexcept { return stytch_user_roles_len(raw_); }
    std::string_view role(std::size_t i) const {
        detail::check_index(i, roles_len(), "roles");
        return detail::view(stytch_user_role(raw_, i));
    }

    // The user object as JSON.
    std::string to_json() const { return detail::take(stytch_user_to_json(raw_)); }
    const stytch_user *get() const noexcept { return raw_; }

private:
    const stytch_user *raw_;
};

// POST /v1/users (api_user_v1_CreateResponse).
class users_create_response
    : public detail::handle<stytch_users_create_response, stytch_users_create_response_free> {
public:
    using handle::handle;
    std::string_view request_id() const noexcept {
        return detail::view(stytch_users_create_response_request_id(get()));
    }
    std::int32_t status_code() const noexcept { return stytch_users_create_response_status_code(get()); }
    std::string_view user_id() const noexcept { return detail::view(stytch_users_create_response_user_id(get())); }
    // "" when no email was given.
    std::string_view email_id() const noexcept { return detail::view(stytch_users_create_response_email_id(get())); }
    // "" when no phone number was given.
    std::string_view phone_id() const noexcept { return detail::view(stytch_users_create_response_phone_id(get())); }
    std::string_view status() const noexcept { return detail::view(stytch_users_create_response_status(get())); }
    stytch_totp::user user() const noexcept { return stytch_totp::user(stytch_users_create_response_user(get())); }
    std::string to_json() const { return detail::take(stytch_users_create_response_to_json(get())); }
};

// GET /v1/users/{user_id} (api_user_v1_GetResponse).
class users_get_response : public detail::handle<stytch_users_get_response, stytch_users_get_response_free> {
public:
    using handle::handle;
    std::string_view request_id() const noexcept {
        return detail::view(stytch_users_get_response_request_id(get()));
    }
    std::int32_t status_code() const noexcept { return stytch_users_get_response_status_code(get()); }
    stytch_totp::user user() const noexcept { return stytch_totp::user(stytch_users_get_response_user(get())); }
    std::string to_json() const { return detail::take(stytch_users_get_response_to_json(get())); }
};

// DELETE /v1/users/{user_id} (api_user_v1_DeleteResponse).
class users_delete_response
    : public detail::handle<stytch_users_delete_response, stytch_users_delete_response_free> {
public:
    using handle::handle;
    std::string_view request_id() const noexcept {
        return detail::view(stytch_users_delete_response_request_id(get()));
    }
    std::int32_t status_code() const noexcept { return stytch_users_delete_response_status_code(get()); }
    std::string_view user_id() const noexcept { return detail::view(stytch_users_delete_response_user_id(get())); }
    std::string to_json() const { return detail::take(stytch_users_delete_response_to_json(get())); }
};

// DELETE /v1/users/totps/{totp_id} (api_user_v1_DeleteTOTPResponse).
class users_delete_totp_response
    : public detail::handle<stytch_users_delete_totp_response, stytch_users_delete_totp_response_free> {
public:
    using handle::handle;
    std::string_view request_id() const noexcept {
        return detail::view(stytch_users_delete_totp_response_request_id(get()));
    }
    std::int32_t status_code() const noexcept { return stytch_users_delete_totp_response_status_code(get()); }
    std::string_view user_id() const noexcept {
        return detail::view(stytch_users_delete_totp_response_user_id(get()));
    }
    stytch_totp::user user() const noexcept {
        return stytch_totp::user(stytch_users_delete_totp_response_user(get()));
    }
    std::string to_json() const { return detail::take(stytch_users_delete_totp_response_to_json(get())); }
};

// POST /v1/totps (api_totp_v1_CreateResponse). Holds the secret and the
// recovery codes; the library wipes them when the response is destroyed.
class totp_create_response
    : public detail::handle<stytch_totp_create_response, stytch_totp_create_response_free> {
public:
    using handle::handle;
    std::string_view request_id() const noexcept {
        return detail::view(stytch_totp_create_response_request_id(get()));
    }
    std::int32_t status_code() const noexcept { return stytch_totp_create_response_status_code(get()); }
    std::string_view totp_id() const noexcept { return detail::view(stytch_totp_create_response_totp_id(get())); }
    // Base32, 32 characters. Secret: do not log it.
    std::string_view secret() const noexcept { return detail::view(stytch_totp_create_response_secret(get())); }
    // "data:image/png;base64, ...".
    std::string_view qr_code() const noexcept { return detail::view(stytch_totp_create_response_qr_code(get())); }
    std::size_t recovery_codes_len() const noexcept { return stytch_totp_create_response_recovery_codes_len(get()); }
    // "xxxx-xxxx-xxxx". Secret.
    std::string_view recovery_code(std::size_t i) const {
        detail::check_index(i, recovery_codes_len(), "recovery_codes");
        return detail::view(stytch_totp_create_response_recovery_code(get(), i));
    }
    std::string_view user_id() const noexcept { return detail::view(stytch_totp_create_response_user_id(get())); }
    stytch_totp::user user() const noexcept { return stytch_totp::user(stytch_totp_create_response_user(get())); }
    // With the secret: the library wipes its own copy, this std::string is yours to clear.
    std::string to_json() const { return detail::take(stytch_totp_create_response_to_json(get())); }
};

// POST /v1/totps/authenticate and POST /v1/totps/recover
// (api_totp_v1_AuthenticateResponse / api_totp_v1_RecoverResponse). No session
// is created: the tokens are "".
class totp_authenticate_response
    : public detail::handle<stytch_totp_authenticate_response, stytch_totp_authenticate_response_free> {
public:
    using handle::handle;
    std::string_view request_id() const noexcept {
        return detail::view(stytch_totp_authenticate_response_request_id(get()));
    }
    std::int32_t status_code() const noexcept { return stytch_totp_authenticate_response_status_code(get()); }
    std::string_view totp_id() const noexcept {
        return detail::view(stytch_totp_authenticate_response_totp_id(get()));
    }
    std::string_view user_id() const noexcept {
        return detail::view(stytch_totp_authenticate_response_user_id(get()));
    }
    std::string_view session_token() const noexcept {
        return detail::view(stytch_totp_authenticate_response_session_token(get()));
    }
    std::string_view session_jwt() const noexcept {
        return detail::view(stytch_totp_authenticate_response_session_jwt(get()));
    }
    stytch_totp::user user() const noexcept {
        return stytch_totp::user(stytch_totp_authenticate_response_user(get()));
    }
    std::string to_json() const { return detail::take(stytch_totp_authenticate_response_to_json(get())); }
};

using totp_recover_response = totp_authenticate_response;

// POST /v1/totps/recovery_codes (api_totp_v1_RecoveryCodesResponse). Holds
// recovery codes; the library wipes them when the response is destroyed.
class totp_recovery_codes_response
    : public detail::handle<stytch_totp_recovery_codes_response, stytch_totp_recovery_codes_response_free> {
public:
    using handle::handle;
    std::string_view request_id() const noexcept {
        return detail::view(stytch_totp_recovery_codes_response_request_id(get()));
    }
    std::int32_t status_code() const noexcept { return stytch_totp_recovery_codes_response_status_code(get()); }
    std::string_view user_id() const noexcept {
        return detail::view(stytch_totp_recovery_codes_response_user_id(get()));
    }
    std::size_t totps_len() const noexcept { return stytch_totp_recovery_codes_response_totps_len(get()); }
    std::string_view totp_id(std::size_t i) const {
        detail::check_index(i, totps_len(), "totps");
        return detail::view(stytch_totp_recovery_codes_response_totp_id(get(), i));
    }
    bool totp_verified(std::size_t i) const {
        detail::check_index(i, totps_len(), "totps");
        return stytch_totp_recovery_codes_response_totp_verified(get(), i);
    }
    // Number of unused recovery codes of totps[i].
    std::size_t totp_recovery_codes_len(std::size_t i) const {
        detail::check_index(i, totps_len(), "totps");
        return stytch_totp_recovery_codes_response_totp_recovery_codes_len(get(), i);
    }
    // Secret.
    std::string_view totp_recovery_code(std::size_t i, std::size_t j) const {
        detail::check_index(j, totp_recovery_codes_len(i), "recovery_codes");
        return detail::view(stytch_totp_recovery_codes_response_totp_recovery_code(get(), i, j));
    }
    std::string to_json() const { return detail::take(stytch_totp_recovery_codes_response_to_json(get())); }
};

// client.users(): the /v1/users routes. Borrows the client: use it while the
// client lives.
class users_api {
public:
    explicit users_api(const stytch_client *client) noexcept : client_(client) {}

    // POST /v1/users with Stytch's request body (email, phone_number, name,
    // external_id, trusted_metadata, untrusted_metadata).
    users_create_response create(std::string_view request_json = "{}") const {
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
        stytch_error *err = nullptr;
        stytch_client *raw = stytch_client_new(config_json, &err);
        if (!raw) detail::raise(err);
        return raw;
    }
};

// The version of the library loaded at run time, e.g. "0.1.0".
inline std::string_view version() noexcept { return detail::view(stytch_version()); }

// True when the library loaded at run time has the major version of this
// header (the soname's promise; see STYTCH_TOTP_VERSION).
inline bool version_compatible() noexcept {
    std::string_view v = version();
    std::string major = std::to_string(STYTCH_TOTP_VERSION_MAJOR) + ".";
    return v.substr(0, major.size()) == major;
}

// The 6-digit code an authenticator app shows for secret_base32 at unix_time.
// Throws std::invalid_argument for an empty or invalid secret.
inline std::string totp_code(std::string_view secret_base32, std::int64_t unix_time) {
    detail::c_string secret(secret_base32, "secret");
    char *code = stytch_totp_code(secret.c_str(), unix_time);
    if (!code) throw std::invalid_argument("stytch_totp: invalid base32 secret");
    return detail::take(code);
}

}  // namespace stytch_totp

#endif /* STYTCH_TOTP_HPP */
