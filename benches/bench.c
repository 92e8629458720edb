/*
 * Benchmarks of the C ABI beside liboath in one process. Prints one JSON object
 * per case: the median and p90 over rounds of the mean time per operation, the
 * p99 of single operations (each also timed on its own), and the median of the
 * thread's CPU time per operation, which other processes on a busy machine
 * do not inflate.
 *
 *   bench [rounds]
 *
 * With STYTCH_BENCH_KEYS=1 the clients seal secrets under a host key
 * (encryption_keys), for benches/at_rest.py.
 */
#define _POSIX_C_SOURCE 200809L
#include <liboath/oath.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_keys.h"
#include "stytch_totp.h"

#define BATCH 50
static int rounds = 41;
static const int64_t BASE = 1700000010;
static int64_t now_value = 1700000010;

static int64_t bench_clock(void *context) {
    (void)context;
    return now_value;
}

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Mean CPU time per operation of each round of the case being measured. */
static double *per_cpu;
static double round_wall, round_cpu;
static void round_begin(void) {
    round_wall = now_ns();
    round_cpu = cpu_ns();
}
static void round_end(double *per_op, int r) {
    per_op[r] = (now_ns() - round_wall) / BATCH;
    per_cpu[r] = (cpu_ns() - round_cpu) / BATCH;
}

/* Single-operation times of the case being measured (up to rounds * BATCH). */
static double *singles;
static int n_singles;

static double started;
static void op_start(void) { started = now_ns(); }
static void op_end(void) { singles[n_singles++] = now_ns() - started; }

static void report(const char *name, double *per_op, int n, const char *extra) {
    qsort(per_op, (size_t)n, sizeof *per_op, cmp_double);
    qsort(singles, (size_t)n_singles, sizeof *singles, cmp_double);
    qsort(per_cpu, (size_t)n, sizeof *per_cpu, cmp_double);
    printf("{\"name\": \"%s\", \"median_ns\": %.1f, \"p90_ns\": %.1f, \"p99_ns\": %.1f, \"cpu_median_ns\": %.1f, "
           "\"rounds\": %d, \"batch\": %d%s}\n",
           name, per_op[n / 2], per_op[(n * 9) / 10], singles[(n_singles * 99) / 100], per_cpu[n / 2], n, BATCH,
           extra ? extra : "");
    fflush(stdout);
    n_singles = 0;
}

static void die(const char *what, stytch_error *err) {
    fprintf(stderr, "%s: %s\n", what, err ? stytch_error_message(err) : "failed");
    exit(1);
}

static stytch_client *open_client(const char *database) {
    char config[768];
    snprintf(config, sizeof config,
             "{\"database\":\"%s\",\"lockout\":{\"max_failures\":100,\"duration_minutes\":5}%s}", database,
             bench_encryption_keys());
    stytch_error *err = NULL;
    stytch_client *client = stytch_client_new(config, &err);
    if (!client) die("client", err);
    stytch_client_set_clock(client, bench_clock, NULL);
    return client;
}

static char *new_user(stytch_client *client) {
    stytch_error *err = NULL;
    stytch_users_create_response *u = stytch_users_create(client, "{\"email\":\"bench@example.com\"}", &err);
    if (!u) die("users create", err);
    char *id = strdup(stytch_users_create_response_user_id(u));
    stytch_users_create_response_free(u);
    return id;
}

static void bench_create(const char *name, const char *database) {
    stytch_client *client = open_client(database);
    char *user_id = new_user(client);
    double *per_op = malloc(sizeof(double) * (size_t)rounds);
    size_t png_chars = 0;
    for (int r = 0; r < rounds; r++) {
        round_begin();
        for (int i = 0; i < BATCH; i++) {
            stytch_error *err = NULL;
            op_start();
            stytch_totp_create_response *t = stytch_totp_create(client, user_id, 0, &err);
            op_end();
            if (!t) die("create", err);
            png_chars = strlen(stytch_totp_create_response_qr_code(t));
            stytch_totp_create_response_free(t);
        }
        round_end(per_op, r);
    }
    char extra[96];
    /* base64 of n bytes is 4*ceil(n/3) characters after the 23-character prefix */
    snprintf(extra, sizeof extra, ", \"png_bytes_max\": %zu", (png_chars - 23) / 4 * 3);
    report(name, per_op, rounds, extra);
    free(per_op);
    free(user_id);
    stytch_client_free(client);
}

