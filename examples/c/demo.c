/*
 * The stytch-totp walk-through: enrol a user in TOTP, authenticate, recover.
 * Uses the embedded default store (stytch_totp.db in the working directory).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stytch_totp.h"

/* Prints an error and frees it. */
static void report(const char *what, stytch_error *err) {
    fprintf(stderr, "%s failed: %d %s: %s\n", what, stytch_error_status_code(err),
            stytch_error_type(err), stytch_error_message(err));
    stytch_error_free(err);
}

static int b64_value(char c) {
    const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *at = c ? strchr(alphabet, c) : NULL;
    return at ? (int)(at - alphabet) : -1;
}

/* Writes the PNG inside a `data:image/png;base64, ...` URI to `path`. */
static int write_qr_png(const char *data_uri, const char *path) {
    const char *b64 = strchr(data_uri, ',');
    if (!b64) return -1;
    while (*++b64 == ' ') {}
    size_t len = strlen(b64);
    unsigned char *png = malloc(len);
    if (!png) return -1;
    size_t n = 0;
    unsigned bits = 0, acc = 0;
    for (const char *p = b64; *p && *p != '='; p++) {
        int v = b64_value(*p);
        if (v < 0) { free(png); return -1; }
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) { bits -= 8; png[n++] = (unsigned char)(acc >> bits); }
    }
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(png, 1, n, f) == n;
    if (f) fclose(f);
    free(png);
    return ok ? (int)n : -1;
}

static void print_json(const char *title, char *json) {
    printf("\n== %s\n%s\n", title, json);
    stytch_string_free(json);
}

/* Every handle starts NULL and is freed once at the end, on success and on
 * every error path alike (each _free accepts NULL). */
int main(void) {
    int status = 1;
    stytch_error *err = NULL;
    stytch_client *client = NULL;
    stytch_users_create_response *user = NULL;
    stytch_totp_create_response *totp = NULL;
    char *code = NULL;
    stytch_totp_authenticate_response *auth = NULL;
    stytch_totp_recover_response *recovered = NULL;
    stytch_totp_recovery_codes_response *codes = NULL;
    printf("stytch-totp %s\n", stytch_version());

    /* NULL config: all defaults, the durable store stytch_totp.db. */
    client = stytch_client_new(NULL, &err);
    if (!client) { report("stytch_client_new", err); goto done; }

    /* 1. A user, through the HTTP-shaped API (the same JSON as Stytch). */
    user = stytch_users_create(
        client, "{\"email\": \"ada@example.com\", \"name\": {\"first_name\": \"Ada\"}}", &err);
    if (!user) { report("users create", err); goto done; }
    const char *user_id = stytch_users_create_response_user_id(user);
    printf("created user %s\n", user_id);

    /* 2. Enrolment: secret, QR code, recovery codes. */
    totp = stytch_totp_create(client, user_id, 0, &err);
    if (!totp) { report("totps create", err); goto done; }
    print_json("POST /v1/totps", stytch_totp_create_response_to_json(totp));
    int png_bytes = write_qr_png(stytch_totp_create_response_qr_code(totp), "qr.png");
    if (png_bytes < 0) { fprintf(stderr, "writing qr.png failed\n"); goto done; }
    printf("\nwrote qr.png (%d bytes): scan it with an authenticator app\n", png_bytes);

    /* 3. What the authenticator app shows now. */
    const char *secret = stytch_totp_create_response_secret(totp);
    code = stytch_totp_code(secret, (int64_t)time(NULL));
    if (!code) { fprintf(stderr, "stytch_totp_code failed\n"); goto done; }
    printf("current code: %s\n", code);

    /* 4. Authenticate with it: the TOTP becomes verified. */
    auth = stytch_totp_authenticate(client, user_id, code, &err);
    if (!auth) { report("totps authenticate", err); goto done; }
    print_json("POST /v1/totps/authenticate", stytch_totp_authenticate_response_to_json(auth));
    printf("verified: %s\n",
           stytch_user_totp_verified(stytch_totp_authenticate_response_user(auth), 0) ? "yes" : "no");
    stytch_totp_authenticate_response_free(auth);

    /* 5. The same code again is a replay, and is refused. */
    auth = stytch_totp_authenticate(client, user_id, code, &err);
    if (auth) { fprintf(stderr, "a replayed code was accepted\n"); goto done; }
    print_json("replayed code", stytch_error_to_json(err));
    stytch_error_free(err);
    err = NULL;

    /* 6. Lost the phone: sign in with a recovery code, which is then used up. */
    const char *recovery_code = stytch_totp_create_response_recovery_code(totp, 0);
    recovered = stytch_totp_recover(client, user_id, recovery_code, &err);
    if (!recovered) { report("totps recover", err); goto done; }
    print_json("POST /v1/totps/recover", stytch_totp_authenticate_response_to_json(recovered));

    codes = stytch_totp_recovery_codes(client, user_id, &err);
    if (!codes) { report("totps recovery_codes", err); goto done; }
    printf("\nrecovery codes left: %zu of 10\n",
           stytch_totp_recovery_codes_response_totp_recovery_codes_len(codes, 0));
    printf("done: the state is in stytch_totp.db\n");
    status = 0;

done:
    stytch_totp_recovery_codes_response_free(codes);
    stytch_totp_authenticate_response_free(recovered);
    stytch_totp_authenticate_response_free(auth);
    stytch_string_free(code);
    stytch_totp_create_response_free(totp);
    stytch_users_create_response_free(user);
    stytch_client_free(client);
    return status;
}
