/*
 * The host key the benchmarks seal under when STYTCH_BENCH_KEYS=1: a fixed
 * test key, as a configuration fragment to append to the JSON object.
 */
#ifndef STYTCH_BENCH_KEYS_H
#define STYTCH_BENCH_KEYS_H

#include <stdlib.h>
#include <string.h>

static const char *bench_encryption_keys(void) {
    const char *on = getenv("STYTCH_BENCH_KEYS");
    return on && strcmp(on, "1") == 0
               ? ",\"encryption_keys\":[{\"id\":\"bench\",\"key\":\"YmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtMzI=\"}]"
               : "";
}

#endif
