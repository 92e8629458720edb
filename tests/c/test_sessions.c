/*
 * The session functions from C: a TOTP sign-in that starts a session, the four
 * session routes, local JWT verification, their NULL and bad arguments, and
 * ownership. Run under ASan+UBSan and under valgrind memcheck.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#ifndef _WIN32
#include <pthread.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stytch_totp.h"
#include "check.h"

static const int64_t T = 1700000010;
/* The longest string argument the library takes (1 MiB). */
enum { MAX_INPUT_LEN = 1 << 20 };
static const char *PROJECT = "project-test-6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
static const char *OTHER_PROJECT = "project-test-0a1b2c3d-4e5f-4a6b-8c7d-9e8f7a6b5c4d";

/* Expects a NULL result with an error of `type` (and, when not NULL, this
 * message) in *errp; frees the error. */
static void expect_error(const void *result, stytch_error **errp, int status, const char *type,
                         const char *message) {
    stytch_error *err = *errp;
    *errp = NULL;
    CHECK(result == NULL);
    CHECK(err != NULL);
    if (!err) return;
    CHECK(stytch_error_status_code(err) == status);
    CHECK_STR(stytch_error_type(err), type);
    if (message) CHECK_STR(stytch_error_message(err), message);
    if (strcmp(stytch_error_type(err), type) != 0)
        fprintf(stderr, "  got %s: %s\n", stytch_error_type(err), stytch_error_message(err));
    stytch_error_free(err);
}

static stytch_client *client_of(const char *project) {
    char config[256];
    snprintf(config, sizeof config, "{\"database\":\":memory:\",\"project_id\":\"%s\"}", project);
    stytch_error *err = NULL;
    stytch_client *client = stytch_client_new(config, &err);
    CHECK(client != NULL && stytch_client_set_time(client, T - 30, &err));
    return client;
}

/* A user with a TOTP verified at T - 30, then a session started at T by
 * stytch_totp_authenticate_with_session. Returns the response. */
static stytch_totp_authenticate_response *sign_in(stytch_client *client, char **user_id) {
    stytch_error *err = NULL;
    stytch_users_create_response *user = stytch_users_create(client, "{\"email\":\"ada@example.com\"}", &err);
    CHECK(user != NULL);
    if (!user) return NULL;
    *user_id = strdup(stytch_users_create_response_user_id(user));
    stytch_users_create_response_free(user);
    stytch_totp_create_response *totp = stytch_totp_create(client, *user_id, 0, &err);
    CHECK(totp != NULL);
    if (!totp) return NULL;
    char *secret = strdup(stytch_totp_create_response_secret(totp));
    stytch_totp_create_response_free(totp);
    char *code = stytch_totp_code(secret, T - 30);
    stytch_totp_authenticate_response *verified = stytch_totp_authenticate(client, *user_id, code, &err);
    CHECK(verified != NULL);
    /* No session asked for: none given. */
    CHECK(stytch_totp_authenticate_response_session(verified) == NULL);
    CHECK_STR(stytch_totp_authenticate_response_session_token(verified), "");
    stytch_totp_authenticate_response_free(verified);
    stytch_string_free(code);

    CHECK(stytch_client_set_time(client, T, &err));
    code = stytch_totp_code(secret, T);
    /* Bad session arguments consume nothing. */
    expect_error(stytch_totp_authenticate_with_session(client, *user_id, code, NULL, NULL, 60, "{", &err), &err,
                 400, "bad_request", "The submitted request is invalid: session_custom_claims is not valid JSON");
    expect_error(stytch_totp_authenticate_with_session(client, *user_id, code, NULL, NULL, 4, NULL, &err), &err,
                 400, "invalid_session_duration_minutes", NULL);
    expect_error(stytch_totp_authenticate_with_session(client, *user_id, code, "x", "y", 60, NULL, &err), &err,
                 400, "too_many_session_arguments", NULL);
    stytch_totp_authenticate_response *started = stytch_totp_authenticate_with_session(
        client, *user_id, code, NULL, NULL, 60, "{\"plan\":\"pro\"}", &err);
    CHECK(started != NULL);
    stytch_string_free(code);
    free(secret);
    return started;
}

