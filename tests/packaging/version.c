/*
 * The version three ways must agree: the header's STYTCH_TOTP_VERSION, its
 * _MAJOR/_MINOR/_PATCH macros and the library's stytch_version(); and, when
 * given as argv[1], the version in Cargo.toml.
 */
#include <stdio.h>
#include <string.h>

#include <stytch_totp.h>

#define STR_(x) #x
#define STR(x) STR_(x)

int main(int argc, char **argv) {
    const char *from_parts = STR(STYTCH_TOTP_VERSION_MAJOR) "." STR(STYTCH_TOTP_VERSION_MINOR) "." STR(
        STYTCH_TOTP_VERSION_PATCH);
    int ok = 1;
    if (strcmp(from_parts, STYTCH_TOTP_VERSION) != 0) {
        fprintf(stderr, "STYTCH_TOTP_VERSION %s but the parts say %s\n", STYTCH_TOTP_VERSION, from_parts);
        ok = 0;
    }
    if (strcmp(stytch_version(), STYTCH_TOTP_VERSION) != 0) {
        fprintf(stderr, "stytch_version() %s but the header says %s\n", stytch_version(), STYTCH_TOTP_VERSION);
        ok = 0;
    }
    if (argc > 1 && strcmp(argv[1], STYTCH_TOTP_VERSION) != 0) {
        fprintf(stderr, "Cargo.toml says %s but the header says %s\n", argv[1], STYTCH_TOTP_VERSION);
        ok = 0;
    }
    if (!ok) return 1;
    printf("version %s: header, macros, library%s agree\n", STYTCH_TOTP_VERSION, argc > 1 ? ", Cargo.toml" : "");
    return 0;
}
