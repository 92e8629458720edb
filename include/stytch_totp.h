/*
 * stytch_totp.h: Stytch's TOTP API (enrolment, authentication, recovery) as an
 * embeddable C library. Generated from the Rust sources by cbindgen
 * (`make header`); do not edit.
 *
 * Usage:
 *
 *     stytch_error *err = NULL;
 *     stytch_client *client = stytch_client_new("{\"database\":\"app.db\"}", &err);
 *     if (!client) { fprintf(stderr, "%s\n", stytch_error_message(err)); stytch_error_free(err); return 1; }
 *
 *     stytch_users_create_response *user =
 *         stytch_users_create(client, "{\"email\":\"ada@example.com\"}", &err);
 *     const char *user_id = stytch_users_create_response_user_id(user);  // borrowed
 *
 *     stytch_totp_create_response *totp = stytch_totp_create(client, user_id, 0, &err);
 *     if (totp) {
 *         puts(stytch_totp_create_response_secret(totp));   // borrowed, valid until _free
 *         stytch_totp_create_response_free(totp);
 *     } else if (stytch_error_get_code(err) == STYTCH_ERROR_CODE_USER_NOT_FOUND) {
 *         ...
 *     }
 *     stytch_users_create_response_free(user);
 *     stytch_client_free(client);
 *
 * The declarations follow in this order: the client and `stytch_call`, the
 * user routes, the TOTP routes, the response handles and their accessors, the
 * error handle and its codes, the helpers, then the operator functions (keys
 * from a KMS or HSM, re-sealing, the store's lockout policy).
 *
 * Ownership: accessors return borrowed pointers valid until the handle's _free;
 * functions returning `char *` give an owned string for stytch_string_free().
 * Every _free(NULL) is a no-op. Every accessor answers a NULL handle with NULL,
 * 0 or false. No function aborts the process on bad input.
 *
 * Versions: a program or binding built against this header checks
 * stytch_version_is_compatible(STYTCH_TOTP_VERSION) when it starts.
 */

#ifndef STYTCH_TOTP_H
#define STYTCH_TOTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STYTCH_TOTP_VERSION "0.1.0"
#define STYTCH_TOTP_VERSION_MAJOR 0
#define STYTCH_TOTP_VERSION_MINOR 1
#define STYTCH_TOTP_VERSION_PATCH 0


/**
 * An error type, as `stytch_error_get_code` returns it. Its name in words is
 * Stytch's `error_type` (`STYTCH_ERROR_CODE_USER_NOT_FOUND` is
 * `"user_not_found"`); its value is the HTTP status times 100 plus a serial
 * number, so the status is the value / 100. `docs/ERRORS.md` lists every
 * type with its status and meaning.
 */
typedef enum {
  /**
   * 400: a required field is missing, has the wrong type, is not UTF-8 or
   * is too long; or the body is not a JSON object, or has an unknown field.
   */
  STYTCH_ERROR_CODE_BAD_REQUEST = 40001,
  /**
   * 400: an empty or malformed `user_id`.
   */
  STYTCH_ERROR_CODE_INVALID_USER_ID = 40002,
  /**
   * 400: `email` is not an email address.
   */
  STYTCH_ERROR_CODE_INVALID_EMAIL = 40003,
  /**
   * 400: `phone_number` is not E.164.
   */
  STYTCH_ERROR_CODE_INVALID_PHONE_NUMBER = 40004,
  /**
   * 400: another user has this `external_id`.
   */
  STYTCH_ERROR_CODE_DUPLICATE_EXTERNAL_ID = 40005,
  /**
   * 400: another user has this `email` (compared without regard to ASCII
   * case).
   */
  STYTCH_ERROR_CODE_DUPLICATE_EMAIL = 40026,
  /**
   * 400: another user has this `phone_number`.
   */
  STYTCH_ERROR_CODE_DUPLICATE_PHONE_NUMBER = 40027,
  /**
   * 400: `expiration_minutes` is out of range.
   */
  STYTCH_ERROR_CODE_INVALID_EXPIRATION = 40006,
  /**
   * 400: the user already has a verified TOTP.
   */
  STYTCH_ERROR_CODE_ACTIVE_TOTP_EXISTS = 40007,
  /**
   * 400: `totp_code` is not six ASCII digits.
   */
  STYTCH_ERROR_CODE_INVALID_TOTP_CODE = 40008,
  /**
   * 400: the unverified TOTP ran past its `expiration_minutes`.
   */
  STYTCH_ERROR_CODE_EXPIRED_TOTP = 40009,
  /**
   * 400: a TOTP code of a step already used.
   */
  STYTCH_ERROR_CODE_TOTP_CODE_ALREADY_AUTHENTICATED = 40010,
  /**
   * 400: `recovery_code` is not `xxxx-xxxx-xxxx`.
   */
  STYTCH_ERROR_CODE_INVALID_RECOVERY_CODE = 40011,
  /**
   * 400: a six-digit TOTP code sent as a recovery code.
   */
  STYTCH_ERROR_CODE_TOTP_CODE_USED_AS_RECOVERY_CODE = 40012,
  /**
   * 400: the client configuration is invalid.
   */
  STYTCH_ERROR_CODE_INVALID_CONFIG = 40013,
  /**
   * 400: a client created before `fork()` was used in the child process.
   */
  STYTCH_ERROR_CODE_CLIENT_USED_AFTER_FORK = 40014,
  /**
   * 400: the encryption keys do not fit the store.
   */
  STYTCH_ERROR_CODE_ENCRYPTION_KEY_MISMATCH = 40015,
  /**
   * 400: the client asks for a lockout policy other than the store's.
   */
  STYTCH_ERROR_CODE_LOCKOUT_POLICY_MISMATCH = 40016,
  /**
   * 400: the database file cannot safely be used as it is.
   */
  STYTCH_ERROR_CODE_DATABASE_REFUSED = 40017,
  /**
   * 400: `session_duration_minutes` is outside 5..=527040.
   */
  STYTCH_ERROR_CODE_INVALID_SESSION_DURATION_MINUTES = 40018,
  /**
   * 400: `session_custom_claims` is not a JSON object.
   */
  STYTCH_ERROR_CODE_UNABLE_TO_REPRESENT_CUSTOM_CLAIMS_JSON = 40019,
  /**
   * 400: a custom claim uses a registered JWT claim name.
   */
  STYTCH_ERROR_CODE_RESERVED_CLAIMS_IN_CUSTOM_CLAIMS = 40020,
  /**
   * 400: a custom claim name starts with `https://stytch.com/`.
   */
  STYTCH_ERROR_CODE_STYTCH_CLAIMS_IN_CUSTOM_CLAIMS = 40021,
  /**
   * 400: the session's custom claims would exceed 4 KB.
   */
  STYTCH_ERROR_CODE_CUSTOM_CLAIMS_TOO_LARGE = 40022,
  /**
   * 400: `session_token` cannot be a session token.
   */
  STYTCH_ERROR_CODE_INVALID_SESSION_TOKEN = 40023,
  /**
   * 400: more than one of `session_token`, `session_jwt` (and, to revoke,
   * `session_id`).
   */
  STYTCH_ERROR_CODE_TOO_MANY_SESSION_ARGUMENTS = 40024,
  /**
   * 400: the session belongs to another user.
   */
  STYTCH_ERROR_CODE_USER_ID_MISMATCH = 40025,
  /**
   * 401: a wrong TOTP code (counted towards the lockout).
   */
  STYTCH_ERROR_CODE_UNABLE_TO_AUTHENTICATE_TOTP = 40101,
  /**
   * 401: a wrong or used recovery code (counted towards the lockout).
   */
  STYTCH_ERROR_CODE_UNABLE_TO_AUTHENTICATE_RECOVERY_CODE = 40102,
  /**
   * 401: `session_jwt` is not a session JWT of this project's keys.
   */
  STYTCH_ERROR_CODE_UNABLE_TO_PARSE_SESSION_JWT = 40103,
  /**
   * 404: no user has this `user_id` or `external_id`.
   */
  STYTCH_ERROR_CODE_USER_NOT_FOUND = 40401,
  /**
   * 404: no usable TOTP.
   */
  STYTCH_ERROR_CODE_TOTP_NOT_FOUND = 40402,
  /**
   * 404: no such method and path in `stytch_call`.
   */
  STYTCH_ERROR_CODE_ROUTE_NOT_FOUND = 40403,
  /**
   * 404: no live session matches the token, JWT or ID.
   */
  STYTCH_ERROR_CODE_SESSION_NOT_FOUND = 40404,
  /**
   * 429: the user is locked out after too many failures.
   */
  STYTCH_ERROR_CODE_USER_LOCK_LIMIT_REACHED = 42901,
  /**
   * 500: the library failed (storage, clock, a caught panic).
   */
  STYTCH_ERROR_CODE_INTERNAL_SERVER_ERROR = 50001,
  /**
   * 503: the database server cannot be reached, or is starting or
   * stopping; nothing was changed, and trying again later can succeed.
   */
  STYTCH_ERROR_CODE_DATABASE_UNAVAILABLE = 50301,
} stytch_error_code;

