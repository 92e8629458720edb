/*
 * The C ABI from C: every entry point and accessor, every error path, NULL and
 * bad inputs, ownership. Run under ASan+UBSan and under valgrind memcheck.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stytch_totp.h"
#include "check.h"

static const int64_t T = 1700000010;

/* Expects a NULL result with an error of `type` in *errp; frees the error. Takes
 * the error's address, not its value: the call that sets it is an argument too. */
static void expect_error(const void *result, stytch_error **errp, int status, const char *type) {
    stytch_error *err = *errp;
    *errp = NULL;
    CHECK(result == NULL);
    CHECK(err != NULL);
    if (!err) return;
    CHECK(stytch_error_status_code(err) == status);
    CHECK_STR(stytch_error_type(err), type);
    if (strcmp(stytch_error_type(err), type) != 0)
        fprintf(stderr, "  got %s: %s\n", stytch_error_type(err), stytch_error_message(err));
    CHECK(stytch_error_message(err) != NULL && strlen(stytch_error_message(err)) > 0);
    CHECK(strstr(stytch_error_url(err), type) != NULL);
    CHECK((int)stytch_error_get_code(err) / 100 == status);
    CHECK(strncmp(stytch_error_request_id(err), "request-id-test-", 16) == 0);
    char *json = stytch_error_to_json(err);
    CHECK(json != NULL && strstr(json, type) != NULL);
    stytch_string_free(json);
    stytch_error_free(err);
}

/* Whether `json` contains `"key":"value"`. */
static int json_has(const char *json, const char *key, const char *value) {
    char needle[512];
    snprintf(needle, sizeof needle, "\"%s\":\"%s\"", key, value);
    return json && strstr(json, needle) != NULL;
}

static void test_helpers(void) {
    CHECK_STR(stytch_version(), STYTCH_TOTP_VERSION);
    CHECK(stytch_version_is_compatible(STYTCH_TOTP_VERSION));
    CHECK(!stytch_version_is_compatible(NULL));
    CHECK(!stytch_version_is_compatible("99.0.0"));
    char *code = stytch_totp_code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 59);
    CHECK_STR(code, "287082"); /* RFC 6238, SHA1, t = 59, last 6 digits */
    stytch_string_free(code);
    code = stytch_totp_code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 20000000000LL);
    CHECK_STR(code, "353130");
    stytch_string_free(code);
    CHECK(stytch_totp_code(NULL, 0) == NULL);
    CHECK(stytch_totp_code("not base32!", 0) == NULL);
    stytch_string_free(NULL);
}

static void test_client_errors(void) {
    stytch_error *err = NULL;
    expect_error(stytch_client_new("{\"lockout\":{\"max_failures\":0}}", &err), &err, 400, "invalid_config");
    err = NULL;
    expect_error(stytch_client_new("{\"typo\":true}", &err), &err, 400, "invalid_config");
    err = NULL;
    expect_error(stytch_client_new("not json", &err), &err, 400, "invalid_config");
    err = NULL;
    expect_error(stytch_client_new("{\"database\":\"/no/such/dir/x.db\"}", &err), &err, 500,
                 "internal_server_error");
    CHECK(stytch_client_new("{\"typo\":true}", NULL) == NULL);
    stytch_client_free(NULL);
}

