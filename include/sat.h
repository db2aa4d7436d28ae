/* Saturating arithmetic for sums of sample values: hostile profiles may
 * hold values near INT64_MAX, and signed overflow must not happen. */
#ifndef EMBER_SAT_H
#define EMBER_SAT_H

#include <stdint.h>

static inline int64_t sat_add(int64_t a, int64_t b)
{
    int64_t r;

    if (__builtin_add_overflow(a, b, &r))
        return b > 0 ? INT64_MAX : INT64_MIN;
    return r;
}

#endif