/**
 * A Stytch TOTP project: configuration plus its store.
 *
 * Thread-safe: share one client across threads; every call may run
 * concurrently. Free it once, after every other call on it has returned.
 */
typedef struct stytch_client stytch_client;

/**
 * An error: Stytch's `status_code`, `error_type`, `error_message`, `error_url`
 * and `request_id`. Immutable: any thread may read it; free it once with
 * `stytch_error_free`.
 */
typedef struct stytch_error stytch_error;

/**
 * A session (`api_session_v1_Session`). Always borrowed from the response
 * that returned it and valid until that response is freed; never freed on
 * its own. Immutable: any thread may read it.
 */
typedef struct stytch_session stytch_session;

/**
 * Result of `stytch_sessions_authenticate_jwt_local`: the session a verified
 * JWT carries. Immutable: any thread may read it; free it once.
 */
typedef struct stytch_sessions_authenticate_jwt_local_response stytch_sessions_authenticate_jwt_local_response;

/**
 * Response of `stytch_sessions_authenticate`
 * (`api_session_v1_AuthenticateResponse`). Holds the session token and JWT:
 * they are wiped from memory when it is freed. Immutable: any thread may
 * read it; free it once.
 */
typedef struct stytch_sessions_authenticate_response stytch_sessions_authenticate_response;

/**
 * Response of `stytch_sessions_get_jwks` (`api_session_v1_GetJWKSResponse`).
 * Immutable: any thread may read it; free it once.
 */
typedef struct stytch_sessions_get_jwks_response stytch_sessions_get_jwks_response;

/**
 * Response of `stytch_sessions_get` (`api_session_v1_GetResponse`).
 * Immutable: any thread may read it; free it once.
 */
typedef struct stytch_sessions_get_response stytch_sessions_get_response;

/**
 * Response of `stytch_sessions_revoke` (`api_session_v1_RevokeResponse`).
 * Immutable: any thread may read it; free it once.
 */
typedef struct stytch_sessions_revoke_response stytch_sessions_revoke_response;

/**
 * Response of `stytch_totp_authenticate` and `stytch_totp_recover`
 * (`api_totp_v1_AuthenticateResponse` / `api_totp_v1_RecoverResponse`, which
 * have the same fields). Without session arguments no session is created:
 * `session` is null and the tokens are `""`. Immutable: any thread may read it; free it once.
 */
typedef struct stytch_totp_authenticate_response stytch_totp_authenticate_response;

/**
 * Response of `stytch_totp_create` (`api_totp_v1_CreateResponse`). Holds the
 * secret and recovery codes: they are wiped from memory when it is freed.
 * Immutable: any thread may read it; free it once.
 */
typedef struct stytch_totp_create_response stytch_totp_create_response;

/**
 * Response of `stytch_totp_recovery_codes` (`api_totp_v1_RecoveryCodesResponse`).
 * Holds recovery codes: they are wiped from memory when it is freed.
 * Immutable: any thread may read it; free it once.
 */
typedef struct stytch_totp_recovery_codes_response stytch_totp_recovery_codes_response;

/**
 * A user (`api_user_v1_User`). Always borrowed from the response that returned
 * it and valid until that response is freed; never freed on its own.
 * Immutable: any thread may read it.
 */
typedef struct stytch_user stytch_user;

/**
 * Response of `stytch_users_create` (`api_user_v1_CreateResponse`).
 * Immutable: any thread may read it; free it once.
 */
typedef struct stytch_users_create_response stytch_users_create_response;

/**
 * Response of `stytch_users_delete` (`api_user_v1_DeleteResponse`).
 * Immutable: any thread may read it; free it once.
 */
typedef struct stytch_users_delete_response stytch_users_delete_response;

/**
 * Response of `stytch_users_delete_totp` (`api_user_v1_DeleteTOTPResponse`).
 * Immutable: any thread may read it; free it once.
 */
typedef struct stytch_users_delete_totp_response stytch_users_delete_totp_response;

/**
 * Response of `stytch_users_get` (`api_user_v1_GetResponse`, the user's fields
 * at the top level). Immutable: any thread may read it; free it once.
 */
typedef struct stytch_users_get_response stytch_users_get_response;

/**
 * A host clock: returns Unix time in seconds. Called from any thread that
 * uses the client, so it must be thread-safe.
 */
typedef int64_t (*stytch_clock_fn)(void *context);

/**
 * Response of `stytch_totp_recover`: the same type as the authenticate
 * response; read it with the `stytch_totp_authenticate_response_*` functions.
 */
typedef stytch_totp_authenticate_response stytch_totp_recover_response;

/**
 * A host's key provider: writes the 32 bytes of the key named `key_id` to
 * `key_out` and returns true, or returns false when it has no such key.
 * Must not unwind (no C++ exception, no longjmp) out of the call.
 */
typedef bool (*stytch_key_provider_fn)(const char *key_id, uint8_t *key_out, void *context);

#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

/**
 * Opens a client. `config_json` may be NULL (all defaults) or a JSON object:
 * `database` (file path, default `"stytch_totp.db"`; `":memory:"` for a private
 * in-memory store; a `postgres://` URL for a PostgreSQL store, with its
 * `postgres` object of settings), `environment` (`"test"` | `"live"`), `issuer` (otpauth
 * issuer, default `"Stytch TOTP"`), `lockout` (`{"max_failures": 1..=100,
 * "duration_minutes": 5..=10080}`, defaults 10 and 60; the store keeps one
 * policy, set by its first client: leave `lockout` out to adopt it),
 * `encryption_keys` (`[{"id": "2026-11", "key": "<base64 of 32 bytes>"}, ...]`,
 * the first seals, the others only open; without it secrets are stored
 * unencrypted), `recovery_codes` (`"encrypted"`, the default, or `"hashed"`:
 * shown once at enrolment, never listed; needs `encryption_keys`),
 * `share_database` (true: the file may hold another application's tables).
 * Unknown keys and bad values are errors (`invalid_config`). So are, when
 * the client opens: an unwritable path and a file that is not a database
 * (`internal_server_error`); a symbolic link, a file other accounts can read,
 * a read-only file or another application's database (`database_refused`);
 * a PostgreSQL server that cannot be reached (`database_unavailable`, 503);
 * keys that do not fit the store (`encryption_key_mismatch`); a `lockout`
 * other than the store's (`lockout_policy_mismatch`). A database file is
 * created with mode 0600.
 *
 * Returns the client, or NULL with `*error_out` set (when `error_out` is not
 * NULL). Free with `stytch_client_free`.
 *
 * # Safety
 * `config_json` is NULL or a NUL-terminated string; `error_out` is NULL or
 * writable.
 */