static void test_null_inputs(stytch_client *client, const char *user_id) {
    stytch_error *err = NULL;
    expect_error(stytch_users_get(NULL, user_id, &err), &err, 400, "bad_request");
    err = NULL;
    /* An absent argument is a bad request naming it, as a missing JSON field
       is through stytch_call; an empty one is judged by the route's rules. */
    expect_error(stytch_users_get(client, NULL, &err), &err, 400, "bad_request");
    err = NULL;
    expect_error(stytch_users_get(client, "", &err), &err, 400, "invalid_user_id");
    err = NULL;
    expect_error(stytch_users_get(client, "\xff\xfe", &err), &err, 400, "bad_request");
    err = NULL;
    expect_error(stytch_totp_create(client, NULL, 0, &err), &err, 400, "bad_request");
    err = NULL;
    expect_error(stytch_totp_authenticate(client, user_id, NULL, &err), &err, 400, "bad_request");
    err = NULL;
    expect_error(stytch_totp_recover(client, user_id, NULL, &err), &err, 400, "bad_request");
    err = NULL;
    CHECK(stytch_users_get(client, NULL, &err) == NULL);
    CHECK(stytch_error_get_code(err) == STYTCH_ERROR_CODE_BAD_REQUEST);
    CHECK((int)stytch_error_get_code(err) / 100 == stytch_error_status_code(err));
    stytch_error_free(err);
    err = NULL;
    expect_error(stytch_users_delete_totp(client, NULL, &err), &err, 400, "bad_request");
    err = NULL;
    expect_error(stytch_users_create(client, "{\"email\": 3}", &err), &err, 400, "bad_request");

    char *out = stytch_call(NULL, "GET", "/v1/users/x", NULL);
    CHECK(json_has(out, "error_type", "bad_request"));
    stytch_string_free(out);
    out = stytch_call(client, NULL, NULL, NULL);
    CHECK(json_has(out, "error_type", "bad_request"));
    stytch_string_free(out);
    out = stytch_call(client, "PATCH", "/v1/users", "{}");
    CHECK(json_has(out, "error_type", "route_not_found"));
    stytch_string_free(out);
    out = stytch_call(client, "POST", "/v1/totps", "{\"user_id\": ");
    CHECK(json_has(out, "error_type", "bad_request"));
    stytch_string_free(out);

    /* Accessors of NULL handles return NULL/0/false. */
    CHECK(stytch_totp_create_response_secret(NULL) == NULL);
    CHECK(stytch_totp_create_response_recovery_codes_len(NULL) == 0);
    CHECK(stytch_totp_authenticate_response_user(NULL) == NULL);
    CHECK(stytch_user_is_locked(NULL) == false);
    CHECK(stytch_error_status_code(NULL) == 0);
    stytch_totp_create_response_free(NULL);
    stytch_totp_authenticate_response_free(NULL);
    stytch_totp_recovery_codes_response_free(NULL);
    stytch_users_create_response_free(NULL);
    stytch_users_get_response_free(NULL);
    stytch_users_delete_response_free(NULL);
    stytch_users_delete_totp_response_free(NULL);
    stytch_error_free(NULL);
}

static void check_user(const stytch_user *user, const char *user_id, int totps, bool verified) {
    CHECK(user != NULL);
    CHECK_STR(stytch_user_user_id(user), user_id);
    CHECK_STR(stytch_user_status(user), "active");
    CHECK_STR(stytch_user_first_name(user), "Ada");
    CHECK_STR(stytch_user_middle_name(user), "");
    CHECK_STR(stytch_user_last_name(user), "Lovelace");
    CHECK(stytch_user_created_at(user) != NULL && strlen(stytch_user_created_at(user)) == 20);
    CHECK_STR(stytch_user_external_id(user), "crm-1");
    CHECK_STR(stytch_user_trusted_metadata(user), "{\"plan\":\"pro\"}");
    CHECK_STR(stytch_user_untrusted_metadata(user), "{}");
    CHECK(stytch_user_emails_len(user) == 1);
    CHECK(strncmp(stytch_user_email_id(user, 0), "email-test-", 11) == 0);
    CHECK_STR(stytch_user_email_address(user, 0), "ada@example.com");
    CHECK(!stytch_user_email_verified(user, 0));
    CHECK(stytch_user_email_id(user, 1) == NULL);
    CHECK(stytch_user_phone_numbers_len(user) == 1);
    CHECK(strncmp(stytch_user_phone_id(user, 0), "phone-number-test-", 18) == 0);
    CHECK_STR(stytch_user_phone_number(user, 0), "+12025550123");
    CHECK(!stytch_user_phone_verified(user, 0));
    CHECK(stytch_user_phone_number(user, 1) == NULL);
    CHECK(stytch_user_totps_len(user) == (size_t)totps);
    if (totps > 0) {
        CHECK(strncmp(stytch_user_totp_id(user, 0), "totp-test-", 10) == 0);
        CHECK(stytch_user_totp_verified(user, 0) == verified);
    }
    CHECK(stytch_user_totp_id(user, (size_t)totps) == NULL);
    CHECK(stytch_user_roles_len(user) == 0);
    CHECK(stytch_user_role(user, 0) == NULL);
    char *json = stytch_user_to_json(user);
    CHECK(json_has(json, "user_id", user_id));
    stytch_string_free(json);
}