/* Codes of a secret at BASE + 30*i, computed before timing. */
static char (*codes_for(const char *secret, int n))[7] {
    char (*codes)[7] = malloc(sizeof *codes * (size_t)n);
    for (int i = 0; i < n; i++) {
        char *c = stytch_totp_code(secret, BASE + 30LL * i);
        memcpy(codes[i], c, 7);
        stytch_string_free(c);
    }
    return codes;
}

/* A six-digit code that is none of the window's three codes at step i. */
static void wrong_code(char (*codes)[7], int i, int n, char out[7]) {
    for (int k = 0; k < 1000; k++) {
        snprintf(out, 7, "%06d", 123456 + k);
        int clash = 0;
        for (int d = -1; d <= 1; d++)
            if (i + d >= 0 && i + d < n && strcmp(out, codes[i + d]) == 0) clash = 1;
        if (!clash) return;
    }
}

/* A client with one user whose TOTP was created at BASE, and the codes of
 * its first n steps. */
static stytch_client *enrolled(const char *database, char **user_id, int n, char (**codes)[7]) {
    stytch_client *client = open_client(database);
    *user_id = new_user(client);
    stytch_error *err = NULL;
    now_value = BASE;
    stytch_totp_create_response *t = stytch_totp_create(client, *user_id, 0, &err);
    if (!t) die("create", err);
    *codes = codes_for(stytch_totp_create_response_secret(t), n);
    stytch_totp_create_response_free(t);
    return client;
}

/* Times rounds * BATCH successful authentications from step *step on, each
 * at its own step: typed, or through stytch_call when `bodies` (written
 * before timing) are given. */
static void time_successes(const char *name, stytch_client *client, const char *user_id, char (*codes)[7],
                           char (*bodies)[160], int *step, double *per_op) {
    stytch_error *err = NULL;
    for (int r = 0; r < rounds; r++) {
        round_begin();
        for (int i = 0; i < BATCH; i++, (*step)++) {
            now_value = BASE + 30LL * *step;
            if (bodies) {
                op_start();
                char *json = stytch_call(client, "POST", "/v1/totps/authenticate", bodies[*step]);
                op_end();
                if (!json || !strstr(json, "\"status_code\":200")) die(json ? json : "stytch_call", NULL);
                stytch_string_free(json);
            } else {
                op_start();
                stytch_totp_authenticate_response *a = stytch_totp_authenticate(client, user_id, codes[*step], &err);
                op_end();
                if (!a) die("authenticate", err);
                stytch_totp_authenticate_response_free(a);
            }
        }
        round_end(per_op, r);
    }
    report(name, per_op, rounds, NULL);
}

static void bench_authenticate(const char *success_name, const char *failure_name, const char *database) {
    int n = rounds * BATCH * 2 + 2;
    char *user_id;
    char (*codes)[7];
    stytch_client *client = enrolled(database, &user_id, n, &codes);
    double *per_op = malloc(sizeof(double) * (size_t)rounds);
    stytch_error *err = NULL;
    int step = 0;
    time_successes(success_name, client, user_id, codes, NULL, &step, per_op);

    for (int r = 0; r < rounds; r++, step++) {
        now_value = BASE + 30LL * step;
        char wrong[7];
        wrong_code(codes, step, n, wrong);
        round_begin();
        for (int i = 0; i < BATCH; i++) {
            err = NULL;
            op_start();
            stytch_totp_authenticate_response *none = stytch_totp_authenticate(client, user_id, wrong, &err);
            op_end();
            if (none) die("a wrong code passed", NULL);
            if (stytch_error_status_code(err) != 401) die("failure path", err);
            stytch_error_free(err);
        }
        round_end(per_op, r);
        /* Untimed: a success resets the failure counter before the lockout limit. */
        stytch_totp_authenticate_response *a = stytch_totp_authenticate(client, user_id, codes[step], &err);
        if (!a) die("reset", err);
        stytch_totp_authenticate_response_free(a);
    }
    report(failure_name, per_op, rounds, NULL);
    free(codes);
    free(per_op);
    free(user_id);
    stytch_client_free(client);
}