stytch_client *stytch_client_new(const char *config_json, stytch_error **error_out);

/**
 * Closes a client and its store. NULL is a no-op. Handles it returned stay valid.
 * In a child of `fork()`, a client made before the fork fails every call with
 * `client_used_after_fork`, and freeing it there releases nothing of its store
 * (its connection belongs to the parent).
 *
 * # Safety
 * `client` is NULL or a client not freed before, with no call on it running.
 */
void stytch_client_free(stytch_client *client);

/**
 * The whole HTTP-shaped API in one function. `method` is `"GET"`, `"POST"` or
 * `"DELETE"`; `path` one of `/v1/users`, `/v1/users/{user_id}`,
 * `/v1/users/totps/{totp_id}`, `/v1/totps`, `/v1/totps/authenticate`,
 * `/v1/totps/recovery_codes`, `/v1/totps/recover`; `body_json` may be NULL
 * (no body). A NULL client, method or path is a `bad_request` body.
 *
 * Returns the response body JSON exactly as Stytch would, success or error,
 * with `status_code` inside. Owned: release with `stytch_string_free`. NULL
 * only if memory cannot be allocated. Thread-safe.
 *
 * # Safety
 * The strings are NULL or NUL-terminated.
 */
char *stytch_call(const stytch_client *client, const char *method, const char *path, const char *body_json);

/**
 * Stops the client's clock at `unix_time` (seconds since 1970, up to year
 * 9999), for tests and simulations. Returns false with `*error_out` set for a
 * NULL client or a time out of range. Thread-safe.
 *
 * # Safety
 * `error_out` is NULL or writable.
 */
bool stytch_client_set_time(const stytch_client *client, int64_t unix_time, stytch_error **error_out);

/**
 * Makes `now(context)` the client's time source; NULL `now` restores the
 * system clock. `now` must be thread-safe and `context` must stay valid until
 * the clock is replaced or the client freed. It is called with no lock of
 * the library held, so it may itself call the library. A time outside 1970..=9999 makes
 * calls fail with `internal_server_error`. Does nothing for a NULL client.
 *
 * # Safety
 * `now` and `context` as described: the library calls `now(context)` later,
 * from any thread.
 */
void stytch_client_set_clock(const stytch_client *client, stytch_clock_fn now, void *context);

/**
 * Creates a user. `request_json` is Stytch's `POST /v1/users` body: optional
 * `email`, `phone_number` (E.164), `name` {`first_name`, `middle_name`,
 * `last_name`}, `external_id` (unique), `trusted_metadata`,
 * `untrusted_metadata`; NULL means `{}`. Returns a response handle, or NULL
 * with `*error_out` set (`bad_request`, `invalid_email`,
 * `invalid_phone_number`, `duplicate_external_id`). Thread-safe.
 *
 * A NULL `client` is a `bad_request`.
 *
 * # Safety
 * `request_json` is NULL or NUL-terminated; `error_out` is NULL or writable.
 */
stytch_users_create_response *stytch_users_create(const stytch_client *client, const char *request_json, stytch_error **error_out);

/**
 * Fetches a user by `user_id` or `external_id`. NULL with `*error_out` set:
 * `bad_request` (NULL `user_id` or `client`), `invalid_user_id` (empty or
 * malformed), `user_not_found`. Thread-safe.
 *
 * # Safety
 * `user_id` is NULL or NUL-terminated; `error_out` is NULL or writable.
 */
stytch_users_get_response *stytch_users_get(const stytch_client *client, const char *user_id, stytch_error **error_out);

/**
 * Deletes a user and its TOTPs. NULL with `*error_out` set: `bad_request`
 * (NULL `user_id` or `client`), `invalid_user_id`, `user_not_found`.
 * Thread-safe.
 *
 * # Safety
 * As for `stytch_users_get`.
 */
stytch_users_delete_response *stytch_users_delete(const stytch_client *client, const char *user_id, stytch_error **error_out);

/**
 * Deletes one TOTP (so that the user can enrol again). NULL with
 * `*error_out` set: `bad_request` (NULL or empty `totp_id`, NULL `client`),
 * `totp_not_found`. Thread-safe.
 *
 * # Safety
 * `totp_id` is NULL or NUL-terminated; `error_out` is NULL or writable.
 */
stytch_users_delete_totp_response *stytch_users_delete_totp(const stytch_client *client, const char *totp_id, stytch_error **error_out);

/**
 * Enrols a TOTP for a user (`user_id` or `external_id`). `expiration_minutes`:
 * 0 for the default (1440), else 5..=1440; an unverified TOTP stops working
 * after that long. A pending (unverified) TOTP of the user is replaced.
 * Returns the secret, QR code and recovery codes, or NULL with `*error_out`
 * set: `bad_request` (NULL `user_id` or `client`), `invalid_user_id`,
 * `user_not_found`, `invalid_expiration`, `active_totp_exists`. Thread-safe.
 *
 * # Safety
 * `user_id` is NULL or NUL-terminated; `error_out` is NULL or writable.
 */
stytch_totp_create_response *stytch_totp_create(const stytch_client *client, const char *user_id, int32_t expiration_minutes, stytch_error **error_out);

/**
 * Checks a 6-digit code from the user's authenticator app (steps T-1..T+1).
 * Success verifies the TOTP and resets the failure count. NULL with
 * `*error_out` set: `bad_request` (NULL `user_id`, `totp_code` or
 * `client`), `invalid_user_id`, `user_not_found`, `invalid_totp_code` (not 6
 * ASCII digits; not counted), `totp_not_found`, `expired_totp`,
 * `totp_code_already_authenticated` (replay), `unable_to_authenticate_totp`
 * (wrong code; counted), `user_lock_limit_reached` (locked). Thread-safe and
 * atomic: concurrent tries of one code have one winner.
 *
 * # Safety
 * The strings are NULL or NUL-terminated; `error_out` is NULL or writable.
 */
stytch_totp_authenticate_response *stytch_totp_authenticate(const stytch_client *client, const char *user_id, const char *totp_code, stytch_error **error_out);

/**
 * Lists the unused recovery codes of every usable TOTP of the user. NULL
 * with `*error_out` set: `bad_request` (NULL `user_id` or `client`),
 * `invalid_user_id`, `user_not_found`. Thread-safe.
 *
 * # Safety
 * As for `stytch_totp_create`.
 */
stytch_totp_recovery_codes_response *stytch_totp_recovery_codes(const stytch_client *client, const char *user_id, stytch_error **error_out);

/**
 * Signs in with a recovery code instead of a TOTP code, consuming it. Either
 * case, with or without dashes. NULL with `*error_out` set: `bad_request`
 * (NULL `user_id`, `recovery_code` or `client`), `invalid_user_id`,
 * `user_not_found`, `invalid_recovery_code` (malformed; not counted),
 * `totp_code_used_as_recovery_code`, `totp_not_found`, `expired_totp`,
 * `unable_to_authenticate_recovery_code` (wrong or used; counted),
 * `user_lock_limit_reached`. Read the result with the
 * `stytch_totp_authenticate_response_*` functions. Thread-safe and atomic.
 *
 * # Safety
 * As for `stytch_totp_authenticate`.
 */
stytch_totp_recover_response *stytch_totp_recover(const stytch_client *client, const char *user_id, const char *recovery_code, stytch_error **error_out);

