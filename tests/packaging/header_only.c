/* The header on its own, in a C translation unit (C99 and C11). */
#include <stytch_totp.h>

int main(void) {
    return stytch_version() == NULL;
}
