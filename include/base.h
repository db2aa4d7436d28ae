/* A base to subtract (pprof's -base and -diff_base): the base's files are
 * loaded after the profile's as sources of their own whose values are
 * negated, so that every sum over the model is the profile minus the
 * base, merged by stack as pprof merges them. No I/O here. */
#ifndef EMBER_BASE_H
#define EMBER_BASE_H

#include <stddef.h>
#include <stdint.h>

#include "profile.h"

enum base_kind {
    BASE_NONE,
    BASE_SUBTRACT,              /* --base: shares of the sum of |values| */
    BASE_DIFF,                  /* --diff-base: shares of the base's total */
};

struct base_info {
    enum base_kind kind;
    uint32_t first;             /* the first base source; every later one is one too */
    uint32_t *bare;             /* per label set: the same set without "file" */
    uint32_t nbare;
    /* string ids of "pprof::base" and "true": pprof's label of a diff
     * base's samples, which the pprof export writes */
    uint32_t label_key, label_true;
};

/* Whether the sources from `first` on (a base just loaded) have the sample
 * types and period type of the ones before: pprof merges only such
 * profiles. 0, or -1 with a reason in err (n bytes). */
int base_check(const struct profile *p, uint32_t first, char *err, size_t n);

/* Makes the sources from `first` on the base: negates their samples'
 * values and records kind in p->base. Call once, after every file is
 * loaded and before profile_finish (it adds label sets). */
void base_mark(struct profile *p, uint32_t first, enum base_kind kind);

/* Whether source s belongs to the base. */
static inline int base_is_base(const struct profile *p, uint32_t s)
{
    return p->base && s >= p->base->first;
}

/* Label set `set` without ember's file label: pprof merges a base's sample
 * with the profile's when stack and labels agree, and ember labels each
 * file's samples with its name. */
static inline uint32_t base_bare_set(const struct profile *p, uint32_t set)
{
    return p->base && set < p->base->nbare ? p->base->bare[set] : set;
}

void base_free(struct profile *p);

#endif
