/*
 * The QR helpers from C: the otpauth URI, the PNG (the very image inside the
 * create response's qr_code), the SVG, the PNG written to a private file;
 * NULL and bad inputs, ownership. Run under ASan+UBSan and valgrind memcheck.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "stytch_totp.h"
#include "check.h"

/* Expects a failed call (`ok` false) with a 400 bad_request whose message
 * contains `words`; frees the error. */
static void expect_bad_request(int ok, stytch_error **errp, const char *words) {
    stytch_error *err = *errp;
    *errp = NULL;
    CHECK(!ok);
    CHECK(err != NULL);
    if (!err) return;
    CHECK(stytch_error_status_code(err) == 400);
    CHECK(strcmp(stytch_error_type(err), "bad_request") == 0);
    CHECK(strstr(stytch_error_message(err), words) != NULL);
    if (!strstr(stytch_error_message(err), words))
        fprintf(stderr, "  message: %s\n", stytch_error_message(err));
    stytch_error_free(err);
}

/* Standard base64 of `len` bytes, malloc'd. */
static char *base64(const uint8_t *bytes, size_t len) {
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = malloc((len + 2) / 3 * 4 + 1), *o = out;
    if (!out) return NULL;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t n = (uint32_t)bytes[i] << 16;
        if (i + 1 < len) n |= (uint32_t)bytes[i + 1] << 8;
        if (i + 2 < len) n |= bytes[i + 2];
        *o++ = abc[n >> 18 & 63];
        *o++ = abc[n >> 12 & 63];
        *o++ = i + 1 < len ? abc[n >> 6 & 63] : '=';
        *o++ = i + 2 < len ? abc[n & 63] : '=';
    }
    *o = '\0';
    return out;
}

/* The whole content of the file at `path`, malloc'd, its length in *len. */
static uint8_t *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    uint8_t *buf = malloc(1 << 16);
    *len = buf ? fread(buf, 1, 1 << 16, f) : 0;
    fclose(f);
    return buf;
}

/* The URI and the PNG of a real enrolment reproduce its qr_code exactly. */
static void test_png_is_the_create_responses_image(void) {
    stytch_error *err = NULL;
    stytch_client *client =
        stytch_client_new("{\"database\":\":memory:\",\"issuer\":\"Acme: Inc\"}", &err);
    CHECK(client != NULL);
    if (!client) return;
    stytch_users_create_response *user =
        stytch_users_create(client, "{\"email\":\"ada+qr@example.com\"}", &err);
    CHECK(user != NULL);
    stytch_totp_create_response *totp =
        user ? stytch_totp_create(client, stytch_users_create_response_user_id(user), 0, &err) : NULL;
    CHECK(totp != NULL);
    if (totp) {
        const char *secret = stytch_totp_create_response_secret(totp);
        char *uri = stytch_totp_otpauth_uri("Acme: Inc", "ada+qr@example.com", secret, &err);
        CHECK(uri != NULL && strncmp(uri, "otpauth://totp/Acme%3A%20Inc:ada%2Bqr@example.com?secret=", 57) == 0);
        CHECK(uri != NULL && strstr(uri, secret) != NULL);
        size_t len = 0;
        uint8_t *png = stytch_totp_qr_png(uri, &len, &err);
        CHECK(png != NULL && len > 8 && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0);
        char *encoded = png ? base64(png, len) : NULL;
        const char *qr_code = stytch_totp_create_response_qr_code(totp);
        CHECK(encoded != NULL && strncmp(qr_code, "data:image/png;base64, ", 23) == 0 &&
              strcmp(qr_code + 23, encoded) == 0);
        free(encoded);
        stytch_bytes_free(png, len);
        stytch_string_free(uri);
    }
    stytch_totp_create_response_free(totp);
    stytch_users_create_response_free(user);
    stytch_client_free(client);
}