/* Successful authentications through the JSON door (stytch_call). */
static void bench_call(const char *name, const char *database) {
    int n = rounds * BATCH;
    char *user_id;
    char (*codes)[7];
    stytch_client *client = enrolled(database, &user_id, n, &codes);
    char (*bodies)[160] = malloc(sizeof *bodies * (size_t)n);
    for (int i = 0; i < n; i++)
        snprintf(bodies[i], sizeof bodies[i], "{\"user_id\":\"%s\",\"totp_code\":\"%s\"}", user_id, codes[i]);
    double *per_op = malloc(sizeof(double) * (size_t)rounds);
    int step = 0;
    time_successes(name, client, user_id, codes, bodies, &step, per_op);
    free(bodies);
    free(codes);
    free(per_op);
    free(user_id);
    stytch_client_free(client);
}

/* liboath's stateless check: the same HMAC work, no replay or lockout state. */
static void bench_liboath(void) {
    static const char secret[] = "12345678901234567890";
    char code[7];
    double *per_op = malloc(sizeof(double) * (size_t)rounds);
    oath_init();
    oath_totp_generate(secret, 20, (time_t)BASE, 30, 0, 6, code);
    for (int r = 0; r < rounds; r++) {
        round_begin();
        for (int i = 0; i < BATCH; i++) {
            op_start();
            int found = oath_totp_validate(secret, 20, (time_t)BASE, 30, 0, 1, code);
            op_end();
            if (found < 0) die("liboath", NULL);
        }
        round_end(per_op, r);
    }
    report("liboath_validate_success", per_op, rounds, NULL);
    for (int r = 0; r < rounds; r++) {
        round_begin();
        for (int i = 0; i < BATCH; i++) {
            op_start();
            int found = oath_totp_validate(secret, 20, (time_t)BASE, 30, 0, 1, "000000");
            op_end();
            if (found >= 0) die("liboath", NULL);
        }
        round_end(per_op, r);
    }
    report("liboath_validate_failure", per_op, rounds, NULL);
    oath_done();
    free(per_op);
}

int main(int argc, char **argv) {
    if (argc > 1) rounds = atoi(argv[1]);
    if (rounds < 3) rounds = 3;
    singles = malloc(sizeof(double) * (size_t)rounds * BATCH);
    per_cpu = malloc(sizeof(double) * (size_t)rounds);
    char dir[] = "/tmp/stytch-bench-XXXXXX";
    if (!mkdtemp(dir)) die("mkdtemp", NULL);
    char db_create[600], db_auth[600];
    snprintf(db_create, sizeof db_create, "%s/create.db", dir);
    snprintf(db_auth, sizeof db_auth, "%s/auth.db", dir);

    bench_create("create_memory", ":memory:");
    bench_create("create_sqlite", db_create);
    bench_authenticate("authenticate_success_memory", "authenticate_failure_memory", ":memory:");
    bench_authenticate("authenticate_success_sqlite", "authenticate_failure_sqlite", db_auth);
    bench_call("authenticate_call_memory", ":memory:");
    bench_liboath();

    const char *suffixes[] = {"", "-wal", "-shm"};
    char path[640];
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s%s", db_create, suffixes[i]);
        unlink(path);
        snprintf(path, sizeof path, "%s%s", db_auth, suffixes[i]);
        unlink(path);
    }
    rmdir(dir);
    return 0;
}
