/*
 * Links against an installed stytch_totp and walks the API once: user, TOTP,
 * authentication, a refused replay with its error fields, recovery, cleanup.
 * Exits non-zero on the first surprise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stytch_totp.h>

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            exit(1);                                                        \
        }                                                                   \
    } while (0)

static void die(const char *what, stytch_error *err) {
    fprintf(stderr, "%s failed: %d %s: %s\n", what, stytch_error_status_code(err),
            stytch_error_type(err), stytch_error_message(err));
    stytch_error_free(err);
    exit(1);
}

int main(void) {
    const int64_t now = 1767225600; /* 2026-01-01T00:00:00Z */
    stytch_error *err = NULL;

    CHECK(strcmp(stytch_version(), STYTCH_TOTP_VERSION) == 0);

    stytch_client *client = stytch_client_new("{\"database\": \":memory:\"}", &err);
    if (!client) die("stytch_client_new", err);
    if (!stytch_client_set_time(client, now, &err)) die("stytch_client_set_time", err);

    stytch_users_create_response *user =
        stytch_users_create(client, "{\"email\": \"grace@example.com\", \"external_id\": \"grace\"}", &err);
    if (!user) die("stytch_users_create", err);
    const char *user_id = stytch_users_create_response_user_id(user);
    CHECK(strncmp(user_id, "user-test-", 10) == 0);

    stytch_totp_create_response *totp = stytch_totp_create(client, user_id, 0, &err);
    if (!totp) die("stytch_totp_create", err);
    CHECK(strlen(stytch_totp_create_response_secret(totp)) == 32);
    CHECK(stytch_totp_create_response_recovery_codes_len(totp) == 10);

    char *code = stytch_totp_code(stytch_totp_create_response_secret(totp), now);
    CHECK(code && strlen(code) == 6);
    stytch_totp_authenticate_response *auth = stytch_totp_authenticate(client, user_id, code, &err);
    if (!auth) die("stytch_totp_authenticate", err);
    CHECK(stytch_user_totp_verified(stytch_totp_authenticate_response_user(auth), 0));
    stytch_totp_authenticate_response_free(auth);

    /* The same code again: a replay, refused with Stytch's error fields. */
    CHECK(stytch_totp_authenticate(client, user_id, code, &err) == NULL);
    CHECK(stytch_error_status_code(err) == 400);
    CHECK(strcmp(stytch_error_type(err), "totp_code_already_authenticated") == 0);
    CHECK(strstr(stytch_error_url(err), "totp_code_already_authenticated") != NULL);
    CHECK(strncmp(stytch_error_request_id(err), "request-id-test-", 16) == 0);
    stytch_error_free(err);
    err = NULL;
    stytch_string_free(code);

    stytch_totp_recover_response *recovered =
        stytch_totp_recover(client, user_id, stytch_totp_create_response_recovery_code(totp, 0), &err);
    if (!recovered) die("stytch_totp_recover", err);
    stytch_totp_authenticate_response_free(recovered);

    stytch_totp_recovery_codes_response *codes = stytch_totp_recovery_codes(client, user_id, &err);
    if (!codes) die("stytch_totp_recovery_codes", err);
    CHECK(stytch_totp_recovery_codes_response_totp_recovery_codes_len(codes, 0) == 9);
    stytch_totp_recovery_codes_response_free(codes);

    char *body = stytch_call(client, "GET", "/v1/users/grace", NULL);
    CHECK(body && strstr(body, "\"status_code\":200") != NULL);
    stytch_string_free(body);

    stytch_users_delete_response *deleted = stytch_users_delete(client, user_id, &err);
    if (!deleted) die("stytch_users_delete", err);
    stytch_users_delete_response_free(deleted);

    stytch_totp_create_response_free(totp);
    stytch_users_create_response_free(user);
    stytch_client_free(client);
    printf("ok: stytch_totp %s\n", stytch_version());
    return 0;
}