/**
 * `stytch_totp_authenticate` that also starts or extends a session, as
 * `POST /v1/totps/authenticate` does with its session parameters. Give at
 * most one of `session_token` and `session_jwt` (a live session of this
 * user, extended) or neither; `session_duration_minutes` (0 for none, else
 * 5..=527040) starts a session when none is presented; without it and
 * without a session nothing is started. `session_custom_claims_json` is NULL
 * or a JSON object merged into the session's claims. Read the session with
 * `stytch_totp_authenticate_response_session` and the tokens with its
 * `_session_token` / `_session_jwt`. NULL with `*error_out` set: the errors
 * of `stytch_totp_authenticate`, and `bad_request` (a session argument not
 * UTF-8 or too long, claims not valid JSON), `invalid_config` (the client
 * has no `project_id`), `too_many_session_arguments`,
 * `invalid_session_token`, `unable_to_parse_session_jwt`,
 * `session_not_found`, `user_id_mismatch`,
 * `invalid_session_duration_minutes`, `unable_to_represent_custom_claims_json`,
 * `reserved_claims_in_custom_claims`, `stytch_claims_in_custom_claims`,
 * `custom_claims_too_large`. A session error consumes no code. Thread-safe
 * and atomic.
 *
 * # Safety
 * The strings are NULL or NUL-terminated; `error_out` is NULL or writable.
 */
stytch_totp_authenticate_response *stytch_totp_authenticate_with_session(const stytch_client *client, const char *user_id, const char *totp_code, const char *session_token, const char *session_jwt, int32_t session_duration_minutes, const char *session_custom_claims_json, stytch_error **error_out);

/**
 * `stytch_totp_recover` that also starts or extends a session, with the
 * session arguments and errors of `stytch_totp_authenticate_with_session`
 * besides those of `stytch_totp_recover`. Thread-safe and atomic.
 *
 * # Safety
 * As for `stytch_totp_authenticate_with_session`.
 */
stytch_totp_recover_response *stytch_totp_recover_with_session(const stytch_client *client, const char *user_id, const char *recovery_code, const char *session_token, const char *session_jwt, int32_t session_duration_minutes, const char *session_custom_claims_json, stytch_error **error_out);

/**
 * Checks a session by exactly one of `session_token` and `session_jwt` (an
 * expired JWT of a live session is refreshed), extends it by
 * `session_duration_minutes` (0 to leave it) and merges
 * `session_custom_claims_json` (NULL or a JSON object) into its claims, as
 * `POST /v1/sessions/authenticate`. NULL with `*error_out` set: `bad_request`
 * (neither token given, NULL `client`, an argument not UTF-8 or too long,
 * claims not valid JSON), `invalid_config` (no `project_id`),
 * `too_many_session_arguments` (both), `invalid_session_token`,
 * `unable_to_parse_session_jwt`, `session_not_found` (revoked or expired),
 * `invalid_session_duration_minutes`, `unable_to_represent_custom_claims_json`,
 * `reserved_claims_in_custom_claims`, `stytch_claims_in_custom_claims`,
 * `custom_claims_too_large`. Thread-safe.
 *
 * # Safety
 * The strings are NULL or NUL-terminated; `error_out` is NULL or writable.
 */
stytch_sessions_authenticate_response *stytch_sessions_authenticate(const stytch_client *client, const char *session_token, const char *session_jwt, int32_t session_duration_minutes, const char *session_custom_claims_json, stytch_error **error_out);

/**
 * Ends the session named by exactly one of `session_id`, `session_token`
 * and `session_jwt` (the others NULL), as `POST /v1/sessions/revoke`. NULL
 * with `*error_out` set: `bad_request` (none given, NULL `client`, an
 * argument not UTF-8 or too long), `invalid_config` (no `project_id`),
 * `too_many_session_arguments` (more than one), `invalid_session_token`,
 * `unable_to_parse_session_jwt`, `session_not_found`. Thread-safe.
 *
 * # Safety
 * The strings are NULL or NUL-terminated; `error_out` is NULL or writable.
 */
stytch_sessions_revoke_response *stytch_sessions_revoke(const stytch_client *client, const char *session_id, const char *session_token, const char *session_jwt, stytch_error **error_out);

/**
 * Lists a user's live sessions, oldest first, as `GET
 * /v1/sessions?user_id=`. NULL with `*error_out` set: `bad_request` (NULL
 * `user_id` or `client`), `invalid_config` (no `project_id`),
 * `invalid_user_id`, `user_not_found`. Thread-safe.
 *
 * # Safety
 * `user_id` is NULL or NUL-terminated; `error_out` is NULL or writable.
 */
stytch_sessions_get_response *stytch_sessions_get(const stytch_client *client, const char *user_id, stytch_error **error_out);

/**
 * The keys that verify this project's session JWTs now, as `GET
 * /v1/sessions/jwks/{project_id}`. NULL with `*error_out` set: `bad_request`
 * (NULL `project_id` or `client`, or another project's ID),
 * `invalid_config` (no `project_id`). Thread-safe.
 *
 * # Safety
 * `project_id` is NULL or NUL-terminated; `error_out` is NULL or writable.
 */
stytch_sessions_get_jwks_response *stytch_sessions_get_jwks(const stytch_client *client, const char *project_id, stytch_error **error_out);

/**
 * Verifies a session JWT locally, as the official SDKs'
 * `authenticate_jwt_local`: its RS256 signature against a key this project
 * publishes, `iss`, `aud`, and `exp`/`nbf`/`iat` widened by
 * `leeway_seconds` (0 as the SDKs default); `max_token_age_seconds` refuses
 * a JWT issued that long ago or longer (negative: no limit; 0 refuses
 * every JWT). The session is read from the claims, not the store: a session
 * revoked since the JWT was minted verifies until the JWT expires (five
 * minutes); `stytch_sessions_authenticate` checks the store. NULL with
 * `*error_out` set: `bad_request` (NULL `session_jwt` or `client`, not UTF-8
 * or too long, a negative `leeway_seconds`), `invalid_config` (no
 * `project_id`), `unable_to_parse_session_jwt` (401: malformed, signed by no
 * published key, another issuer or audience, expired, not yet valid, or too
 * old). Thread-safe.
 *
 * # Safety
 * `session_jwt` is NULL or NUL-terminated; `error_out` is NULL or writable.
 */
stytch_sessions_authenticate_jwt_local_response *stytch_sessions_authenticate_jwt_local(const stytch_client *client, const char *session_jwt, int64_t max_token_age_seconds, int32_t leeway_seconds, stytch_error **error_out);

/**
 * `request_id`. Borrowed: valid until the response is freed; NULL for a
 * NULL response.
 */
const char *stytch_users_create_response_request_id(const stytch_users_create_response *response);

/**
 * `status_code` (200); 0 for a NULL response.
 */
int32_t stytch_users_create_response_status_code(const stytch_users_create_response *response);

/**
 * `user_id` of the new user. Borrowed; NULL for a NULL response.
 */
const char *stytch_users_create_response_user_id(const stytch_users_create_response *response);

/**
 * `email_id`; `""` when no email was given. Borrowed; NULL for a NULL response.
 */
const char *stytch_users_create_response_email_id(const stytch_users_create_response *response);

/**
 * `phone_id`; `""` when no phone number was given. Borrowed; NULL for a NULL
 * response.
 */
const char *stytch_users_create_response_phone_id(const stytch_users_create_response *response);

/**
 * `status` of the user (`"active"`). Borrowed; NULL for a NULL response.
 */
const char *stytch_users_create_response_status(const stytch_users_create_response *response);

/**
 * `user`. Borrowed: valid until the response is freed; NULL for a NULL
 * response.
 */
const stytch_user *stytch_users_create_response_user(const stytch_users_create_response *response);