static void check_session(const stytch_session *session, const char *user_id) {
    CHECK(session != NULL);
    CHECK_STR(stytch_session_user_id(session), user_id);
    CHECK(strncmp(stytch_session_session_id(session), "session-test-", 13) == 0);
    CHECK_STR(stytch_session_started_at(session), "2023-11-14T22:13:30Z");
    CHECK_STR(stytch_session_expires_at(session), "2023-11-14T23:13:30Z");
    CHECK_STR(stytch_session_custom_claims(session), "{\"plan\":\"pro\"}");
    CHECK(strstr(stytch_session_authentication_factors(session), "\"type\":\"totp\"") != NULL);
    CHECK(strstr(stytch_session_attributes(session), "ip_address") != NULL);
    CHECK(stytch_session_roles_len(session) == 1);
    CHECK_STR(stytch_session_role(session, 0), "stytch_user");
    CHECK(stytch_session_role(session, 1) == NULL);
    char *json = stytch_session_to_json(session);
    CHECK(json != NULL && strstr(json, stytch_session_session_id(session)) != NULL);
    stytch_string_free(json);
}

static void test_routes(stytch_client *client, const char *user_id, const char *token, const char *jwt) {
    stytch_error *err = NULL;
    stytch_sessions_authenticate_response *auth = stytch_sessions_authenticate(client, token, NULL, 0, NULL, &err);
    CHECK(auth != NULL);
    CHECK(stytch_sessions_authenticate_response_status_code(auth) == 200);
    check_session(stytch_sessions_authenticate_response_session(auth), user_id);
    CHECK_STR(stytch_sessions_authenticate_response_session_token(auth), token);
    CHECK(strchr(stytch_sessions_authenticate_response_session_jwt(auth), '.') != NULL);
    CHECK_STR(stytch_user_user_id(stytch_sessions_authenticate_response_user(auth)), user_id);
    char *json = stytch_sessions_authenticate_response_to_json(auth);
    CHECK(json != NULL && strstr(json, token) != NULL);
    stytch_string_free(json);
    stytch_sessions_authenticate_response_free(auth);

    auth = stytch_sessions_authenticate(client, NULL, jwt, 0, NULL, &err);
    CHECK(auth != NULL);
    stytch_sessions_authenticate_response_free(auth);

    stytch_sessions_get_response *listed = stytch_sessions_get(client, user_id, &err);
    CHECK(listed != NULL);
    CHECK(stytch_sessions_get_response_status_code(listed) == 200);
    CHECK(stytch_sessions_get_response_sessions_len(listed) == 1);
    check_session(stytch_sessions_get_response_session(listed, 0), user_id);
    CHECK(stytch_sessions_get_response_session(listed, 1) == NULL);
    stytch_sessions_get_response_free(listed);

    stytch_sessions_get_jwks_response *jwks = stytch_sessions_get_jwks(client, PROJECT, &err);
    CHECK(jwks != NULL);
    CHECK(stytch_sessions_get_jwks_response_status_code(jwks) == 200);
    CHECK(strstr(stytch_sessions_get_jwks_response_keys(jwks), "\"alg\":\"RS256\"") != NULL);
    stytch_sessions_get_jwks_response_free(jwks);
    expect_error(stytch_sessions_get_jwks(client, OTHER_PROJECT, &err), &err, 400, "bad_request", NULL);
}

