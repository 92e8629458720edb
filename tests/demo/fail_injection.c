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

/* A call taking (client, user_id, <arg>, error_out): failing, it gets a
 * user_id the library refuses (400 invalid_user_id). */
#define WRAP_USER_CALL(result, function, arg_type)                                          \
    result *__real_##function(const stytch_client *, const char *, arg_type, stytch_error **); \
    result *__wrap_##function(const stytch_client *client, const char *user_id, arg_type arg,  \
                              stytch_error **error_out) {                                    \
        return __real_##function(client, failing(#function) ? "" : user_id, arg, error_out);  \
    }

WRAP_USER_CALL(stytch_totp_create_response, stytch_totp_create, int32_t)
WRAP_USER_CALL(stytch_totp_authenticate_response, stytch_totp_authenticate, const char *)
WRAP_USER_CALL(stytch_totp_recover_response, stytch_totp_recover, const char *)

char *__real_stytch_totp_code(const char *secret_base32, int64_t unix_time);
char *__wrap_stytch_totp_code(const char *secret_base32, int64_t unix_time) {
    return __real_stytch_totp_code(failing("stytch_totp_code") ? "not base32!" : secret_base32,
                                   unix_time);
}

stytch_totp_recovery_codes_response *__real_stytch_totp_recovery_codes(const stytch_client *client,
                                                                       const char *user_id,
                                                                       stytch_error **error_out);
stytch_totp_recovery_codes_response *__wrap_stytch_totp_recovery_codes(const stytch_client *client,
                                                                       const char *user_id,
                                                                       stytch_error **error_out) {
    return __real_stytch_totp_recovery_codes(
        client, failing("stytch_totp_recovery_codes") ? "" : user_id, error_out);
}