/**
 * The response as Stytch's JSON. Owned: release with `stytch_string_free`.
 * NULL for a NULL response.
 */
char *stytch_users_create_response_to_json(const stytch_users_create_response *response);

/**
 * Frees the response. NULL is a no-op.
 *
 * # Safety
 * `response` is NULL or a response not freed before.
 */
void stytch_users_create_response_free(stytch_users_create_response *response);

/**
 * `request_id`. Borrowed; NULL for a NULL response.
 */
const char *stytch_users_get_response_request_id(const stytch_users_get_response *response);

/**
 * `status_code` (200); 0 for a NULL response.
 */
int32_t stytch_users_get_response_status_code(const stytch_users_get_response *response);

/**
 * The user's fields (the response carries them at its top level). Borrowed:
 * valid until the response is freed; NULL for a NULL response.
 */
const stytch_user *stytch_users_get_response_user(const stytch_users_get_response *response);

/**
 * The response as Stytch's JSON. Owned: release with `stytch_string_free`.
 * NULL for a NULL response.
 */
char *stytch_users_get_response_to_json(const stytch_users_get_response *response);

/**
 * Frees the response. NULL is a no-op.
 *
 * # Safety
 * `response` is NULL or a response not freed before.
 */
void stytch_users_get_response_free(stytch_users_get_response *response);

/**
 * `request_id`. Borrowed; NULL for a NULL response.
 */
const char *stytch_users_delete_response_request_id(const stytch_users_delete_response *response);

/**
 * `status_code` (200); 0 for a NULL response.
 */
int32_t stytch_users_delete_response_status_code(const stytch_users_delete_response *response);

/**
 * `user_id` of the deleted user. Borrowed; NULL for a NULL response.
 */
const char *stytch_users_delete_response_user_id(const stytch_users_delete_response *response);

/**
 * The response as Stytch's JSON. Owned: release with `stytch_string_free`.
 * NULL for a NULL response.
 */
char *stytch_users_delete_response_to_json(const stytch_users_delete_response *response);

/**
 * Frees the response. NULL is a no-op.
 *
 * # Safety
 * `response` is NULL or a response not freed before.
 */
void stytch_users_delete_response_free(stytch_users_delete_response *response);

/**
 * `request_id`. Borrowed; NULL for a NULL response.
 */
const char *stytch_users_delete_totp_response_request_id(const stytch_users_delete_totp_response *response);

/**
 * `status_code` (200); 0 for a NULL response.
 */
int32_t stytch_users_delete_totp_response_status_code(const stytch_users_delete_totp_response *response);

/**
 * `user_id` of the TOTP's user. Borrowed; NULL for a NULL response.
 */
const char *stytch_users_delete_totp_response_user_id(const stytch_users_delete_totp_response *response);

/**
 * `user`, without the deleted TOTP. Borrowed: valid until the response is
 * freed; NULL for a NULL response.
 */
const stytch_user *stytch_users_delete_totp_response_user(const stytch_users_delete_totp_response *response);

/**
 * The response as Stytch's JSON. Owned: release with `stytch_string_free`.
 * NULL for a NULL response.
 */
char *stytch_users_delete_totp_response_to_json(const stytch_users_delete_totp_response *response);

/**
 * Frees the response. NULL is a no-op.
 *
 * # Safety
 * `response` is NULL or a response not freed before.
 */
void stytch_users_delete_totp_response_free(stytch_users_delete_totp_response *response);

/**
 * `request_id`. Borrowed; NULL for a NULL response.
 */
const char *stytch_totp_create_response_request_id(const stytch_totp_create_response *response);

/**
 * `status_code` (200); 0 for a NULL response.
 */
int32_t stytch_totp_create_response_status_code(const stytch_totp_create_response *response);

/**
 * `totp_id`. Borrowed; NULL for a NULL response.
 */
const char *stytch_totp_create_response_totp_id(const stytch_totp_create_response *response);

/**
 * `secret`: base32, 32 characters (160 bits). Borrowed; secret: do not log
 * it. NULL for a NULL response.
 */
const char *stytch_totp_create_response_secret(const stytch_totp_create_response *response);

/**
 * `qr_code`: `data:image/png;base64, ...`, the otpauth URI as a scannable
 * PNG. Borrowed; a secret too (it encodes the key). NULL for a NULL response.
 */
const char *stytch_totp_create_response_qr_code(const stytch_totp_create_response *response);

/**
 * Number of `recovery_codes` (10); 0 for a NULL response.
 */
size_t stytch_totp_create_response_recovery_codes_len(const stytch_totp_create_response *response);

/**
 * `recovery_codes[i]`, `xxxx-xxxx-xxxx`. Borrowed; secret. NULL out of range
 * or for a NULL response.
 */
const char *stytch_totp_create_response_recovery_code(const stytch_totp_create_response *response, size_t i);

/**
 * `user_id`. Borrowed; NULL for a NULL response.
 */
const char *stytch_totp_create_response_user_id(const stytch_totp_create_response *response);

/**
 * `user`, with the new TOTP unverified. Borrowed: valid until the response
 * is freed; NULL for a NULL response.
 */
const stytch_user *stytch_totp_create_response_user(const stytch_totp_create_response *response);

/**
 * The response as Stytch's JSON (with the secret). Owned: release with
 * `stytch_string_free`, which wipes it. NULL for a NULL response.
 */
char *stytch_totp_create_response_to_json(const stytch_totp_create_response *response);

/**
 * Frees the response, wiping its secret and codes. NULL is a no-op.
 *
 * # Safety
 * `response` is NULL or a response not freed before.
 */
void stytch_totp_create_response_free(stytch_totp_create_response *response);

/**
 * `request_id`. Borrowed; NULL for a NULL response.
 */
const char *stytch_totp_authenticate_response_request_id(const stytch_totp_authenticate_response *response);

/**
 * `status_code` (200); 0 for a NULL response.
 */
int32_t stytch_totp_authenticate_response_status_code(const stytch_totp_authenticate_response *response);

/**
 * `totp_id` of the TOTP that matched (or whose recovery code was used).
 * Borrowed; NULL for a NULL response.
 */
const char *stytch_totp_authenticate_response_totp_id(const stytch_totp_authenticate_response *response);

/**
 * `user_id`. Borrowed; NULL for a NULL response.
 */
const char *stytch_totp_authenticate_response_user_id(const stytch_totp_authenticate_response *response);

/**
 * `session_token`: `""` when no session was asked for. Borrowed; secret.
 * NULL for a NULL response.
 */
const char *stytch_totp_authenticate_response_session_token(const stytch_totp_authenticate_response *response);

/**
 * `session_jwt`: `""` when no session was asked for. Borrowed; secret. NULL
 * for a NULL response.
 */
const char *stytch_totp_authenticate_response_session_jwt(const stytch_totp_authenticate_response *response);

/**
 * `session`, started or extended by `stytch_totp_authenticate_with_session`
 * or `stytch_totp_recover_with_session`; NULL when no session was asked for
 * (JSON null), or for a NULL response. Borrowed: valid until the response is
 * freed.
 */
const stytch_session *stytch_totp_authenticate_response_session(const stytch_totp_authenticate_response *response);

/**
 * `user`, after the attempt. Borrowed: valid until the response is freed;
 * NULL for a NULL response.
 */
const stytch_user *stytch_totp_authenticate_response_user(const stytch_totp_authenticate_response *response);

/**
 * The response as Stytch's JSON. Owned: release with `stytch_string_free`.
 * NULL for a NULL response.
 */
char *stytch_totp_authenticate_response_to_json(const stytch_totp_authenticate_response *response);

/**
 * Frees the response. NULL is a no-op.
 *
 * # Safety
 * `response` is NULL or a response not freed before.
 */
void stytch_totp_authenticate_response_free(stytch_totp_authenticate_response *response);