static void test_local(stytch_client *client, const char *user_id, const char *jwt) {
    stytch_error *err = NULL;
    stytch_sessions_authenticate_jwt_local_response *local =
        stytch_sessions_authenticate_jwt_local(client, jwt, -1, 0, &err);
    CHECK(local != NULL);
    check_session(stytch_sessions_authenticate_jwt_local_response_session(local), user_id);
    char *json = stytch_sessions_authenticate_jwt_local_response_to_json(local);
    CHECK(json != NULL && strstr(json, user_id) != NULL);
    stytch_string_free(json);
    stytch_sessions_authenticate_jwt_local_response_free(local);

    /* Tampered: one character of the signature changed. */
    char *tampered = strdup(jwt);
    char *last = tampered + strlen(tampered) - 2;
    *last = *last == 'A' ? 'B' : 'A';
    expect_error(stytch_sessions_authenticate_jwt_local(client, tampered, -1, 0, &err), &err, 401,
                 "unable_to_parse_session_jwt", NULL);
    free(tampered);
    /* Older than the maximum age; 0 refuses every JWT. */
    expect_error(stytch_sessions_authenticate_jwt_local(client, jwt, 0, 0, &err), &err, 401,
                 "unable_to_parse_session_jwt", NULL);
    CHECK(stytch_client_set_time(client, T + 60, &err));
    expect_error(stytch_sessions_authenticate_jwt_local(client, jwt, 60, 0, &err), &err, 401,
                 "unable_to_parse_session_jwt", NULL);
    /* Expired, unless within the leeway. */
    CHECK(stytch_client_set_time(client, T + 300, &err));
    expect_error(stytch_sessions_authenticate_jwt_local(client, jwt, -1, 0, &err), &err, 401,
                 "unable_to_parse_session_jwt", NULL);
    local = stytch_sessions_authenticate_jwt_local(client, jwt, -1, 5, &err);
    CHECK(local != NULL);
    stytch_sessions_authenticate_jwt_local_response_free(local);
    CHECK(stytch_client_set_time(client, T, &err));

    /* Another project's JWT. */
    stytch_client *theirs = client_of(OTHER_PROJECT);
    char *their_user = NULL;
    stytch_totp_authenticate_response *started = sign_in(theirs, &their_user);
    if (started) {
        expect_error(stytch_sessions_authenticate_jwt_local(
                         client, stytch_totp_authenticate_response_session_jwt(started), -1, 0, &err),
                     &err, 401, "unable_to_parse_session_jwt", NULL);
        stytch_totp_authenticate_response_free(started);
    }
    free(their_user);
    stytch_client_free(theirs);
}

