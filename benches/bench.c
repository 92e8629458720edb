/*
 * Benchmarks of the C ABI beside liboath in one process. Prints one JSON object
 * per case: the median and p90 over rounds of the mean time per operation, the
 * p99 of single operations (each also timed on its own), and the median of the
 * thread's CPU time per operation, which other processes on a busy machine
 * do not inflate. The in-memory authentications, through either door, and
 * liboath's take turns round by round, so that a change of load falls on
 * every side of their ratios.
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

/* The measurements of one case: the mean wall and CPU time per operation of
 * each round, and single-operation times (up to rounds * BATCH). */
struct lane {
    double *per_op, *per_cpu, *singles;
    int n_singles;
};

static struct lane *lane_new(void) {
    struct lane *l = calloc(1, sizeof *l);
    if (!l) exit(1);
    l->per_op = malloc(sizeof(double) * (size_t)rounds);
    l->per_cpu = malloc(sizeof(double) * (size_t)rounds);
    l->singles = malloc(sizeof(double) * (size_t)rounds * BATCH);
    if (!l->per_op || !l->per_cpu || !l->singles) exit(1);
    return l;
}

/* The lane being measured, and the start of its round and operation. */
static struct lane *lane;
static double round_wall, round_cpu, started;

static void round_begin(struct lane *l) {
    lane = l;
    round_wall = now_ns();
    round_cpu = cpu_ns();
}
static void round_end(int r) {
    lane->per_op[r] = (now_ns() - round_wall) / BATCH;
    lane->per_cpu[r] = (cpu_ns() - round_cpu) / BATCH;
}
static void op_start(void) { started = now_ns(); }
static void op_end(void) { lane->singles[lane->n_singles++] = now_ns() - started; }