/**
 * `request_id`. Borrowed; NULL for a NULL response.
 */
const char *stytch_totp_recovery_codes_response_request_id(const stytch_totp_recovery_codes_response *response);

/**
 * `status_code` (200); 0 for a NULL response.
 */
int32_t stytch_totp_recovery_codes_response_status_code(const stytch_totp_recovery_codes_response *response);

/**
 * `user_id`. Borrowed; NULL for a NULL response.
 */
const char *stytch_totp_recovery_codes_response_user_id(const stytch_totp_recovery_codes_response *response);

/**
 * Number of `totps`; 0 for a NULL response.
 */
size_t stytch_totp_recovery_codes_response_totps_len(const stytch_totp_recovery_codes_response *response);

/**
 * `totps[i].totp_id`. Borrowed; NULL out of range or for a NULL response.
 */
const char *stytch_totp_recovery_codes_response_totp_id(const stytch_totp_recovery_codes_response *response, size_t i);

/**
 * `totps[i].verified`; false out of range or for a NULL response.
 */
bool stytch_totp_recovery_codes_response_totp_verified(const stytch_totp_recovery_codes_response *response, size_t i);

/**
 * Number of unused `totps[i].recovery_codes`; 0 out of range or for a NULL
 * response.
 */
size_t stytch_totp_recovery_codes_response_totp_recovery_codes_len(const stytch_totp_recovery_codes_response *response, size_t i);

/**
 * `totps[i].recovery_codes[j]`. Borrowed; secret. NULL out of range or for a
 * NULL response.
 */
const char *stytch_totp_recovery_codes_response_totp_recovery_code(const stytch_totp_recovery_codes_response *response, size_t i, size_t j);

/**
 * The response as Stytch's JSON (with the codes). Owned: release with
 * `stytch_string_free`, which wipes it. NULL for a NULL response.
 */
char *stytch_totp_recovery_codes_response_to_json(const stytch_totp_recovery_codes_response *response);

/**
 * Frees the response, wiping its codes. NULL is a no-op.
 *
 * # Safety
 * `response` is NULL or a response not freed before.
 */
void stytch_totp_recovery_codes_response_free(stytch_totp_recovery_codes_response *response);

/**
 * `user_id`. Borrowed; NULL for a NULL user.
 */
const char *stytch_user_user_id(const stytch_user *user);

/**
 * `status`: `"active"` (users are created active). Borrowed; NULL for a NULL
 * user.
 */
const char *stytch_user_status(const stytch_user *user);

/**
 * `name.first_name` (`""` when not given). Borrowed; NULL for a NULL user.
 */
const char *stytch_user_first_name(const stytch_user *user);

/**
 * `name.middle_name` (`""` when not given). Borrowed; NULL for a NULL user.
 */
const char *stytch_user_middle_name(const stytch_user *user);

/**
 * `name.last_name` (`""` when not given). Borrowed; NULL for a NULL user.
 */
const char *stytch_user_last_name(const stytch_user *user);

/**
 * `created_at`, RFC 3339 UTC. Borrowed; NULL for a NULL user.
 */
const char *stytch_user_created_at(const stytch_user *user);

/**
 * `external_id`; NULL when the user has none, or for a NULL user. Borrowed.
 */
const char *stytch_user_external_id(const stytch_user *user);

/**
 * `is_locked`: a lockout is in force. False for a NULL user.
 */
bool stytch_user_is_locked(const stytch_user *user);

/**
 * `lock_created_at`; NULL when not locked, or for a NULL user. Borrowed.
 */
const char *stytch_user_lock_created_at(const stytch_user *user);

/**
 * `lock_expires_at`; NULL when not locked, or for a NULL user. Borrowed.
 */
const char *stytch_user_lock_expires_at(const stytch_user *user);

/**
 * `trusted_metadata` as JSON object text (`"{}"` when empty). Borrowed; NULL
 * for a NULL user.
 */
const char *stytch_user_trusted_metadata(const stytch_user *user);

/**
 * `untrusted_metadata` as JSON object text (`"{}"` when empty). Borrowed;
 * NULL for a NULL user.
 */
const char *stytch_user_untrusted_metadata(const stytch_user *user);

/**
 * Number of `emails`; 0 for a NULL user.
 */
size_t stytch_user_emails_len(const stytch_user *user);

/**
 * `emails[i].email_id`. Borrowed; NULL out of range or for a NULL user.
 */
const char *stytch_user_email_id(const stytch_user *user, size_t i);

/**
 * `emails[i].email`. Borrowed; NULL out of range or for a NULL user.
 */
const char *stytch_user_email_address(const stytch_user *user, size_t i);

/**
 * `emails[i].verified`; false out of range or for a NULL user.
 */
bool stytch_user_email_verified(const stytch_user *user, size_t i);

/**
 * Number of `phone_numbers`; 0 for a NULL user.
 */
size_t stytch_user_phone_numbers_len(const stytch_user *user);

/**
 * `phone_numbers[i].phone_id`. Borrowed; NULL out of range or for a NULL user.
 */
const char *stytch_user_phone_id(const stytch_user *user, size_t i);

/**
 * `phone_numbers[i].phone_number` (E.164). Borrowed; NULL out of range or for
 * a NULL user.
 */
const char *stytch_user_phone_number(const stytch_user *user, size_t i);

/**
 * `phone_numbers[i].verified`; false out of range or for a NULL user.
 */
bool stytch_user_phone_verified(const stytch_user *user, size_t i);

/**
 * Number of `totps` (usable TOTPs: verified, or pending and not expired); 0
 * for a NULL user.
 */
size_t stytch_user_totps_len(const stytch_user *user);

/**
 * `totps[i].totp_id`. Borrowed; NULL out of range or for a NULL user.
 */
const char *stytch_user_totp_id(const stytch_user *user, size_t i);

/**
 * `totps[i].verified`; false out of range or for a NULL user.
 */
bool stytch_user_totp_verified(const stytch_user *user, size_t i);

/**
 * Number of `roles`; 0 for a NULL user.
 */
size_t stytch_user_roles_len(const stytch_user *user);

/**
 * `roles[i]`. Borrowed; NULL out of range or for a NULL user.
 */
const char *stytch_user_role(const stytch_user *user, size_t i);

/**
 * The user object as JSON. Owned: release with `stytch_string_free`. NULL for
 * a NULL user.
 */
char *stytch_user_to_json(const stytch_user *user);

/**
 * `session_id`. Borrowed; NULL for a NULL session.
 */
const char *stytch_session_session_id(const stytch_session *session);

/**
 * `user_id` of the session's user. Borrowed; NULL for a NULL session.
 */
const char *stytch_session_user_id(const stytch_session *session);

/**
 * `started_at`, RFC 3339 UTC. Borrowed; NULL for a NULL session.
 */
const char *stytch_session_started_at(const stytch_session *session);

/**
 * `last_accessed_at`, RFC 3339 UTC. Borrowed; NULL for a NULL session.
 */
const char *stytch_session_last_accessed_at(const stytch_session *session);

/**
 * `expires_at`, RFC 3339 UTC. Borrowed; NULL for a NULL session.
 */
const char *stytch_session_expires_at(const stytch_session *session);

/**
 * `attributes` (`ip_address`, `user_agent`) as JSON object text. Borrowed;
 * NULL for a NULL session.
 */
const char *stytch_session_attributes(const stytch_session *session);

/**
 * `authentication_factors` as JSON array text. Borrowed; NULL for a NULL
 * session.
 */
const char *stytch_session_authentication_factors(const stytch_session *session);

/**
 * `custom_claims` as JSON object text (`"{}"` when none). Borrowed; NULL for
 * a NULL session.
 */