static void test_flow(stytch_client *client) {
    stytch_error *err = NULL;
    CHECK(stytch_client_set_time(client, T, &err));

    stytch_users_create_response *created = stytch_users_create(
        client,
        "{\"email\":\"ada@example.com\",\"phone_number\":\"+12025550123\",\"external_id\":\"crm-1\","
        "\"name\":{\"first_name\":\"Ada\",\"last_name\":\"Lovelace\"},\"trusted_metadata\":{\"plan\":\"pro\"}}",
        &err);
    CHECK(created != NULL);
    if (!created) return;
    char *user_id = strdup(stytch_users_create_response_user_id(created));
    CHECK(stytch_users_create_response_status_code(created) == 200);
    CHECK(strncmp(stytch_users_create_response_request_id(created), "request-id-test-", 16) == 0);
    CHECK(strncmp(stytch_users_create_response_email_id(created), "email-test-", 11) == 0);
    CHECK(strncmp(stytch_users_create_response_phone_id(created), "phone-number-test-", 18) == 0);
    CHECK_STR(stytch_users_create_response_status(created), "active");
    check_user(stytch_users_create_response_user(created), user_id, 0, false);
    char *json = stytch_users_create_response_to_json(created);
    CHECK(json_has(json, "user_id", user_id));
    stytch_string_free(json);
    stytch_users_create_response_free(created);

    test_null_inputs(client, user_id);

    err = NULL;
    expect_error(stytch_totp_create(client, user_id, 4, &err), &err, 400, "invalid_expiration");
    err = NULL;
    expect_error(stytch_totp_create(client, user_id, 1441, &err), &err, 400, "invalid_expiration");
    err = NULL;
    expect_error(stytch_totp_create(client, user_id, -1, &err), &err, 400, "invalid_expiration");
    err = NULL;
    expect_error(stytch_totp_create(client, "user-test-16d9ba61-97a1-4ba4-9720-b03761dc50c6", 0, &err),
                 &err, 404, "user_not_found");

    stytch_totp_create_response *totp = stytch_totp_create(client, "crm-1", 0, &err);
    CHECK(totp != NULL);
    if (!totp) return;
    CHECK(stytch_totp_create_response_status_code(totp) == 200);
    CHECK_STR(stytch_totp_create_response_user_id(totp), user_id);
    CHECK(strlen(stytch_totp_create_response_secret(totp)) == 32);
    CHECK(strncmp(stytch_totp_create_response_qr_code(totp), "data:image/png;base64, iVBORw0KGgo", 34) == 0);
    CHECK(strncmp(stytch_totp_create_response_totp_id(totp), "totp-test-", 10) == 0);
    CHECK(strncmp(stytch_totp_create_response_request_id(totp), "request-id-test-", 16) == 0);
    CHECK(stytch_totp_create_response_recovery_codes_len(totp) == 10);
    for (size_t i = 0; i < 10; i++)
        CHECK(strlen(stytch_totp_create_response_recovery_code(totp, i)) == 14);
    CHECK(stytch_totp_create_response_recovery_code(totp, 10) == NULL);
    check_user(stytch_totp_create_response_user(totp), user_id, 1, false);
    json = stytch_totp_create_response_to_json(totp);
    CHECK(json_has(json, "secret", stytch_totp_create_response_secret(totp)));
    stytch_string_free(json);
    char *secret = strdup(stytch_totp_create_response_secret(totp));
    char *recovery = strdup(stytch_totp_create_response_recovery_code(totp, 0));
    char *totp_id = strdup(stytch_totp_create_response_totp_id(totp));
    stytch_totp_create_response_free(totp);

    err = NULL;
    expect_error(stytch_totp_authenticate(client, user_id, "12345", &err), &err, 400, "invalid_totp_code");
    err = NULL;
    expect_error(stytch_totp_authenticate(client, user_id, "000000", &err), &err, 401,
                 "unable_to_authenticate_totp");
    char *code = stytch_totp_code(secret, T);
    stytch_totp_authenticate_response *auth = stytch_totp_authenticate(client, user_id, code, &err);
    CHECK(auth != NULL);
    if (auth) {
        CHECK(stytch_totp_authenticate_response_status_code(auth) == 200);
        CHECK_STR(stytch_totp_authenticate_response_totp_id(auth), totp_id);
        CHECK_STR(stytch_totp_authenticate_response_user_id(auth), user_id);
        CHECK_STR(stytch_totp_authenticate_response_session_token(auth), "");
        CHECK_STR(stytch_totp_authenticate_response_session_jwt(auth), "");
        CHECK(strncmp(stytch_totp_authenticate_response_request_id(auth), "request-id-test-", 16) == 0);
        check_user(stytch_totp_authenticate_response_user(auth), user_id, 1, true);
        json = stytch_totp_authenticate_response_to_json(auth);
        CHECK(json && strstr(json, "\"session\":null") != NULL);
        stytch_string_free(json);
        stytch_totp_authenticate_response_free(auth);
    }
    err = NULL;
    expect_error(stytch_totp_authenticate(client, user_id, code, &err), &err, 400,
                 "totp_code_already_authenticated");
    stytch_string_free(code);
    err = NULL;
    expect_error(stytch_totp_create(client, user_id, 0, &err), &err, 400, "active_totp_exists");

    err = NULL;
    expect_error(stytch_totp_recover(client, user_id, "123456", &err), &err, 400,
                 "totp_code_used_as_recovery_code");
    err = NULL;
    expect_error(stytch_totp_recover(client, user_id, "nope", &err), &err, 400, "invalid_recovery_code");
    err = NULL;
    expect_error(stytch_totp_recover(client, user_id, "aaaa-bbbb-cccc", &err), &err, 401,
                 "unable_to_authenticate_recovery_code");
    stytch_totp_recover_response *rec = stytch_totp_recover(client, user_id, recovery, &err);
    CHECK(rec != NULL);
    if (rec) {
        CHECK_STR(stytch_totp_authenticate_response_totp_id(rec), totp_id);
        stytch_totp_authenticate_response_free(rec);
    }

    stytch_totp_recovery_codes_response *codes = stytch_totp_recovery_codes(client, user_id, &err);
    CHECK(codes != NULL);
    if (codes) {
        CHECK(stytch_totp_recovery_codes_response_status_code(codes) == 200);
        CHECK_STR(stytch_totp_recovery_codes_response_user_id(codes), user_id);
        CHECK(strncmp(stytch_totp_recovery_codes_response_request_id(codes), "request-id-test-", 16) == 0);
        CHECK(stytch_totp_recovery_codes_response_totps_len(codes) == 1);
        CHECK_STR(stytch_totp_recovery_codes_response_totp_id(codes, 0), totp_id);
        CHECK(stytch_totp_recovery_codes_response_totp_verified(codes, 0));
        CHECK(stytch_totp_recovery_codes_response_totp_recovery_codes_len(codes, 0) == 9);
        for (size_t j = 0; j < 9; j++)
            CHECK(strcmp(stytch_totp_recovery_codes_response_totp_recovery_code(codes, 0, j), recovery) != 0);
        CHECK(stytch_totp_recovery_codes_response_totp_recovery_code(codes, 0, 9) == NULL);
        CHECK(stytch_totp_recovery_codes_response_totp_id(codes, 1) == NULL);
        json = stytch_totp_recovery_codes_response_to_json(codes);
        CHECK(json_has(json, "totp_id", totp_id));
        stytch_string_free(json);
        stytch_totp_recovery_codes_response_free(codes);
    }

    stytch_users_get_response *got = stytch_users_get(client, "crm-1", &err);
    CHECK(got != NULL);
    if (got) {
        CHECK(stytch_users_get_response_status_code(got) == 200);
        CHECK(stytch_users_get_response_request_id(got) != NULL);
        check_user(stytch_users_get_response_user(got), user_id, 1, true);
        json = stytch_users_get_response_to_json(got);
        CHECK(json_has(json, "user_id", user_id));
        stytch_string_free(json);
        stytch_users_get_response_free(got);
    }

    stytch_users_delete_totp_response *dt = stytch_users_delete_totp(client, totp_id, &err);
    CHECK(dt != NULL);
    if (dt) {
        CHECK(stytch_users_delete_totp_response_status_code(dt) == 200);
        CHECK_STR(stytch_users_delete_totp_response_user_id(dt), user_id);
        CHECK(stytch_users_delete_totp_response_request_id(dt) != NULL);
        check_user(stytch_users_delete_totp_response_user(dt), user_id, 0, false);
        json = stytch_users_delete_totp_response_to_json(dt);
        CHECK(json_has(json, "user_id", user_id));
        stytch_string_free(json);
        stytch_users_delete_totp_response_free(dt);
    }
    err = NULL;
    expect_error(stytch_users_delete_totp(client, totp_id, &err), &err, 404, "totp_not_found");
    err = NULL;
    expect_error(stytch_totp_authenticate(client, user_id, "123456", &err), &err, 404, "totp_not_found");

    stytch_users_delete_response *del = stytch_users_delete(client, user_id, &err);
    CHECK(del != NULL);
    if (del) {
        CHECK(stytch_users_delete_response_status_code(del) == 200);
        CHECK_STR(stytch_users_delete_response_user_id(del), user_id);
        CHECK(stytch_users_delete_response_request_id(del) != NULL);
        json = stytch_users_delete_response_to_json(del);
        CHECK(json_has(json, "user_id", user_id));
        stytch_string_free(json);
        stytch_users_delete_response_free(del);
    }
    err = NULL;
    expect_error(stytch_users_get(client, user_id, &err), &err, 404, "user_not_found");

    free(user_id);
    free(secret);
    free(recovery);
    free(totp_id);
}

