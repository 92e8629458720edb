#define _POSIX_C_SOURCE 200809L
/* Peak resident memory over 1 000 000 authentications on one ":memory:"
 * client (`make rss`). One user; the client's clock moves one step (30 s) per
 * attempt so every correct code is fresh; one attempt in ten is a wrong code.
 * Prints the peak RSS (getrusage) every 100 000 attempts: it must level off. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "stytch_totp.h"

static long peak_rss_kib(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

int main(int argc, char **argv) {
    long total = argc > 1 ? atol(argv[1]) : 1000000L;
    stytch_error *err = NULL;
    stytch_client *client = stytch_client_new(
        "{\"database\":\":memory:\",\"lockout\":{\"max_failures\":100}}", &err);
    if (!client) { fprintf(stderr, "%s\n", stytch_error_message(err)); return 1; }
    int64_t t = 1700000010;
    stytch_client_set_time(client, t, NULL);
    stytch_users_create_response *user = stytch_users_create(client, "{\"email\":\"rss@example.com\"}", NULL);
    const char *user_id = stytch_users_create_response_user_id(user);
    stytch_totp_create_response *totp = stytch_totp_create(client, user_id, 0, NULL);
    if (!user || !totp) { fprintf(stderr, "setup failed\n"); return 1; }
    char secret[64];
    snprintf(secret, sizeof secret, "%s", stytch_totp_create_response_secret(totp));
    stytch_totp_create_response_free(totp);
    long accepted = 0, refused = 0;
    long start_rss = peak_rss_kib();
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    printf("start: peak RSS %ld KiB\n", start_rss);
    for (long i = 1; i <= total; i++) {
        t += 30;
        stytch_client_set_time(client, t, NULL);
        char *code = stytch_totp_code(secret, t);
        if (i % 10 == 0) code[0] = code[0] == '9' ? '0' : (char)(code[0] + 1);
        stytch_error *e = NULL;
        stytch_totp_authenticate_response *r = stytch_totp_authenticate(client, user_id, code, &e);
        if (r) { accepted++; stytch_totp_authenticate_response_free(r); }
        else { refused++; stytch_error_free(e); }
        stytch_string_free(code);
        if (i % 100000 == 0) printf("%8ld attempts: peak RSS %ld KiB\n", i, peak_rss_kib());
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    long end_rss = peak_rss_kib();
    printf("%ld attempts (%ld accepted, %ld refused) in %.1f s (%.0f/s); peak RSS %ld KiB (start %ld KiB, growth %ld KiB)\n",
           total, accepted, refused, secs, (double)total / secs, end_rss, start_rss, end_rss - start_rss);
    stytch_users_create_response_free(user);
    stytch_client_free(client);
    /* Bounded: well under 64 MiB of growth for a million calls. */
    return (end_rss - start_rss) < 65536 && accepted >= total - total / 10 - 10 ? 0 : 1;
}
