/* Queries over the data set: select samples, sum them into per-node self
 * values, and derive totals and the per-function table. No I/O here. */
#ifndef EMBER_QUERY_H
#define EMBER_QUERY_H

#include <stdint.h>

#include "profile.h"
#include "selector.h"

/* Sums sample type `type` of the samples the filter keeps (every sample
 * when f is NULL) into per-node totals: total[n] is the value of the
 * samples at n and below. total has p->trie.count entries, overwritten. */
void query_totals(const struct profile *p, uint32_t type, const struct filter *f,
                  int64_t *total);

/* Every sample's value summed per sample type, whatever its labels and
 * time: out has p->ntypes entries, overwritten. What the type picker shows
 * and how an empty default type is told apart. */
void query_type_totals(const struct profile *p, int64_t *out);

/* The type to open on: `type` when it has samples, else the first type that
 * has some, else `type`. */
uint32_t query_nonempty_type(const struct profile *p, uint32_t type);
/* The same from totals query_type_totals made (ntypes entries). */
uint32_t query_nonempty_in(const int64_t *totals, uint32_t ntypes, uint32_t type);

/* One function of the flat table. total counts each sample once even when
 * the function recurses. */
struct flat_row {
    uint32_t frame;
    int64_t self, total;
};

struct flat {
    struct flat_row *rows;
    uint32_t count;
    int64_t grand_total;        /* the root's total */
};

/* query_totals and flat_build at once, in one pass over the trie: what a
 * query change costs. */
void query_totals_flat(const struct profile *p, uint32_t type, const struct filter *f,
                       int64_t *total, struct flat *out);

/* Builds the table of every function with a non-zero self or total, for
 * sample type `type` whose per-node totals are `total`, sorted by self
 * descending, then name. */
void flat_build(const struct profile *p, uint32_t type, const struct filter *f,
                const int64_t *total, struct flat *out);
void flat_free(struct flat *f);

/* A function of either of two tables, with its row on each side (NULL
 * where it has none). */
struct flat_pair {
    uint32_t frame;
    const struct flat_row *side[2];
};

/* Joins two tables of the same data set by function, in no particular
 * order. The caller frees the array; it points into a and b. */
struct flat_pair *flat_join(const struct profile *p, const struct flat *a, const struct flat *b,
                            uint32_t *n);

/* Byte-wise comparison of two interned names (unsigned, like LC_ALL=C). */
int query_name_cmp(const struct profile *p, uint32_t a, uint32_t b);

#endif