static void test_lockout(void) {
    stytch_error *err = NULL;
    stytch_client *client = stytch_client_new(
        "{\"database\":\":memory:\",\"lockout\":{\"max_failures\":2,\"duration_minutes\":5}}", &err);
    CHECK(client != NULL);
    if (!client) return;
    CHECK(stytch_client_set_time(client, T, NULL));
    CHECK(!stytch_client_set_time(client, -1, NULL));
    stytch_users_create_response *u = stytch_users_create(client, "{\"email\":\"ada@example.com\"}", &err);
    const char *user_id = stytch_users_create_response_user_id(u);
    stytch_totp_create_response *totp = stytch_totp_create(client, user_id, 0, &err);
    for (int i = 0; i < 2; i++) {
        err = NULL;
        expect_error(stytch_totp_authenticate(client, user_id, "000000", &err), &err, 401,
                     "unable_to_authenticate_totp");
    }
    char *code = stytch_totp_code(stytch_totp_create_response_secret(totp), T);
    err = NULL;
    expect_error(stytch_totp_authenticate(client, user_id, code, &err), &err, 429, "user_lock_limit_reached");
    stytch_users_get_response *got = stytch_users_get(client, user_id, &err);
    const stytch_user *user = stytch_users_get_response_user(got);
    CHECK(stytch_user_is_locked(user));
    CHECK_STR(stytch_user_lock_created_at(user), "2023-11-14T22:13:30Z");
    CHECK_STR(stytch_user_lock_expires_at(user), "2023-11-14T22:18:30Z");
    stytch_users_get_response_free(got);
    stytch_string_free(code);

    CHECK(stytch_client_set_time(client, T + 5 * 60, NULL));
    code = stytch_totp_code(stytch_totp_create_response_secret(totp), T + 5 * 60);
    stytch_totp_authenticate_response *auth = stytch_totp_authenticate(client, user_id, code, &err);
    CHECK(auth != NULL);
    CHECK(!stytch_user_is_locked(stytch_totp_authenticate_response_user(auth)));
    CHECK(stytch_user_lock_expires_at(stytch_totp_authenticate_response_user(auth)) == NULL);
    stytch_totp_authenticate_response_free(auth);
    stytch_string_free(code);
    stytch_totp_create_response_free(totp);
    stytch_users_create_response_free(u);
    stytch_client_free(client);
}

