#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "intmap.h"
#include "query.h"
#include "sat.h"
#include "xalloc.h"

int query_name_cmp(const struct profile *p, uint32_t a, uint32_t b)
{
    uint32_t la = strtab_len(&p->strings, a), lb = strtab_len(&p->strings, b);
    int c = memcmp(profile_str(p, a), profile_str(p, b), la < lb ? la : lb);

    return c ? c : (la > lb) - (la < lb);
}

static const struct profile *sort_profile;  /* qsort has no context argument */

static int64_t abs64(int64_t v)
{
    return v < 0 ? (v == INT64_MIN ? INT64_MAX : -v) : v;
}

/* pprof's order (graph.go FlatNameOrder): the largest self either way
 * first, as a base's negative values need. */
static int by_self_then_name(const void *a, const void *b)
{
    const struct flat_row *x = a, *y = b;
    int64_t sx = abs64(x->self), sy = abs64(y->self);

    if (sx != sy)
        return sx > sy ? -1 : 1;
    return query_name_cmp(sort_profile, sort_profile->frames[x->frame].name,
                          sort_profile->frames[y->frame].name);
}

/* Sums the totals of the non-nested nodes per frame: a nested occurrence
 * is already inside its outer one's total. (query_totals_flat does this
 * inside the accumulation pass; this is for totals computed elsewhere.) */
static void frame_totals(const struct profile *p, const int64_t *total, int64_t *ftotal)
{
    const struct trie *t = &p->trie;

    for (uint32_t n = 1; n < t->count; n++)
        if (!trie_nested(t, n))
            ftotal[t->node[n].frame] = sat_add(ftotal[t->node[n].frame], total[n]);
}

/* Self is what the samples hold at their leaf: no per-node array. */
/* Weighted (see query_weights): the caller divides by the scale. */
static void frame_selves(const struct profile *p, uint32_t type, const struct filter *f,
                         const struct query_weights *w, int64_t *fself)
{
    const struct trie *t = &p->trie;

    for (size_t s = 0; s < p->nsamples; s++) {
        uint32_t n = filter_node(f, p->samples[s].node);

        if (n != TRIE_ROOT && filter_keeps(f, &p->samples[s]))
            fself[t->node[n].frame] = sat_add(fself[t->node[n].frame],
                                              query_weighted(w, profile_value(p, s, type),
                                                             p->samples[s].source));
    }
}

static void make_rows(const struct profile *p, int64_t *fself, int64_t *ftotal, int64_t grand,
                      struct flat *out);

/* The sum of |v| of the kept samples merged by stack and labels (file=
 * aside), as pprof merges a base into its profile; with diff, of the
 * base's samples alone (pprof's pprof::base samples, which merge with no
 * other). Weighted as the values are. */
static int64_t abs_total(const struct profile *p, uint32_t type, const struct filter *f,
                         const struct query_weights *w, int diff)
{
    struct intmap at;
    int64_t *sum = xcalloc(p->nsamples + 1, sizeof *sum), whole = 0;
    uint32_t n = 0;

    intmap_init(&at, 1024);
    for (size_t s = 0; s < p->nsamples; s++) {
        const struct sample *sm = &p->samples[s];
        uint64_t key = (uint64_t)sm->node << 32 | base_bare_set(p, sm->labels);
        uint32_t i;

        if ((diff && !base_is_base(p, sm->source)) || !filter_keeps(f, sm))
            continue;
        if ((i = intmap_get(&at, key)) == INTMAP_NONE)
            intmap_put(&at, key, i = n++);
        sum[i] = sat_add(sum[i], query_weighted(w, profile_value(p, s, type), sm->source));
    }
    for (uint32_t i = 0; i < n; i++)
        whole = sat_add(whole, abs64(sum[i]));
    intmap_free(&at);
    free(sum);
    query_unweight(w, &whole, 1);
    return whole;
}

/* What shares are of (report.go computeTotal): the root's total, or with
 * a base the sum of absolute values, or with a diff base the base's
 * total (the sum of absolute values when the base has none). */
static int64_t share_total(const struct profile *p, uint32_t type, const struct filter *f,
                           const struct query_weights *w, int64_t root)
{
    int64_t t;

    if (!p->base)
        return root;
    if (p->base->kind == BASE_DIFF && (t = abs_total(p, type, f, w, 1)))
        return t;
    return abs_total(p, type, f, w, 0);
}

static void set_agg(struct flat *out, const struct query_weights *w)
{
    out->agg = w->agg;
    out->snapshots = w->snapshots;
}

