/* A map from 64-bit keys to 32-bit values (pprof ids to table indexes).
 * Open addressing with linear probing under a per-run keyed hash, so keys
 * chosen by a file cannot pile into one cluster. */
#ifndef EMBER_INTMAP_H
#define EMBER_INTMAP_H

#include <stdint.h>

#define INTMAP_NONE UINT32_MAX

struct intmap {
    uint64_t *keys;
    uint32_t *vals;             /* INTMAP_NONE marks an empty slot */
    uint32_t mask, count;
};

void intmap_init(struct intmap *m, uint32_t expected);
void intmap_free(struct intmap *m);
/* Sets key to val (val != INTMAP_NONE); returns the previous value or
 * INTMAP_NONE. */
uint32_t intmap_put(struct intmap *m, uint64_t key, uint32_t val);
uint32_t intmap_get(const struct intmap *m, uint64_t key);

#endif
