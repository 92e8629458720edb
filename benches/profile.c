/*
 * A fixed workload for `valgrind --tool=callgrind`: N creates or N successful
 * authentications, typed or through stytch_call (`call`), in memory or on an
 * SQLite file. Run it with
 * --toggle-collect on the calls of interest (see mk/bench.mk) so that the
 * instruction count divided by N is the cost of one call.
 *
 *   profile create|authenticate|call [n] [database]
 *
 * With STYTCH_BENCH_KEYS=1 the client seals secrets under a host key.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_keys.h"
#include "stytch_totp.h"

static const int64_t BASE = 1700000010;
static int64_t now_value = 1700000010;

static int64_t fixed_clock(void *context) {
    (void)context;
    return now_value;
}

static void die(const char *what, stytch_error *err) {
    fprintf(stderr, "%s: %s\n", what, err ? stytch_error_message(err) : "failed");
    exit(1);
}

int main(int argc, char **argv) {
    if (argc < 2) die("usage: profile create|authenticate|call [n] [database]", NULL);
    int n = argc > 2 ? atoi(argv[2]) : 100;
    const char *database = argc > 3 ? argv[3] : ":memory:";
    stytch_error *err = NULL;
    char config[768];
    snprintf(config, sizeof config, "{\"database\":\"%s\"%s}", database, bench_encryption_keys());
    stytch_client *client = stytch_client_new(config, &err);
    if (!client) die("client", err);
    stytch_client_set_clock(client, fixed_clock, NULL);
    stytch_users_create_response *u = stytch_users_create(client, "{\"email\":\"bench@example.com\"}", &err);
    if (!u) die("users create", err);
    const char *user_id = stytch_users_create_response_user_id(u);

    if (strcmp(argv[1], "create") == 0) {
        for (int i = 0; i < n; i++) {
            stytch_totp_create_response *t = stytch_totp_create(client, user_id, 0, &err);
            if (!t) die("create", err);
            stytch_totp_create_response_free(t);
        }
    } else if (strcmp(argv[1], "authenticate") == 0 || strcmp(argv[1], "call") == 0) {
        int typed = strcmp(argv[1], "authenticate") == 0;
        stytch_totp_create_response *t = stytch_totp_create(client, user_id, 0, &err);
        if (!t) die("create", err);
        char(*codes)[7] = malloc(sizeof *codes * (size_t)n);
        char(*bodies)[128] = malloc(sizeof *bodies * (size_t)n);
        if (!codes || !bodies) die("malloc", NULL);
        for (int i = 0; i < n; i++) {
            char *c = stytch_totp_code(stytch_totp_create_response_secret(t), BASE + 30LL * i);
            memcpy(codes[i], c, 7);
            stytch_string_free(c);
            snprintf(bodies[i], sizeof bodies[i], "{\"user_id\":\"%s\",\"totp_code\":\"%s\"}", user_id,
                     codes[i]);
        }
        stytch_totp_create_response_free(t);
        /* Each success is at a fresh step, so that none is a replay. */
        for (int i = 0; i < n; i++) {
            now_value = BASE + 30LL * i;
            if (typed) {
                stytch_totp_authenticate_response *a = stytch_totp_authenticate(client, user_id, codes[i], &err);
                if (!a) die("authenticate", err);
                stytch_totp_authenticate_response_free(a);
            } else {
                char *json = stytch_call(client, "POST", "/v1/totps/authenticate", bodies[i]);
                if (!json || !strstr(json, "\"status_code\":200")) die(json ? json : "stytch_call", NULL);
                stytch_string_free(json);
            }
        }
        free(codes);
        free(bodies);
    } else {
        die("unknown workload", NULL);
    }
    stytch_users_create_response_free(u);
    stytch_client_free(client);
    return 0;
}
