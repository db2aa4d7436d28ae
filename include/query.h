/* Queries over the data set: select samples, sum them into per-node self
 * values, and derive totals and the per-function table. No I/O here. */
#ifndef EMBER_QUERY_H
#define EMBER_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "profile.h"
#include "selector.h"

/* How a value over time is made (see snapshot.h): a plain sum, a sum of
 * deltas between snapshots of counts that only grow, or an average of
 * snapshots of one origin (summed over origins). */
enum query_agg { QUERY_SUM, QUERY_DELTA, QUERY_AVG };

/* Per-source weights for a sum of sample type `type`: a sample of source s
 * counts w[s] / scale, so that an instant type (in-use memory, goroutines)
 * is averaged over the snapshots of each origin, per range or per bucket. */
struct query_weights {
    int64_t *w;                 /* per source; NULL: a plain sum (weight 1) */
    int64_t scale;
    enum query_agg agg;
    uint32_t snapshots;         /* profiles with the type in the selection */
    uint32_t origins;           /* their series (a profile on its own is one) */
};

/* The weights of type `type` over the profiles f keeps (a profile counts
 * when its time is in range and f keeps one of its samples); bucket_of (a
 * timeline's, per source) averages per bucket, NULL over the whole range.
 * The caller frees with query_weights_free. */
void query_weights(const struct profile *p, uint32_t type, const struct filter *f,
                   const uint32_t *bucket_of, struct query_weights *w);
void query_weights_free(struct query_weights *w);

static inline int64_t query_weighted(const struct query_weights *w, int64_t v, uint32_t source)
{
    int64_t r;

    if (!w->w)
        return v;
    if (__builtin_mul_overflow(v, w->w[source], &r))
        return (v > 0) == (w->w[source] > 0) ? INT64_MAX : INT64_MIN;
    return r;
}

/* Divides n weighted sums by the scale, rounding to the nearest. */
void query_unweight(const struct query_weights *w, int64_t *v, size_t n);

/* Sums sample type `type` of the samples the filter keeps (every sample
 * when f is NULL) into per-node totals: total[n] is the value of the
 * samples at n and below. total has p->trie.count entries, overwritten. */
void query_totals(const struct profile *p, uint32_t type, const struct filter *f,
                  int64_t *total);

/* The sum of type `type` over the samples f keeps (weighted as
 * query_totals weighs them): the root's total without the per-node array. */
int64_t query_sum(const struct profile *p, uint32_t type, const struct filter *f);

/* Every sample's value summed per sample type (averaged as query_weights
 * says), whatever its labels and time: out has p->ntypes entries,
 * overwritten. What the type picker shows
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
    int64_t grand_total;        /* what shares are of: the root's total, or the
                                 * sum of |v| (see flat_whole) */
    int64_t net;                /* the root's total: the kept values' signed sum */
    enum query_agg agg;         /* how the values were made over time */
    uint32_t snapshots;         /* of how many profiles (with agg) */
    int based;                  /* a base is subtracted (its profiles among them) */
};

/* trie_accumulate's result (self values to subtree totals in place, each
 * non-nested node's total added to its frame's entry of frame_total,
 * nframes + 1 entries), on two cores when the trie is large, its
 * numbering keeps subtrees together and no_overflow says that no sum can
 * overflow (the order of the additions then changes nothing). Returns 1
 * when it split the work, 0 when it ran trie_accumulate. */
int query_accumulate(const struct trie *t, int64_t *v, int64_t *frame_total, uint32_t nframes,
                     int no_overflow);

/* query_totals and flat_build at once, in one pass over the trie: what a
 * query change costs. */
void query_totals_flat(const struct profile *p, uint32_t type, const struct filter *f,
                       int64_t *total, struct flat *out);
/* The same with the names' ranks (query_rank_names, p->nframes entries)
 * at hand: the rows' sort then reads no name. */
void query_totals_flat_ranked(const struct profile *p, uint32_t type, const struct filter *f,
                              int64_t *total, const uint32_t *rank, struct flat *out);

/* The same over c's folded trie (chains.h, built by the caller): the
 * same totals and rows in about half the time. c NULL or not fitting the
 * profile as it is, or a filter that moves samples to other nodes: the
 * pass node by node. */
struct chains;
void query_totals_flat_folded(const struct profile *p, uint32_t type, const struct filter *f,
                              int64_t *total, const uint32_t *rank, struct chains *c,
                              struct flat *out);

/* Builds the table of every function with a non-zero self or total, for
 * sample type `type` whose per-node totals are `total`, sorted by |self|
 * descending (either sign: a base's negatives), then name (byte-wise),
 * then frame id: the table pane's default order, which it keeps as is. */
void flat_build(const struct profile *p, uint32_t type, const struct filter *f,
                const int64_t *total, struct flat *out);
void flat_free(struct flat *f);

/* What shares are of for the samples f keeps, as flat.grand_total is
 * (pprof's computeTotal): the whole a filtered table's shares are of when
 * f is the selection without the filter set. */
int64_t flat_whole(const struct profile *p, uint32_t type, const struct filter *f);

/* What a header says of how f's values were made over time: "avg of 12
 * snapshots", "delta of 6 snapshots", "sum of 8 profiles" ("difference of
 * 2 profiles" with a base); "" for one
 * profile (its numbers are the file's own). */
void flat_agg_text(const struct flat *f, char *buf, size_t size);

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
/* A name's first 8 bytes as one big-endian number, zero-padded: where two
 * prefixes differ they order the names as query_name_cmp does (equal
 * prefixes decide nothing), so a sort compares integers first. */
uint64_t query_name_prefix(const struct profile *p, uint32_t name);
/* rank[f] (p->nframes entries) is function f's place in the byte-wise
 * order of the names (ties: by frame id, which the names' order cannot
 * tell apart: same name, another file or line). */
void query_rank_names(const struct profile *p, uint32_t *rank);

/* A row's place by a magnitude and the names' ranks: desc ascending (~|v|
 * for |v| descending; one value for all: by name alone), then the rank
 * (unique, so the order is total and any sort gives the one answer). */
struct rank_key {
    uint64_t desc;
    uint32_t rank, id;          /* id: what the caller sorts (a frame, a row) */
};

/* Sorts k by desc, then rank: a radix sort, tens of thousands of keys in
 * a ms or two where qsort's comparisons took several. */
void query_rank_sort(struct rank_key *k, uint32_t n);

#endif