static void test_expiry(void) {
    stytch_client *client = stytch_client_new("{\"database\":\":memory:\"}", NULL);
    stytch_error *err = NULL;
    CHECK(stytch_client_set_time(client, T, NULL));
    stytch_users_create_response *u = stytch_users_create(client, "{\"email\":\"ada@example.com\"}", &err);
    const char *user_id = stytch_users_create_response_user_id(u);
    stytch_totp_create_response *totp = stytch_totp_create(client, user_id, 5, &err);
    CHECK(stytch_client_set_time(client, T + 300, NULL));
    char *code = stytch_totp_code(stytch_totp_create_response_secret(totp), T + 300);
    err = NULL;
    expect_error(stytch_totp_authenticate(client, user_id, code, &err), &err, 400, "expired_totp");
    stytch_string_free(code);
    stytch_totp_create_response_free(totp);
    stytch_users_create_response_free(u);
    stytch_client_free(client);
}

/* A key provider with one key, "hsm-1" (32 bytes of 0x2a). */
static bool provide_key(const char *key_id, uint8_t *key_out, void *context) {
    int *calls = context;
    (*calls)++;
    if (strcmp(key_id, "hsm-1") != 0) return false;
    memset(key_out, 0x2a, 32);
    return true;
}

/* Keys from a provider, re-sealing, the store's lockout policy; NULL handling. */
static void test_keys_and_policy(void) {
    const char *config =
        "{\"database\":\":memory:\",\"encryption_keys\":[{\"id\":\"hsm-1\"}],"
        "\"recovery_codes\":\"hashed\"}";
    stytch_error *err = NULL;
    int calls = 0;
    stytch_client *client = stytch_client_new_with_key_provider(config, provide_key, &calls, &err);
    CHECK(client != NULL && calls == 1);
    if (!client) return;
    stytch_users_create_response *user = stytch_users_create(client, "{\"email\":\"ada@example.com\"}", &err);
    CHECK(user != NULL);
    stytch_totp_create_response *totp =
        stytch_totp_create(client, stytch_users_create_response_user_id(user), 0, &err);
    CHECK(totp != NULL && stytch_totp_create_response_recovery_codes_len(totp) == 10);
    stytch_totp_recovery_codes_response *listed =
        stytch_totp_recovery_codes(client, stytch_users_create_response_user_id(user), &err);
    char *json = listed ? stytch_totp_recovery_codes_response_to_json(listed) : NULL;
    CHECK(json != NULL && strstr(json, "\"recovery_codes\":[]") != NULL); /* hashed: shown once */
    stytch_string_free(json);
    stytch_totp_recovery_codes_response_free(listed);
    stytch_totp_create_response_free(totp);
    stytch_users_create_response_free(user);

    uint64_t rewrapped = 99;
    CHECK(stytch_client_rewrap(client, 100, &rewrapped, &err) && rewrapped == 0);
    CHECK(stytch_client_rewrap(client, 100, NULL, NULL));
    expect_error(stytch_client_rewrap(client, 0, &rewrapped, &err) ? client : NULL, &err, 400, "bad_request");
    expect_error(stytch_client_rewrap(NULL, 10, &rewrapped, &err) ? client : NULL, &err, 400, "bad_request");
    CHECK(stytch_client_set_lockout_policy(client, 3, 15, &err));
    expect_error(stytch_client_set_lockout_policy(client, 3, 1, &err) ? client : NULL, &err, 400, "bad_request");
    stytch_client_free(client);

    /* No provider while a key is missing; a provider without the key. */
    expect_error(stytch_client_new_with_key_provider(config, NULL, NULL, &err), &err, 400, "invalid_config");
    const char *other = "{\"database\":\":memory:\",\"encryption_keys\":[{\"id\":\"other\"}]}";
    expect_error(stytch_client_new_with_key_provider(other, provide_key, &calls, &err), &err, 400,
                 "invalid_config");
    expect_error(stytch_client_new_with_key_provider("{", provide_key, &calls, &err), &err, 400,
                 "invalid_config");
}

int main(void) {
    test_helpers();
    test_keys_and_policy();
    test_client_errors();
    stytch_error *err = NULL;
    stytch_client *client = stytch_client_new("{\"database\":\":memory:\"}", &err);
    CHECK(client != NULL);
    if (client) {
        test_flow(client);
        stytch_client_free(client);
    }
    test_lockout();
    test_expiry();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