/* Prints a lane's figures and frees it. */
static void report(const char *name, struct lane *l, const char *extra) {
    int n = rounds;
    qsort(l->per_op, (size_t)n, sizeof *l->per_op, cmp_double);
    qsort(l->singles, (size_t)l->n_singles, sizeof *l->singles, cmp_double);
    qsort(l->per_cpu, (size_t)n, sizeof *l->per_cpu, cmp_double);
    printf("{\"name\": \"%s\", \"median_ns\": %.1f, \"p90_ns\": %.1f, \"p99_ns\": %.1f, \"cpu_median_ns\": %.1f, "
           "\"rounds\": %d, \"batch\": %d%s}\n",
           name, l->per_op[n / 2], l->per_op[(n * 9) / 10], l->singles[(l->n_singles * 99) / 100], l->per_cpu[n / 2],
           n, BATCH, extra ? extra : "");
    fflush(stdout);
    free(l->per_op);
    free(l->per_cpu);
    free(l->singles);
    free(l);
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
    struct lane *l = lane_new();
    size_t png_chars = 0;
    for (int r = 0; r < rounds; r++) {
        round_begin(l);
        for (int i = 0; i < BATCH; i++) {
            stytch_error *err = NULL;
            op_start();
            stytch_totp_create_response *t = stytch_totp_create(client, user_id, 0, &err);
            op_end();
            if (!t) die("create", err);
            png_chars = strlen(stytch_totp_create_response_qr_code(t));
            stytch_totp_create_response_free(t);
        }
        round_end(r);
    }
    char extra[96];
    /* base64 of n bytes is 4*ceil(n/3) characters after the 23-character prefix */
    snprintf(extra, sizeof extra, ", \"png_bytes_max\": %zu", (png_chars - 23) / 4 * 3);
    report(name, l, extra);
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

/* One user whose TOTP was created at BASE on its own client, the codes of its
 * first n steps, the bodies of authentications with them through stytch_call,
 * and the next step to use. */
struct enrolled {
    stytch_client *client;
    char *user_id;
    char (*codes)[7];
    char (*bodies)[160];
    int n, step;
};

static struct enrolled enroll(const char *database, int n) {
    struct enrolled e = {.client = open_client(database), .n = n};
    e.user_id = new_user(e.client);
    stytch_error *err = NULL;
    now_value = BASE;
    stytch_totp_create_response *t = stytch_totp_create(e.client, e.user_id, 0, &err);
    if (!t) die("create", err);
    e.codes = codes_for(stytch_totp_create_response_secret(t), n);
    stytch_totp_create_response_free(t);
    e.bodies = malloc(sizeof *e.bodies * (size_t)n);
    if (!e.bodies) die("malloc", NULL);
    for (int i = 0; i < n; i++)
        snprintf(e.bodies[i], sizeof e.bodies[i], "{\"user_id\":\"%s\",\"totp_code\":\"%s\"}", e.user_id,
                 e.codes[i]);
    return e;
}

static void unenroll(struct enrolled *e) {
    free(e->codes);
    free(e->bodies);
    free(e->user_id);
    stytch_client_free(e->client);
}

/* One round of BATCH successful authentications, each at its own step: typed,
 * or through stytch_call. */
static void successes(struct lane *l, struct enrolled *e, int through_call, int r) {
    stytch_error *err = NULL;
    round_begin(l);
    for (int i = 0; i < BATCH; i++, e->step++) {
        now_value = BASE + 30LL * e->step;
        if (through_call) {
            op_start();
            char *json = stytch_call(e->client, "POST", "/v1/totps/authenticate", e->bodies[e->step]);
            op_end();
            if (!json || !strstr(json, "\"status_code\":200")) die(json ? json : "stytch_call", NULL);
            stytch_string_free(json);
        } else {
            op_start();
            stytch_totp_authenticate_response *a =
                stytch_totp_authenticate(e->client, e->user_id, e->codes[e->step], &err);
            op_end();
            if (!a) die("authenticate", err);
            stytch_totp_authenticate_response_free(a);
        }
    }
    round_end(r);
}

/* One round of BATCH wrong codes at one step, then (untimed) a success that
 * resets the failure counter before the lockout limit. */
static void failures(struct lane *l, struct enrolled *e, int r) {
    stytch_error *err = NULL;
    now_value = BASE + 30LL * e->step;
    char wrong[7];
    wrong_code(e->codes, e->step, e->n, wrong);
    round_begin(l);
    for (int i = 0; i < BATCH; i++) {
        err = NULL;
        op_start();
        stytch_totp_authenticate_response *none = stytch_totp_authenticate(e->client, e->user_id, wrong, &err);
        op_end();
        if (none) die("a wrong code passed", NULL);
        if (stytch_error_status_code(err) != 401) die("failure path", err);
        stytch_error_free(err);
    }
    round_end(r);
    stytch_totp_authenticate_response *a = stytch_totp_authenticate(e->client, e->user_id, e->codes[e->step], &err);
    if (!a) die("reset", err);
    stytch_totp_authenticate_response_free(a);
    e->step++;
}

/* liboath's stateless check: the same HMAC work, no replay or lockout state.
 * One round of BATCH checks of the code at BASE (`right`) or of a wrong one. */
static const char oath_secret[] = "12345678901234567890";
static char oath_code[7];

static void liboath_checks(struct lane *l, int right, int r) {
    round_begin(l);
    for (int i = 0; i < BATCH; i++) {
        op_start();
        int found = oath_totp_validate(oath_secret, 20, (time_t)BASE, 30, 0, 1, right ? oath_code : "000000");
        op_end();
        if ((found >= 0) != right) die("liboath", NULL);
    }
    round_end(r);
}

/* In memory, the typed call, stytch_call and liboath take turns, round by
 * round, for successes and then for failures. */
static void bench_memory_beside_liboath(void) {
    int n = rounds * BATCH * 2 + rounds + 2;
    struct enrolled typed = enroll(":memory:", n), call = enroll(":memory:", n);
    struct lane *ours = lane_new(), *door = lane_new(), *oath = lane_new();
    oath_init();
    oath_totp_generate(oath_secret, 20, (time_t)BASE, 30, 0, 6, oath_code);
    for (int r = 0; r < rounds; r++) {
        successes(ours, &typed, 0, r);
        successes(door, &call, 1, r);
        liboath_checks(oath, 1, r);
    }
    report("authenticate_success_memory", ours, NULL);
    report("authenticate_call_memory", door, NULL);
    report("liboath_validate_success", oath, NULL);
    ours = lane_new();
    oath = lane_new();
    for (int r = 0; r < rounds; r++) {
        failures(ours, &typed, r);
        liboath_checks(oath, 0, r);
    }
    report("authenticate_failure_memory", ours, NULL);
    report("liboath_validate_failure", oath, NULL);
    oath_done();
    unenroll(&typed);
    unenroll(&call);
}

static void bench_authenticate_sqlite(const char *database) {
    struct enrolled e = enroll(database, rounds * BATCH + rounds + 2);
    struct lane *l = lane_new();
    for (int r = 0; r < rounds; r++) successes(l, &e, 0, r);
    report("authenticate_success_sqlite", l, NULL);
    l = lane_new();
    for (int r = 0; r < rounds; r++) failures(l, &e, r);
    report("authenticate_failure_sqlite", l, NULL);
    unenroll(&e);
}

int main(int argc, char **argv) {
    if (argc > 1) rounds = atoi(argv[1]);
    if (rounds < 3) rounds = 3;
    char dir[] = "/tmp/stytch-bench-XXXXXX";
    if (!mkdtemp(dir)) die("mkdtemp", NULL);
    char db_create[600], db_auth[600];
    snprintf(db_create, sizeof db_create, "%s/create.db", dir);
    snprintf(db_auth, sizeof db_auth, "%s/auth.db", dir);

    bench_create("create_memory", ":memory:");
    bench_create("create_sqlite", db_create);
    bench_memory_beside_liboath();
    bench_authenticate_sqlite(db_auth);

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