const char *stytch_session_custom_claims(const stytch_session *session);

/**
 * Number of `roles`; 0 for a NULL session.
 */
size_t stytch_session_roles_len(const stytch_session *session);

/**
 * `roles[i]`. Borrowed; NULL out of range or for a NULL session.
 */
const char *stytch_session_role(const stytch_session *session, size_t i);

/**
 * The session as Stytch's JSON. Owned: release with `stytch_string_free`.
 * NULL for a NULL session.
 */
char *stytch_session_to_json(const stytch_session *session);

/**
 * `request_id`. Borrowed; NULL for a NULL response.
 */
const char *stytch_sessions_authenticate_response_request_id(const stytch_sessions_authenticate_response *response);

/**
 * `status_code` (200); 0 for a NULL response.
 */
int32_t stytch_sessions_authenticate_response_status_code(const stytch_sessions_authenticate_response *response);

/**
 * `session`, extended as asked. Borrowed: valid until the response is
 * freed; NULL for a NULL response.
 */
const stytch_session *stytch_sessions_authenticate_response_session(const stytch_sessions_authenticate_response *response);

/**
 * `session_token`: the one presented, or (for a JWT) the session's new
 * token. Borrowed; secret. NULL for a NULL response.
 */
const char *stytch_sessions_authenticate_response_session_token(const stytch_sessions_authenticate_response *response);

/**
 * `session_jwt`, minted now. Borrowed; secret. NULL for a NULL response.
 */
const char *stytch_sessions_authenticate_response_session_jwt(const stytch_sessions_authenticate_response *response);

/**
 * `user`, the session's user. Borrowed: valid until the response is freed;
 * NULL for a NULL response.
 */
const stytch_user *stytch_sessions_authenticate_response_user(const stytch_sessions_authenticate_response *response);

/**
 * The response as Stytch's JSON. Owned: release with `stytch_string_free`.
 * NULL for a NULL response.
 */
char *stytch_sessions_authenticate_response_to_json(const stytch_sessions_authenticate_response *response);

/**
 * Frees the response. NULL is a no-op.
 *
 * # Safety
 * `response` is NULL or a response not freed before.
 */
void stytch_sessions_authenticate_response_free(stytch_sessions_authenticate_response *response);

/**
 * `request_id`. Borrowed; NULL for a NULL response.
 */
const char *stytch_sessions_revoke_response_request_id(const stytch_sessions_revoke_response *response);

/**
 * `status_code` (200); 0 for a NULL response.
 */
int32_t stytch_sessions_revoke_response_status_code(const stytch_sessions_revoke_response *response);

/**
 * The response as Stytch's JSON. Owned: release with `stytch_string_free`.
 * NULL for a NULL response.
 */
char *stytch_sessions_revoke_response_to_json(const stytch_sessions_revoke_response *response);

/**
 * Frees the response. NULL is a no-op.
 *
 * # Safety
 * `response` is NULL or a response not freed before.
 */
void stytch_sessions_revoke_response_free(stytch_sessions_revoke_response *response);

/**
 * `request_id`. Borrowed; NULL for a NULL response.
 */
const char *stytch_sessions_get_response_request_id(const stytch_sessions_get_response *response);

/**
 * `status_code` (200); 0 for a NULL response.
 */
int32_t stytch_sessions_get_response_status_code(const stytch_sessions_get_response *response);

/**
 * Number of `sessions` (the user's live ones); 0 for a NULL response.
 */
size_t stytch_sessions_get_response_sessions_len(const stytch_sessions_get_response *response);

/**
 * `sessions[i]`, oldest first. Borrowed: valid until the response is freed;
 * NULL out of range or for a NULL response.
 */
const stytch_session *stytch_sessions_get_response_session(const stytch_sessions_get_response *response, size_t i);

/**
 * The response as Stytch's JSON. Owned: release with `stytch_string_free`.
 * NULL for a NULL response.
 */
char *stytch_sessions_get_response_to_json(const stytch_sessions_get_response *response);

/**
 * Frees the response. NULL is a no-op.
 *
 * # Safety
 * `response` is NULL or a response not freed before.
 */
void stytch_sessions_get_response_free(stytch_sessions_get_response *response);

/**
 * `request_id`. Borrowed; NULL for a NULL response.
 */
const char *stytch_sessions_get_jwks_response_request_id(const stytch_sessions_get_jwks_response *response);

/**
 * `status_code` (200); 0 for a NULL response.
 */
int32_t stytch_sessions_get_jwks_response_status_code(const stytch_sessions_get_jwks_response *response);

/**
 * `keys`, the published JWKs (`kty`, `use`, `key_ops`, `alg`, `kid`, `x5c`,
 * `x5tS256`, `n`, `e`), as JSON array text. Borrowed; NULL for a NULL
 * response.
 */
const char *stytch_sessions_get_jwks_response_keys(const stytch_sessions_get_jwks_response *response);

/**
 * The response as Stytch's JSON. Owned: release with `stytch_string_free`.
 * NULL for a NULL response.
 */
char *stytch_sessions_get_jwks_response_to_json(const stytch_sessions_get_jwks_response *response);

/**
 * Frees the response. NULL is a no-op.
 *
 * # Safety
 * `response` is NULL or a response not freed before.
 */
void stytch_sessions_get_jwks_response_free(stytch_sessions_get_jwks_response *response);

/**
 * `session`, as the verified JWT's claims describe it. Borrowed: valid until
 * the result is freed; NULL for a NULL result.
 */
const stytch_session *stytch_sessions_authenticate_jwt_local_response_session(const stytch_sessions_authenticate_jwt_local_response *response);

/**
 * The session as Stytch's JSON. Owned: release with `stytch_string_free`.
 * NULL for a NULL result.
 */
char *stytch_sessions_authenticate_jwt_local_response_to_json(const stytch_sessions_authenticate_jwt_local_response *response);

/**
 * Frees the result. NULL is a no-op.
 *
 * # Safety
 * `response` is NULL or a result not freed before.
 */
void stytch_sessions_authenticate_jwt_local_response_free(stytch_sessions_authenticate_jwt_local_response *response);

/**
 * The error type as a `stytch_error_code` (`STYTCH_ERROR_CODE_<TYPE>`), the
 * same as `stytch_error_type` in words; for a NULL error,
 * `STYTCH_ERROR_CODE_INTERNAL_SERVER_ERROR` (a failure without detail).
 */
stytch_error_code stytch_error_get_code(const stytch_error *error);

/**
 * The HTTP status (400, 401, 404, 429, 500); 0 for a NULL error.
 */
int32_t stytch_error_status_code(const stytch_error *error);

/**
 * Stytch's `error_type`, e.g. `"user_not_found"`. Borrowed: valid until the
 * error is freed; NULL for a NULL error.
 */
const char *stytch_error_type(const stytch_error *error);

/**
 * A human-readable message with context (which field, which range). Never
 * contains a secret or a code. Borrowed; NULL for a NULL error.
 */
const char *stytch_error_message(const stytch_error *error);

/**
 * Link to the documentation of this error type: Stytch's for Stytch's
 * types, this project's `docs/ERRORS.md` for its own. Borrowed; NULL for a
 * NULL error.
 */
const char *stytch_error_url(const stytch_error *error);

/**
 * The `request_id` of the failed call. Borrowed; NULL for a NULL error.
 */
const char *stytch_error_request_id(const stytch_error *error);

/**
 * The error body as JSON, exactly as Stytch sends it. Owned: release with
 * `stytch_string_free`. NULL for a NULL error.
 */
char *stytch_error_to_json(const stytch_error *error);

/**
 * Frees an error. NULL is a no-op.
 *
 * # Safety
 * `error` is NULL or an error from this library not freed before.
 */
void stytch_error_free(stytch_error *error);

