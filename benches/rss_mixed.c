#define _POSIX_C_SOURCE 200809L
/* Resident memory over 1 000 000 mixed calls on one client (`make
 * bench-rss`): cycles of ten calls, each on a fresh user, through the typed
 * functions and stytch_call alike: create a user and a TOTP, authenticate,
 * a wrong code, authenticate through stytch_call, recover, get the user
 * through stytch_call, list the recovery codes, a replay through stytch_call,
 * delete the user. The client's clock moves one step per cycle.
 *
 * Prints the resident set every 100 000 calls. Fails if a
 * call answers unexpectedly, or if the resident set grew by more than
 * RSS_SLACK_KIB over the second half of the run (a leak of a few bytes per
 * call would show there; the first half lets the allocator and the store
 * reach their working size).
 *
 *   rss_mixed [calls] [database]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "stytch_totp.h"

#define CALLS_PER_CYCLE 10
#define RSS_SLACK_KIB 2048L

static long current_rss_kib(void) {
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f || fscanf(f, "%ld %ld", &pages, &resident) != 2) {
        if (f) fclose(f);
        return -1;
    }
    fclose(f);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static void fail(const char *what, stytch_error *err) {
    fprintf(stderr, "%s: %s\n", what, err ? stytch_error_message(err) : "unexpected answer");
    exit(1);
}

/* Runs stytch_call and checks the answer's status. */
static void call_expecting(stytch_client *client, const char *method, const char *path,
                           const char *body, const char *status) {
    char *json = stytch_call(client, method, path, body);
    if (!json || !strstr(json, status)) fail(json ? json : path, NULL);
    stytch_string_free(json);
}

int main(int argc, char **argv) {
    long total = argc > 1 ? atol(argv[1]) : 1000000L;
    const char *database = argc > 2 ? argv[2] : ":memory:";
    long cycles = total / CALLS_PER_CYCLE;
    char config[700];
    snprintf(config, sizeof config, "{\"database\":\"%s\",\"lockout\":{\"max_failures\":100}}", database);
    stytch_error *err = NULL;
    stytch_client *client = stytch_client_new(config, &err);
    if (!client) fail("client", err);
    int64_t t = 1700000010;
    long start_rss = current_rss_kib(), half_rss = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    printf("%9s %9s\n", "calls", "RSS KiB");
    printf("%9d %9ld\n", 0, start_rss);
    for (long cycle = 1; cycle <= cycles; cycle++, t += 30) {
        if (!stytch_client_set_time(client, t, &err)) fail("set_time", err);
        stytch_users_create_response *user = stytch_users_create(client, "{\"email\":\"rss@example.com\"}", &err);
        if (!user) fail("users create", err);
        char user_id[128], body[256], path[192];
        snprintf(user_id, sizeof user_id, "%s", stytch_users_create_response_user_id(user));
        stytch_users_create_response_free(user);
        stytch_totp_create_response *totp = stytch_totp_create(client, user_id, 0, &err);
        if (!totp) fail("totp create", err);
        char *now_code = stytch_totp_code(stytch_totp_create_response_secret(totp), t);
        char *next_code = stytch_totp_code(stytch_totp_create_response_secret(totp), t + 30);
        char recovery[32];
        snprintf(recovery, sizeof recovery, "%s", stytch_totp_create_response_recovery_code(totp, 0));

        stytch_totp_authenticate_response *ok = stytch_totp_authenticate(client, user_id, now_code, &err);
        if (!ok) fail("authenticate", err);
        stytch_totp_authenticate_response_free(ok);
        /* A code that is none of the window's three (the step before, now, the next). */
        char *before_code = stytch_totp_code(stytch_totp_create_response_secret(totp), t - 30);
        char wrong[12];
        for (int k = 1; k < 5; k++) {
            snprintf(wrong, sizeof wrong, "%06d", (atoi(now_code) + k) % 1000000);
            if (strcmp(wrong, next_code) != 0 && strcmp(wrong, before_code) != 0) break;
        }
        /* One secret in half a million has the next step's code equal to one of
         * the two just spent (a replay, refused): the JSON door's success and
         * replay are then skipped for this user. */
        int next_is_spent = strcmp(next_code, now_code) == 0 || strcmp(next_code, before_code) == 0;
        stytch_string_free(before_code);
        stytch_totp_create_response_free(totp);
        err = NULL;
        if (stytch_totp_authenticate(client, user_id, wrong, &err)) fail("a wrong code passed", NULL);
        stytch_error_free(err);
        snprintf(body, sizeof body, "{\"user_id\":\"%s\",\"totp_code\":\"%s\"}", user_id, next_code);
        if (!next_is_spent) call_expecting(client, "POST", "/v1/totps/authenticate", body, "\"status_code\":200");
        stytch_totp_recover_response *recovered = stytch_totp_recover(client, user_id, recovery, &err);
        if (!recovered) fail("recover", err);
        stytch_totp_authenticate_response_free(recovered);
        snprintf(path, sizeof path, "/v1/users/%s", user_id);
        call_expecting(client, "GET", path, NULL, "\"status_code\":200");
        stytch_totp_recovery_codes_response *codes = stytch_totp_recovery_codes(client, user_id, &err);
        if (!codes) fail("recovery codes", err);
        stytch_totp_recovery_codes_response_free(codes);
        if (!next_is_spent)
            call_expecting(client, "POST", "/v1/totps/authenticate", body, "totp_code_already_authenticated");
        stytch_users_delete_response *deleted = stytch_users_delete(client, user_id, &err);
        if (!deleted) fail("users delete", err);
        stytch_users_delete_response_free(deleted);
        stytch_string_free(now_code);
        stytch_string_free(next_code);

        long calls = cycle * CALLS_PER_CYCLE;
        if (calls % 100000 == 0) printf("%9ld %9ld\n", calls, current_rss_kib());
        if (cycle == cycles / 2) half_rss = current_rss_kib();
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    long end_rss = current_rss_kib();
    printf("%ld calls in %.1f s (%.0f/s); RSS %ld KiB at the start, %ld at half way, %ld at the end "
           "(second half: %+ld KiB, limit %ld)\n",
           cycles * CALLS_PER_CYCLE, secs, (double)(cycles * CALLS_PER_CYCLE) / secs, start_rss, half_rss,
           end_rss, end_rss - half_rss, RSS_SLACK_KIB);
    /* The same figures for benches/compare.py. */
    printf("{\"calls\": %ld, \"rss_start_kib\": %ld, \"rss_half_kib\": %ld, \"rss_end_kib\": %ld, "
           "\"slack_kib\": %ld}\n",
           cycles * CALLS_PER_CYCLE, start_rss, half_rss, end_rss, RSS_SLACK_KIB);
    stytch_client_free(client);
    return end_rss - half_rss <= RSS_SLACK_KIB ? 0 : 1;
}