static void test_otpauth_uri_errors(void) {
    stytch_error *err = NULL;
    const char *secret = "JBSWY3DPEHPK3PXP";
    expect_bad_request(stytch_totp_otpauth_uri(NULL, "a", secret, &err) != NULL, &err, "issuer");
    expect_bad_request(stytch_totp_otpauth_uri("i", NULL, secret, &err) != NULL, &err, "account");
    expect_bad_request(stytch_totp_otpauth_uri("i", "a", NULL, &err) != NULL, &err, "secret_base32");
    expect_bad_request(stytch_totp_otpauth_uri("i", "a", "not base32!", &err) != NULL, &err, "base32");
    expect_bad_request(stytch_totp_otpauth_uri("i", "\xff", secret, &err) != NULL, &err, "UTF-8");
    CHECK(stytch_totp_otpauth_uri("i", "a", NULL, NULL) == NULL); /* no error asked for */
    char *uri = stytch_totp_otpauth_uri("i", "a", "jbswy3dpehpk3pxp", &err);
    CHECK(uri != NULL && err == NULL);
    stytch_string_free(uri);
}

static void test_png_and_svg(void) {
    stytch_error *err = NULL;
    size_t len = 12345;
    expect_bad_request(stytch_totp_qr_png(NULL, &len, &err) != NULL, &err, "text");
    expect_bad_request(stytch_totp_qr_png("x", NULL, &err) != NULL, &err, "len_out");
    char *huge = malloc(4000);
    if (!huge) return;
    memset(huge, 'a', 3999);
    huge[3999] = '\0';
    expect_bad_request(stytch_totp_qr_png(huge, &len, &err) != NULL, &err, "too long");
    CHECK(len == 12345); /* untouched on failure */
    expect_bad_request(stytch_totp_qr_svg(huge, &err) != NULL, &err, "too long");
    expect_bad_request(stytch_totp_qr_svg(NULL, &err) != NULL, &err, "text");
    free(huge);
    stytch_bytes_free(NULL, 0);

    char *svg = stytch_totp_qr_svg("otpauth://totp/i:a?secret=JBSWY3DPEHPK3PXP", &err);
    CHECK(svg != NULL && strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
    CHECK(svg != NULL && strstr(svg, "</svg>") != NULL && strstr(svg, "<path") != NULL);
    stytch_string_free(svg);
}

static void test_png_file(void) {
    stytch_error *err = NULL;
#ifdef _WIN32
    const char *dir = ".";
#else
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
#endif
    char path[1024];
    snprintf(path, sizeof path, "%s/stytch_test_qr_%ld.png", dir, (long)rand());
    const char *text = "otpauth://totp/i:a?secret=JBSWY3DPEHPK3PXP";

    /* An existing world-readable file is replaced by a private one. */
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) fclose(f);
#ifndef _WIN32
    chmod(path, 0644);
#endif
    CHECK(stytch_totp_qr_png_write(text, path, &err) && err == NULL);
    size_t want_len = 0, got_len = 0;
    uint8_t *want = stytch_totp_qr_png(text, &want_len, &err);
    uint8_t *got = read_file(path, &got_len);
    CHECK(want != NULL && got != NULL && got_len == want_len && memcmp(got, want, want_len) == 0);
    free(got);
    stytch_bytes_free(want, want_len);
#ifndef _WIN32
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
#endif
    remove(path);

    char missing[1100];
    snprintf(missing, sizeof missing, "%s/no-such-directory-%ld/qr.png", dir, (long)rand());
    expect_bad_request(stytch_totp_qr_png_write(text, missing, &err), &err, "no-such-directory");
    expect_bad_request(stytch_totp_qr_png_write(text, dir, &err), &err, "cannot write the QR code");
    expect_bad_request(stytch_totp_qr_png_write(text, "", &err), &err, "path");
    expect_bad_request(stytch_totp_qr_png_write(text, NULL, &err), &err, "path");
    expect_bad_request(stytch_totp_qr_png_write(NULL, path, &err), &err, "text");
    CHECK(!stytch_totp_qr_png_write(NULL, path, NULL));
    CHECK(fopen(path, "rb") == NULL); /* nothing written by the failures */
}

int main(void) {
    test_png_is_the_create_responses_image();
    test_otpauth_uri_errors();
    test_png_and_svg();
    test_png_file();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