/**
 * The library version, e.g. `"0.1.0"` (equal to `STYTCH_TOTP_VERSION` of the
 * header it was built with). Static: never free it.
 */
const char *stytch_version(void);

/**
 * Whether this library can serve a program or binding built for
 * `binding_version` (e.g. its header's `STYTCH_TOTP_VERSION`): the same
 * major version and a library at least as new; before 1.0, the same minor
 * version too. Every binding checks this when it loads the library. False
 * for NULL or a version that is not `MAJOR.MINOR.PATCH`.
 *
 * # Safety
 * `binding_version` is NULL or a NUL-terminated string.
 */
bool stytch_version_is_compatible(const char *binding_version);

/**
 * The 6-digit TOTP code (SHA1, 30 s, T0 = 0) of `secret_base32` at `unix_time`,
 * as an authenticator app shows it. Any 64-bit time works (before 1970 the
 * counter is negative, in two's complement). The secret is base32, either
 * case, padding optional. Owned: release with `stytch_string_free`. NULL for a
 * NULL, empty or invalid secret.
 *
 * # Safety
 * `secret_base32` is NULL or a NUL-terminated string.
 */
char *stytch_totp_code(const char *secret_base32, int64_t unix_time);

/**
 * Frees a string returned by this library (`stytch_call`, `_to_json`,
 * `stytch_totp_code`), wiping it first: it may hold a secret. NULL is a no-op.
 *
 * # Safety
 * `s` is NULL or an owned string from this library, not freed before.
 */
void stytch_string_free(char *s);

/**
 * The otpauth URI (Google Authenticator's Key Uri Format) of a TOTP: the text
 * this library's `qr_code` encodes, `otpauth://totp/<issuer>:<account>?secret=
 * <secret>&issuer=<issuer>&algorithm=SHA1&digits=6&period=30`, names
 * percent-encoded. `issuer` is the client's `issuer` setting ("Stytch TOTP"
 * unless configured), `account` the user's email, else phone number, else
 * user ID, `secret_base32` the `secret` of the create response. Owned:
 * release with `stytch_string_free` (it holds the secret). NULL and a 400
 * `bad_request` in `*error_out` for a NULL or non-UTF-8 argument or a secret
 * that is not base32. Thread-safe.
 *
 * # Safety
 * Each string is NULL or NUL-terminated; `error_out` is NULL or valid for one
 * pointer write.
 */
char *stytch_totp_otpauth_uri(const char *issuer, const char *account, const char *secret_base32, stytch_error **error_out);

/**
 * The PNG of a QR code of `text` (usually the otpauth URI): black on white,
 * 1 bit per pixel, at least 200 pixels wide; for the same URI, byte for byte
 * the image inside the create response's `qr_code`. Owned: `*len_out` bytes,
 * released with `stytch_bytes_free(bytes, *len_out)` (the image encodes the
 * secret). NULL and a 400 `bad_request` in `*error_out` for a NULL `len_out`,
 * a NULL or non-UTF-8 `text`, or a text too long for a QR code (2331 bytes);
 * `*len_out` is written only on success. Thread-safe.
 *
 * # Safety
 * `text` is NULL or NUL-terminated; `len_out` is NULL or valid for one write;
 * `error_out` is NULL or valid for one pointer write.
 */
uint8_t *stytch_totp_qr_png(const char *text, size_t *len_out, stytch_error **error_out);

/**
 * Frees bytes returned by this library (`stytch_totp_qr_png`), wiping them
 * first. `len` is the length it wrote to `*len_out`. NULL is a no-op.
 *
 * # Safety
 * `bytes` is NULL or came from this library with this `len`, not freed before.
 */
void stytch_bytes_free(uint8_t *bytes, size_t len);

/**
 * The same QR code of `text` as `stytch_totp_qr_png`, as an SVG document
 * (UTF-8, same pixel size, one path of black modules on a white square).
 * Owned: release with `stytch_string_free` (it encodes the secret). NULL and
 * a 400 `bad_request` in `*error_out` for a NULL or non-UTF-8 `text` or one
 * too long for a QR code. Thread-safe.
 *
 * # Safety
 * `text` is NULL or NUL-terminated; `error_out` is NULL or valid for one
 * pointer write.
 */
char *stytch_totp_qr_svg(const char *text, stytch_error **error_out);

/**
 * Writes the PNG of `stytch_totp_qr_png` to the file at `path` (UTF-8),
 * readable and writable by its owner only (0600 on Unix), replacing any file
 * there in one rename (a reader never sees half an image; a symlink at `path`
 * is replaced, not followed). True on success; false and a 400 `bad_request`
 * in `*error_out` naming the path and the system's reason (no such
 * directory, permission denied, ...) otherwise, and nothing is left behind.
 * Thread-safe.
 *
 * # Safety
 * `text` and `path` are NULL or NUL-terminated; `error_out` is NULL or valid
 * for one pointer write.
 */
bool stytch_totp_qr_png_write(const char *text, const char *path, stytch_error **error_out);

/**
 * `stytch_client_new`, for hosts whose keys live in a KMS or an HSM: every
 * entry of `encryption_keys` given without `"key"` (`{"id": "2026-11"}`) gets
 * its 32 bytes from `provider(id, out, context)`, called on this thread,
 * before the store is opened and with no lock held, once per such entry and
 * never after this call returns (so `context` need only live until then). The
 * library copies the bytes into memory it wipes when the client is freed; the
 * provider's buffer `out` is wiped on return. Keys are then checked against
 * the store as by `stytch_client_new` (`encryption_key_mismatch`). A provider
 * that returns false, or a NULL `provider` while some entry has no key, is
 * `invalid_config`.
 *
 * Returns the client, or NULL with `*error_out` set. Free with
 * `stytch_client_free`.
 *
 * # Safety
 * `config_json` is NULL or a NUL-terminated string; `provider` writes at
 * most 32 bytes to `out`; `error_out` is NULL or writable.
 */
stytch_client *stytch_client_new_with_key_provider(const char *config_json, stytch_key_provider_fn provider, void *context, stytch_error **error_out);

/**
 * Re-seals the store under the active key (the first of `encryption_keys`):
 * one transaction of at most `batch_size` TOTPs (1..=10000) after another,
 * continuing where this client's previous call stopped, until it has
 * re-sealed some or been through them all. Sets `*rewrapped_out` (when not
 * NULL) to how many TOTPs it re-sealed. Call it until that is 0: the whole
 * store is then under the active key, and the older keys (and, for a store
 * that was unencrypted, plaintext) are no longer accepted by the store, so
 * they can be removed from every client's configuration. Idempotent; other
 * clients and processes keep working meanwhile. Returns false with
 * `*error_out` set on failure (`bad_request` for a NULL client or a batch
 * size out of range, `invalid_config` without keys). Thread-safe.
 *
 * # Safety
 * `rewrapped_out` is NULL or writable; `error_out` is NULL or writable.
 */
bool stytch_client_rewrap(const stytch_client *client, size_t batch_size, uint64_t *rewrapped_out, stytch_error **error_out);

/**
 * Replaces the lockout policy of the client's store, for every client on it
 * from its next counted failure on (locks in force keep their end). A client
 * opened later with an explicit `lockout` must then ask for this policy or
 * is refused (`lockout_policy_mismatch`); one without `lockout` adopts it.
 * Ranges as for `stytch_client_new` (else `bad_request`, as for a NULL
 * client). Returns false with `*error_out` set on failure. Thread-safe.
 *
 * # Safety
 * `error_out` is NULL or writable.
 */
bool stytch_client_set_lockout_policy(const stytch_client *client, uint32_t max_failures, uint32_t duration_minutes, stytch_error **error_out);

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* STYTCH_TOTP_H */
