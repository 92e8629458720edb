/*
 * bcryptprimitives.dll for Wine releases that lack it (Wine 8, Debian 12's).
 * Windows 10 and later ship it; Rust's standard library (and the getrandom
 * crate) take their random bytes from its ProcessPrng. This stand-in, used
 * only to run the tests under such a Wine, answers ProcessPrng from Wine's
 * BCryptGenRandom with the system's preferred RNG: a CSPRNG as on Windows.
 */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG))) {
            /* ProcessPrng has no failure path callers can handle: stop. */
            ExitProcess(70);
        }
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
