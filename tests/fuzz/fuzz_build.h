/* Shared by the harnesses past the parsers: builds a profile straight from
 * fuzz bytes, so that names hold any byte at all (ESC, NUL, bidi controls,
 * invalid UTF-8, ';') and shapes the parsers would refuse reach the code
 * under test.
 *
 * Format: byte 0 sets the sample type and unit names (bytes 1..1+(b0%16)
 * hold them, split at their middle); then records separated by '\n':
 * [v0][v1][src] name;name;...  with v0, v1 the values of the two sample
 * types (0..255), src % 4 the source (profiles taken 1 s apart times
 * src's high bits) and the leaf's name also the value of label "k". */
#ifndef EMBER_FUZZ_BUILD_H
#define EMBER_FUZZ_BUILD_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "trie.h"

#define FUZZ_MAX_DEPTH 256

/* Returns the number of samples added. */
static size_t fuzz_build(struct profile *p, const uint8_t *d, size_t len)
{
    size_t head = len ? 1 + (size_t)(d[0] % 16) : 0, i;
    uint32_t types[2], sources[4], stack[FUZZ_MAX_DEPTH], key = profile_intern(p, "k", 1);
    size_t nsamples = 0;

    if (head > len)
        head = len;
    types[0] = profile_type(p, profile_intern(p, (const char *)d + (head ? 1 : 0), head / 2),
                            profile_intern(p, (const char *)d + 1 + head / 2,
                                           head > 1 ? head - 1 - head / 2 : 0));
    types[1] = profile_type(p, profile_intern(p, "samples", 7), profile_intern(p, "count", 5));
    for (int s = 0; s < 4; s++) {
        struct source src = { .name = profile_intern(p, "fuzz", 4),
                              .time_nanos = (int64_t)s * 1000000000LL * (len ? d[0] >> 4 : 0) };

        sources[s] = profile_add_source(p, &src);
    }
    p->default_type = types[0];
    for (i = head; i < len;) {
        const uint8_t *nl = memchr(d + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - d) : len, depth = 0, start;

        if (end - i >= 3) {
            uint8_t v0 = d[i], v1 = d[i + 1], src = d[i + 2];
            struct label l = { .key = key };
            size_t sample;

            start = i + 3;
            for (size_t j = start; j <= end && depth < FUZZ_MAX_DEPTH; j++) {
                if (j == end || d[j] == ';') {
                    uint32_t name = profile_intern(p, (const char *)d + start, j - start);

                    stack[depth++] = profile_frame(p, name, 0, 0);
                    l.str = name;
                    start = j + 1;
                }
            }
            sample = profile_add_sample(p, trie_insert_path(&p->trie, stack, depth),
                                        profile_labelset(p, &l, 1), sources[src % 4]);
            profile_set_value(p, sample, types[0], v0);
            profile_set_value(p, sample, types[1], v1);
            nsamples++;
        }
        i = end + 1;
    }
    return nsamples;
}

/* A raw control byte (C0 but TAB and LF, DEL), a C1 control or a bidi
 * control as UTF-8 in s[0..n)? The oracle of every writer. */
static int fuzz_has_raw_control(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;

    for (size_t i = 0; i < n; i++) {
        if ((u[i] < 0x20 && u[i] != '\t' && u[i] != '\n') || u[i] == 0x7f)
            return 1;
        if (i + 1 < n && u[i] == 0xc2 && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f)
            return 1;
        if (i + 1 < n && u[i] == 0xd8 && u[i + 1] == 0x9c)
            return 1;
        if (i + 2 < n && u[i] == 0xe2 && u[i + 1] == 0x80 &&
            (u[i + 2] == 0x8e || u[i + 2] == 0x8f || (u[i + 2] >= 0xaa && u[i + 2] <= 0xae)))
            return 1;
        if (i + 2 < n && u[i] == 0xe2 && u[i + 1] == 0x81 && u[i + 2] >= 0xa6 && u[i + 2] <= 0xa9)
            return 1;
    }
    return 0;
}

#endif
