/*
 * Failure injection for examples/c/demo.c. Linked into the demo with
 * -Wl,--wrap=<function> for each function below: the call named by the
 * environment variable STYTCH_DEMO_FAIL fails the way the library itself fails
 * it (the real function, given input it refuses), every other call goes
 * through unchanged. tests/demo/run.sh runs every failure under valgrind.
 */
#include <stdlib.h>
#include <string.h>

#include "stytch_totp.h"

static int failing(const char *function) {
    const char *name = getenv("STYTCH_DEMO_FAIL");
    return name != NULL && strcmp(name, function) == 0;
}

/* A user_id the library refuses (400 invalid_user_id). */
#define REFUSED_USER_ID(function, user_id) (failing(function) ? "" : (user_id))

stytch_client *__real_stytch_client_new(const char *config_json, stytch_error **error_out);
stytch_client *__wrap_stytch_client_new(const char *config_json, stytch_error **error_out) {
    return __real_stytch_client_new(
        failing("stytch_client_new") ? "{\"no_such_setting\": 1}" : config_json, error_out);
}

stytch_users_create_response *__real_stytch_users_create(const stytch_client *client,
                                                         const char *request_json,
                                                         stytch_error **error_out);
stytch_users_create_response *__wrap_stytch_users_create(const stytch_client *client,
                                                         const char *request_json,
                                                         stytch_error **error_out) {
    return __real_stytch_users_create(
        client, failing("stytch_users_create") ? "not json" : request_json, error_out);
}

stytch_totp_create_response *__real_stytch_totp_create(const stytch_client *client,
                                                       const char *user_id, int32_t expiration_minutes,
                                                       stytch_error **error_out);
stytch_totp_create_response *__wrap_stytch_totp_create(const stytch_client *client,
                                                       const char *user_id, int32_t expiration_minutes,
                                                       stytch_error **error_out) {
    return __real_stytch_totp_create(client, REFUSED_USER_ID("stytch_totp_create", user_id),
                                     expiration_minutes, error_out);
}

char *__real_stytch_totp_code(const char *secret_base32, int64_t unix_time);
char *__wrap_stytch_totp_code(const char *secret_base32, int64_t unix_time) {
    return __real_stytch_totp_code(failing("stytch_totp_code") ? "not base32!" : secret_base32,
                                   unix_time);
}

stytch_totp_authenticate_response *__real_stytch_totp_authenticate(const stytch_client *client,
                                                                   const char *user_id,
                                                                   const char *totp_code,
                                                                   stytch_error **error_out);
stytch_totp_authenticate_response *__wrap_stytch_totp_authenticate(const stytch_client *client,
                                                                   const char *user_id,
                                                                   const char *totp_code,
                                                                   stytch_error **error_out) {
    return __real_stytch_totp_authenticate(
        client, REFUSED_USER_ID("stytch_totp_authenticate", user_id), totp_code, error_out);
}

stytch_totp_recover_response *__real_stytch_totp_recover(const stytch_client *client,
                                                         const char *user_id,
                                                         const char *recovery_code,
                                                         stytch_error **error_out);
stytch_totp_recover_response *__wrap_stytch_totp_recover(const stytch_client *client,
                                                         const char *user_id,
                                                         const char *recovery_code,
                                                         stytch_error **error_out) {
    return __real_stytch_totp_recover(client, REFUSED_USER_ID("stytch_totp_recover", user_id),
                                      recovery_code, error_out);
}

stytch_totp_recovery_codes_response *__real_stytch_totp_recovery_codes(const stytch_client *client,
                                                                       const char *user_id,
                                                                       stytch_error **error_out);
stytch_totp_recovery_codes_response *__wrap_stytch_totp_recovery_codes(const stytch_client *client,
                                                                       const char *user_id,
                                                                       stytch_error **error_out) {
    return __real_stytch_totp_recovery_codes(
        client, REFUSED_USER_ID("stytch_totp_recovery_codes", user_id), error_out);
}
