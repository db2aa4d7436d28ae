/* Hash functions shared by the interning tables. Not cryptographic:
 * hostile input can only make probing slower, never incorrect. Tables
 * keyed by values a profile chooses (pprof ids) use the keyed variants:
 * the unkeyed finalizer is invertible, so a file can carry ids that all
 * land in one slot (100k such ids took a minute of probing). */
#ifndef EMBER_HASH_H
#define EMBER_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A strong 64-bit finalizer (splitmix64's): every input bit affects every
 * output bit, so masking the low bits for a table index is safe. */
static inline uint64_t hash_u64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/* A random key drawn once per run, before main (src/util/hash.c). */
extern uint64_t hash_seed;

/* hash_u64 under the run's key: which keys collide changes from run to
 * run, so it cannot be arranged in a file. */
static inline uint64_t hash_keyed_u64(uint64_t x)
{
    return hash_u64(x ^ hash_seed);
}

static inline uint64_t hash_pair(uint32_t a, uint32_t b)
{
    return hash_keyed_u64(((uint64_t)a << 32) | b);
}

/* Hashes len bytes eight at a time, the same in every run (theme hues). */
static inline uint64_t hash_bytes(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ len;
    uint64_t w;

    for (; len >= 8; p += 8, len -= 8) {
        memcpy(&w, p, 8);
        h = (h ^ hash_u64(w)) * 0xff51afd7ed558ccdULL;
    }
    w = 0;
    memcpy(&w, p, len);
    return hash_u64(h ^ w);
}

/* hash_bytes under the run's key, for tables of strings and labels from a
 * file. Each block goes through the whole finalizer: with a multiply only,
 * pairs of blocks that differ in the top bit collide whatever the key, and
 * so do all strings made of such pairs. */
static inline uint64_t hash_bytes_keyed(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = hash_seed ^ len;
    uint64_t w;

    for (; len >= 8; p += 8, len -= 8) {
        memcpy(&w, p, 8);
        h = hash_u64(h ^ w);
    }
    w = 0;
    memcpy(&w, p, len);
    return hash_u64(h ^ w ^ 0x9e3779b97f4a7c15ULL);
}

#endif
