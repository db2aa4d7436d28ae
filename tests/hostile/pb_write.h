/* A tiny protobuf encoder for the tests that craft hostile profiles
 * (tests/hostile/gen.c and tests/check_hostile.c): varints, varint fields,
 * strings and nested messages appended to a growing buffer. */
#ifndef EMBER_PB_WRITE_H
#define EMBER_PB_WRITE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pbw {
    uint8_t *d;
    size_t n, cap;
};

static inline void pbw_put(struct pbw *b, const void *p, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 64;
        if (!(b->d = realloc(b->d, b->cap))) {
            perror("pb_write");
            exit(1);
        }
    }
    memcpy(b->d + b->n, p, n);
    b->n += n;
}

static inline void pbw_varint(struct pbw *b, uint64_t v)
{
    uint8_t t[10];
    size_t n = 0;

    do {
        t[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        v >>= 7;
    } while (v);
    pbw_put(b, t, n);
}

static inline void pbw_field(struct pbw *b, unsigned num, uint64_t v)
{
    pbw_varint(b, (uint64_t)num << 3);
    pbw_varint(b, v);
}

/* A length-delimited field holding sub's bytes; empties sub. */
static inline void pbw_msg(struct pbw *b, unsigned num, struct pbw *sub)
{
    pbw_varint(b, (uint64_t)num << 3 | 2);
    pbw_varint(b, sub->n);
    pbw_put(b, sub->d, sub->n);
    sub->n = 0;
}

static inline void pbw_str(struct pbw *b, unsigned num, const char *s)
{
    pbw_varint(b, (uint64_t)num << 3 | 2);
    pbw_varint(b, strlen(s));
    pbw_put(b, s, strlen(s));
}

#endif
