/* Interned strings: each distinct byte string gets one 32-bit id, stable for
 * the table's lifetime. Id 0 is the empty string. Strings may hold any bytes
 * (NUL included); strtab_str() adds a terminating NUL for convenience. */
#ifndef EMBER_STRTAB_H
#define EMBER_STRTAB_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

struct strtab {
    struct arena mem;
    const char **str;
    uint32_t *len;
    uint32_t count, cap;
    uint32_t *slots;            /* open addressing: id + 1, 0 = empty */
    uint32_t mask;
};

void strtab_init(struct strtab *t);
void strtab_free(struct strtab *t);
/* Returns the id of s[0..len), adding it when new. */
uint32_t strtab_intern(struct strtab *t, const char *s, size_t len);
/* Returns the id of s, or UINT32_MAX when it was never interned. */
uint32_t strtab_find(const struct strtab *t, const char *s, size_t len);

static inline const char *strtab_str(const struct strtab *t, uint32_t id)
{
    return t->str[id];
}

static inline uint32_t strtab_len(const struct strtab *t, uint32_t id)
{
    return t->len[id];
}

#endif