void flat_build(const struct profile *p, uint32_t type, const struct filter *f,
                const int64_t *total, struct flat *out)
{
    int64_t *fself = xcalloc(p->nframes + 1, sizeof *fself);
    int64_t *ftotal = xcalloc(p->nframes + 1, sizeof *ftotal);
    struct query_weights w;

    query_weights(p, type, f, NULL, &w);
    frame_selves(p, type, f, &w, fself);
    query_unweight(&w, fself, p->nframes);
    frame_totals(p, total, ftotal);
    make_rows(p, fself, ftotal, share_total(p, type, f, &w, total[TRIE_ROOT]), out);
    set_agg(out, &w);
    query_weights_free(&w);
}

/* An instant type over snapshots sums weighted values, then divides every
 * node's and function's sum once: one snapshot's scale, rounded once. */
void query_totals_flat(const struct profile *p, uint32_t type, const struct filter *f,
                       int64_t *total, struct flat *out)
{
    int64_t *fself = xcalloc(p->nframes + 1, sizeof *fself);
    int64_t *ftotal = xcalloc(p->nframes + 1, sizeof *ftotal);
    struct query_weights w;

    query_weights(p, type, f, NULL, &w);
    memset(total, 0, (size_t)p->trie.count * sizeof *total);
    /* Each sample's self goes to its node and its leaf's frame in the same
     * pass (what frame_selves does apart): one read of the samples and of
     * their values instead of two. */
    for (size_t s = 0; s < p->nsamples; s++) {
        uint32_t node = filter_node(f, p->samples[s].node);
        int64_t v;

        if (!filter_keeps(f, &p->samples[s]))
            continue;
        v = query_weighted(&w, profile_value(p, s, type), p->samples[s].source);
        total[node] = sat_add(total[node], v);
        if (node != TRIE_ROOT)
            fself[p->trie.node[node].frame] = sat_add(fself[p->trie.node[node].frame], v);
    }
    trie_accumulate(&p->trie, total, ftotal);
    query_unweight(&w, total, p->trie.count);
    query_unweight(&w, fself, p->nframes);
    query_unweight(&w, ftotal, p->nframes);
    make_rows(p, fself, ftotal, share_total(p, type, f, &w, total[TRIE_ROOT]), out);
    set_agg(out, &w);
    query_weights_free(&w);
}

/* Rows for every function with a value, sorted by self, then name; frees
 * the sums. */
static void make_rows(const struct profile *p, int64_t *fself, int64_t *ftotal, int64_t grand,
                      struct flat *out)
{
    out->rows = xmalloc((p->nframes + 1) * sizeof *out->rows);
    out->count = 0;
    out->grand_total = grand;
    for (uint32_t f = 0; f < p->nframes; f++)
        if (fself[f] || ftotal[f])
            out->rows[out->count++] = (struct flat_row){ f, fself[f], ftotal[f] };
    free(fself);
    free(ftotal);
    sort_profile = p;
    qsort(out->rows, out->count, sizeof *out->rows, by_self_then_name);
}

void flat_agg_text(const struct flat *f, char *buf, size_t size)
{
    static const char *const how[] = { [QUERY_SUM] = "sum", [QUERY_DELTA] = "delta",
                                       [QUERY_AVG] = "avg" };

    if (f->snapshots < 2)
        snprintf(buf, size, "%s", "");
    else
        snprintf(buf, size, "%s of %u %s", how[f->agg], f->snapshots,
                 f->agg == QUERY_SUM ? "profiles" : "snapshots");
}

void flat_free(struct flat *f)
{
    free(f->rows);
    f->rows = NULL;
    f->count = 0;
}

struct flat_pair *flat_join(const struct profile *p, const struct flat *a, const struct flat *b,
                            uint32_t *n)
{
    const struct flat *sides[2] = { a, b };
    uint32_t *at = xmalloc(((size_t)p->nframes + 1) * sizeof *at), count = 0;
    struct flat_pair *pairs = xcalloc((size_t)a->count + b->count + 1, sizeof *pairs);

    memset(at, 0xff, ((size_t)p->nframes + 1) * sizeof *at);
    for (int s = 0; s < 2; s++) {
        for (uint32_t i = 0; i < sides[s]->count; i++) {
            uint32_t fr = sides[s]->rows[i].frame;

            if (at[fr] == UINT32_MAX) {
                at[fr] = count;
                pairs[count++].frame = fr;
            }
            pairs[at[fr]].side[s] = &sides[s]->rows[i];
        }
    }
    free(at);
    *n = count;
    return pairs;
}