/* NULL and bad arguments: the errors stytch_call gives for the same input. */
static void test_bad_arguments(stytch_client *client) {
    stytch_error *err = NULL;
    char *long_arg = malloc(MAX_INPUT_LEN + 2);
    memset(long_arg, 'a', MAX_INPUT_LEN + 1);
    long_arg[MAX_INPUT_LEN + 1] = '\0';
    const char not_utf8[] = {(char)0xff, 0};

    expect_error(stytch_sessions_authenticate(NULL, "t", NULL, 0, NULL, &err), &err, 400, "bad_request",
                 "The submitted request is invalid: client is required");
    expect_error(stytch_sessions_authenticate(client, NULL, NULL, 0, NULL, &err), &err, 400, "bad_request",
                 "The submitted request is invalid: session_token or session_jwt is required");
    expect_error(stytch_sessions_authenticate(client, not_utf8, NULL, 0, NULL, &err), &err, 400, "bad_request",
                 "The submitted request is invalid: session_token is not valid UTF-8");
    expect_error(stytch_sessions_authenticate(client, NULL, long_arg, 0, NULL, &err), &err, 400, "bad_request",
                 NULL);
    expect_error(stytch_sessions_authenticate(client, "abc", NULL, 0, NULL, &err), &err, 400,
                 "invalid_session_token", NULL);
    expect_error(stytch_sessions_authenticate(client, NULL, "a.b.c", 0, NULL, &err), &err, 401,
                 "unable_to_parse_session_jwt", NULL);
    expect_error(stytch_sessions_revoke(client, NULL, NULL, NULL, &err), &err, 400, "bad_request",
                 "The submitted request is invalid: one of session_id, session_token or session_jwt is required");
    expect_error(stytch_sessions_revoke(client, "session-test-x", "t", NULL, &err), &err, 400,
                 "too_many_session_arguments", NULL);
    expect_error(stytch_sessions_revoke(client, not_utf8, NULL, NULL, &err), &err, 400, "bad_request",
                 "The submitted request is invalid: session_id is not valid UTF-8");
    expect_error(stytch_sessions_revoke(client, "session-test-x", NULL, NULL, &err), &err, 404,
                 "session_not_found", NULL);
    expect_error(stytch_sessions_get(client, NULL, &err), &err, 400, "bad_request",
                 "The submitted request is invalid: user_id is required");
    expect_error(stytch_sessions_get(client, long_arg, &err), &err, 400, "bad_request", NULL);
    expect_error(stytch_sessions_get_jwks(client, NULL, &err), &err, 400, "bad_request",
                 "The submitted request is invalid: project_id is required");
    expect_error(stytch_sessions_authenticate_jwt_local(client, NULL, -1, 0, &err), &err, 400, "bad_request",
                 "The submitted request is invalid: session_jwt is required");
    expect_error(stytch_sessions_authenticate_jwt_local(client, "a.b.c", -1, -1, &err), &err, 400,
                 "bad_request", "The submitted request is invalid: leeway_seconds must not be negative");
    expect_error(stytch_totp_recover_with_session(client, NULL, "x", NULL, NULL, 0, NULL, &err), &err, 400,
                 "bad_request", "The submitted request is invalid: user_id is required");
    /* A NULL error_out is allowed: the failure is only the NULL result. */
    CHECK(stytch_sessions_get(client, NULL, NULL) == NULL);
    free(long_arg);

    /* NULL handles read as absent; freeing NULL is a no-op. */
    CHECK(stytch_session_session_id(NULL) == NULL);
    CHECK(stytch_session_roles_len(NULL) == 0);
    CHECK(stytch_session_to_json(NULL) == NULL);
    CHECK(stytch_sessions_get_response_session(NULL, 0) == NULL);
    CHECK(stytch_sessions_authenticate_response_session(NULL) == NULL);
    CHECK(stytch_sessions_get_jwks_response_keys(NULL) == NULL);
    CHECK(stytch_sessions_revoke_response_status_code(NULL) == 0);
    stytch_sessions_authenticate_response_free(NULL);
    stytch_sessions_revoke_response_free(NULL);
    stytch_sessions_get_response_free(NULL);
    stytch_sessions_get_jwks_response_free(NULL);
    stytch_sessions_authenticate_jwt_local_response_free(NULL);
}

static void *run(void *unused) {
    (void)unused;
    stytch_client *client = client_of(PROJECT);
    char *user_id = NULL;
    stytch_totp_authenticate_response *started = client ? sign_in(client, &user_id) : NULL;
    if (started) {
        check_session(stytch_totp_authenticate_response_session(started), user_id);
        char *token = strdup(stytch_totp_authenticate_response_session_token(started));
        char *jwt = strdup(stytch_totp_authenticate_response_session_jwt(started));
        stytch_totp_authenticate_response_free(started);
        test_local(client, user_id, jwt);
        test_routes(client, user_id, token, jwt);
        test_bad_arguments(client);
        stytch_error *err = NULL;
        /* The authenticate by JWT in test_routes replaced the token: the
         * JWT names the session now. */
        expect_error(stytch_sessions_authenticate(client, token, NULL, 0, NULL, &err), &err, 404,
                     "session_not_found", NULL);
        stytch_sessions_revoke_response *revoked = stytch_sessions_revoke(client, NULL, NULL, jwt, &err);
        CHECK(revoked != NULL && stytch_sessions_revoke_response_status_code(revoked) == 200);
        stytch_sessions_revoke_response_free(revoked);
        stytch_error_free(err);
        err = NULL;
        expect_error(stytch_sessions_authenticate(client, NULL, jwt, 0, NULL, &err), &err, 404,
                     "session_not_found", NULL);
        free(token);
        free(jwt);
    }
    free(user_id);
    stytch_client_free(client);
    return NULL;
}

/* The calls run on a thread of their own: the crypto library keeps per-thread
 * state (its random generator), freed when a thread exits, which the main
 * thread never does before valgrind looks for leaks. */
int main(void) {
#ifdef _WIN32
    /* No valgrind under Wine: the main thread will do. */
    run(NULL);
#else
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, run, NULL) == 0);
    CHECK(pthread_join(thread, NULL) == 0);
#endif
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
