#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "chains.h"
#include "intmap.h"
#include "query.h"
#include "sat.h"
#include "two_cores.h"
#include "xalloc.h"

int query_name_cmp(const struct profile *p, uint32_t a, uint32_t b)
{
    uint32_t la = strtab_len(&p->strings, a), lb = strtab_len(&p->strings, b);
    int c = memcmp(profile_str(p, a), profile_str(p, b), la < lb ? la : lb);

    return c ? c : (la > lb) - (la < lb);
}

uint64_t query_name_prefix(const struct profile *p, uint32_t name)
{
    const unsigned char *s = (const unsigned char *)profile_str(p, name);
    uint32_t len = strtab_len(&p->strings, name);
    uint64_t k = 0;

    for (uint32_t i = 0; i < 8; i++)
        k = k << 8 | (i < len ? s[i] : 0);
    return k;
}

static const struct profile *sort_profile;  /* qsort has no context argument */

/* A row to sort with what orders it at hand: comparing two rows reads
 * their keys, not two names somewhere in the string table (a random
 * access each, most of a 40,000-row sort's time). The name's prefix
 * decides unless two names share their first 8 bytes. */
struct row_key {
    uint64_t mag;               /* |self|, exact (INT64_MIN's too) */
    uint64_t prefix;            /* query_name_prefix, or the name's rank */
    struct flat_row row;
};

/* By name, then by frame id (one name in two files, at files or lines
 * granularity: a stable order whatever qsort does with equal keys). */
static int by_name_key(const void *a, const void *b)
{
    const struct row_key *x = a, *y = b;
    int c;

    if (x->prefix != y->prefix)
        return x->prefix < y->prefix ? -1 : 1;
    c = query_name_cmp(sort_profile, sort_profile->frames[x->row.frame].name,
                       sort_profile->frames[y->row.frame].name);
    return c ? c : (x->row.frame > y->row.frame) - (x->row.frame < y->row.frame);
}

static int by_key(const void *a, const void *b)
{
    const struct row_key *x = a, *y = b;

    if (x->mag != y->mag)
        return x->mag > y->mag ? -1 : 1;
    return by_name_key(a, b);
}

void query_rank_names(const struct profile *p, uint32_t *rank)
{
    struct row_key *k = xmalloc(((size_t)p->nframes + 1) * sizeof *k);

    for (uint32_t f = 0; f < p->nframes; f++)
        k[f] = (struct row_key){ 0, query_name_prefix(p, p->frames[f].name), { f, 0, 0 } };
    sort_profile = p;
    qsort(k, p->nframes, sizeof *k, by_name_key);
    for (uint32_t i = 0; i < p->nframes; i++)
        rank[k[i].row.frame] = i;
    free(k);
}

static int64_t abs64(int64_t v)
{
    return v < 0 ? (v == INT64_MIN ? INT64_MAX : -v) : v;
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

/* pprof's computeTotal over a profile as read (no --base): |v| summed,
 * and when some samples carry pprof::base=true (pprof's -diff_base
 * -proto output), theirs alone. Weighted as the values are. */
struct abs_sums {
    int64_t all, based;
    int negative, any_based;
};

/* Per label set: it holds pprof::base=true; NULL when no set can. */
static uint8_t *based_sets(const struct profile *p)
{
    uint32_t key = strtab_find(&p->strings, "pprof::base", 11), yes, n;
    uint8_t *ok;

    if (key == UINT32_MAX || (yes = strtab_find(&p->strings, "true", 4)) == UINT32_MAX)
        return NULL;
    ok = xcalloc((size_t)p->nsets + 1, 1);
    for (uint32_t set = 0; set < p->nsets; set++) {
        const struct label *l = profile_set_labels(p, set, &n);

        for (uint32_t i = 0; i < n; i++)
            ok[set] |= l[i].key == key && l[i].str == yes;
    }
    return ok;
}

/* raw: the file's value (a delta over snapshots makes weighted ones
 * negative: not a reason for |v|), v: as weighted. */
static void add_abs(struct abs_sums *a, const uint8_t *based, const struct sample *sm,
                    int64_t raw, int64_t v)
{
    a->negative |= raw < 0;
    a->all = sat_add(a->all, abs64(v));
    if (based && based[sm->labels]) {
        a->any_based = 1;
        a->based = sat_add(a->based, abs64(v));
    }
}

/* Self is what the samples hold at their leaf: no per-node array. */
/* Weighted (see query_weights): the caller divides by the scale. The
 * |v| sums come in the same pass (see struct abs_sums). */
static void frame_selves(const struct profile *p, uint32_t type, const struct filter *f,
                         const struct query_weights *w, int64_t *fself, struct abs_sums *abs)
{
    const struct trie *t = &p->trie;
    uint8_t *based = p->base ? NULL : based_sets(p);

    memset(abs, 0, sizeof *abs);
    for (size_t s = 0; s < p->nsamples; s++) {
        uint32_t n = filter_node(f, p->samples[s].node);
        int64_t raw, v;

        if (!filter_keeps(f, &p->samples[s]))
            continue;
        raw = profile_value(p, s, type);
        v = query_weighted(w, raw, p->samples[s].source);
        add_abs(abs, based, &p->samples[s], raw, v);
        if (n != TRIE_ROOT && fself)
            fself[t->node[n].frame] = sat_add(fself[t->node[n].frame], v);
    }
    free(based);
}

static void make_rows(const struct profile *p, int64_t *fself, int64_t *ftotal, int64_t grand,
                      const uint32_t *rank, struct flat *out);

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

/* What shares are of (report.go computeTotal): the sum of |v| (the
 * root's total when no value is negative), of the pprof::base=true
 * samples when there are some; with a base, of the samples merged as
 * pprof merges a base in; with a diff base the base's total (the sum of
 * |v| when the base has none). */
static int64_t share_total(const struct profile *p, uint32_t type, const struct filter *f,
                           const struct query_weights *w, struct abs_sums *a, int64_t root)
{
    int64_t t;

    if (!p->base) {
        /* a delta of snapshots is signed by making: its steps' sum */
        if ((!a->negative && !a->any_based) || w->agg == QUERY_DELTA)
            return root;
        t = a->any_based ? a->based : a->all;
        query_unweight(w, &t, 1);
        return t;
    }
    if (p->base->kind == BASE_DIFF && (t = abs_total(p, type, f, w, 1)))
        return t;
    return abs_total(p, type, f, w, 0);
}

int64_t flat_whole(const struct profile *p, uint32_t type, const struct filter *f)
{
    struct query_weights w;
    struct abs_sums a;
    int64_t root, t;

    query_weights(p, type, f, NULL, &w);
    frame_selves(p, type, f, &w, NULL, &a);
    root = query_sum(p, type, f);
    t = share_total(p, type, f, &w, &a, root);
    query_weights_free(&w);
    return t;
}

static void set_agg(struct flat *out, const struct profile *p, const struct query_weights *w)
{
    out->agg = w->agg;
    out->snapshots = w->snapshots;
    out->based = p->base != NULL;
}

void flat_build(const struct profile *p, uint32_t type, const struct filter *f,
                const int64_t *total, struct flat *out)
{
    int64_t *fself = xcalloc(p->nframes + 1, sizeof *fself);
    int64_t *ftotal = xcalloc(p->nframes + 1, sizeof *ftotal);
    struct query_weights w;
    struct abs_sums a;

    query_weights(p, type, f, NULL, &w);
    frame_selves(p, type, f, &w, fself, &a);
    query_unweight(&w, fself, p->nframes);
    frame_totals(p, total, ftotal);
    make_rows(p, fself, ftotal, share_total(p, type, f, &w, &a, total[TRIE_ROOT]), NULL, out);
    out->net = total[TRIE_ROOT];
    set_agg(out, p, &w);
    query_weights_free(&w);
}

enum { SAMPLE_AHEAD = 32, PAR_SAMPLES = 1 << 18 };

/* The samples [from, to) whose node is in [lo, hi), summed into total
 * (per node) and fself (per leaf frame), their |v| into a. With chains,
 * total is indexed by folded node (c->sum or c->sum2). */
struct pass {
    const struct profile *p;
    uint32_t type;
    const struct filter *f;
    const struct query_weights *w;
    const uint8_t *based;
    int64_t *total, *fself;
    uint32_t lo, hi;
    struct abs_sums a;
    const struct chains *c;
    size_t from, to;
};

/* Where sample s sums: its node, or its chain's folded index. */
static inline uint32_t pass_slot(const struct pass *x, size_t s)
{
    return x->c ? x->c->slot[s] : filter_node(x->f, x->p->samples[s].node);
}

/* Each sample's self goes to its node and its leaf's frame in the same
 * pass (what frame_selves does apart): one read of the samples and of
 * their values instead of two; the |v| sums too. */
static void *sample_pass(void *arg)
{
    struct pass *x = arg;
    const struct profile *p = x->p;
    const struct filter *f = x->f;

    if (x->c)                   /* each core zeroes its own folded sums */
        memset(x->total, 0, (size_t)x->c->n * sizeof *x->total);
    for (size_t s = x->from; s < x->to; s++) {
        uint32_t node = pass_slot(x, s), frame;
        int64_t raw, v;

        /* Samples come in file order, their nodes anywhere in per-node
         * arrays far larger than the caches: each access would wait for
         * memory. Asking for the lines SAMPLE_AHEAD samples early overlaps
         * those waits (the pass took 107 ms instead of 70 on the bench
         * profile without). */
        if (s + SAMPLE_AHEAD < x->to) {
            uint32_t ahead = pass_slot(x, s + SAMPLE_AHEAD);

            if (ahead >= x->lo && ahead < x->hi) {
                __builtin_prefetch(&x->total[ahead], 1);
                if (!x->c)      /* folded: the frames' selves come after */
                    __builtin_prefetch(&p->trie.node[ahead], 0);
            }
        }
        if (node < x->lo || node >= x->hi || !filter_keeps(f, &p->samples[s]))
            continue;
        raw = profile_value(p, s, x->type);
        v = query_weighted(x->w, raw, p->samples[s].source);
        add_abs(&x->a, x->based, &p->samples[s], raw, v);
        x->total[node] = sat_add(x->total[node], v);
        if (node != TRIE_ROOT && !x->c) {     /* folded: chains_totals */
            frame = p->trie.node[node].frame;
            x->fself[frame] = sat_add(x->fself[frame], v);
        }
    }
    return NULL;
}

/* The sample pass, on two cores for a large profile. Node by node, each
 * thread reads every sample but sums only those whose node is in its half
 * of the ids, so that no node is written by both (each node's sum keeps
 * its order): a second per-node array would be 180 MB. The folded sums
 * are small (22 MB): each thread takes half the samples into its own,
 * c->sum and c->sum2, which chains_totals adds. The halves' frame sums are
 * added after; when |v| reaches 2^62 that could saturate otherwise than
 * one pass would, and one pass runs again (folded: the caller's fallback
 * does). */
static void sample_passes(struct pass *one, struct abs_sums *a)
{
    struct pass low = *one, high = *one;
    uint32_t nf = one->p->nframes, slots = one->c ? one->c->n : one->p->trie.count;

    if (one->p->nsamples < PAR_SAMPLES) {
        sample_pass(one);
        *a = one->a;
        return;
    }
    if (one->c) {
        low.to = high.from = one->p->nsamples / 2;
        high.total = one->c->sum2;
    } else {
        low.hi = high.lo = slots / 2;
    }
    high.fself = xcalloc((size_t)nf + 1, sizeof *high.fself);
    two_cores(sample_pass, &low, &high);
    *a = low.a;
    a->all = sat_add(low.a.all, high.a.all);    /* |v|: saturates in any order */
    a->based = sat_add(low.a.based, high.a.based);
    a->negative |= high.a.negative;
    a->any_based |= high.a.any_based;
    if (a->all < (int64_t)1 << 62) {
        for (uint32_t fr = 0; fr <= nf; fr++)
            one->fself[fr] += high.fself[fr];
    } else if (!one->c) {
        memset(one->total, 0, (size_t)slots * sizeof *one->total);
        memset(one->fself, 0, ((size_t)nf + 1) * sizeof *one->fself);
        sample_pass(one);
        *a = one->a;
    }
    free(high.fself);
}

/* An instant type over snapshots sums weighted values, then divides every
 * node's and function's sum once: one snapshot's scale, rounded once. */
void query_totals_flat(const struct profile *p, uint32_t type, const struct filter *f,
                       int64_t *total, struct flat *out)
{
    query_totals_flat_ranked(p, type, f, total, NULL, out);
}

void query_totals_flat_ranked(const struct profile *p, uint32_t type, const struct filter *f,
                              int64_t *total, const uint32_t *rank, struct flat *out)
{
    query_totals_flat_folded(p, type, f, total, rank, NULL, out);
}

/* The samples summed over the folded trie (see chains.h), then every
 * node's total in one pass. 0 when it could not: a filter moves samples
 * to other nodes, c does not fit the profile, or |v| reaches 2^62 (where
 * sums saturate, their order matters: the node by node pass keeps it);
 * fself and a are then to be summed again. */
static int folded_totals(struct pass *x, struct chains *c, int64_t *ftotal, struct abs_sums *a)
{
    const struct profile *p = x->p;
    int64_t *total = x->total;

    if ((x->f && x->f->node_map) || !chains_fit(c, p))
        return 0;
    x->c = c;
    x->total = c->sum;
    if (p->nsamples < PAR_SAMPLES)      /* one pass, into c->sum alone */
        memset(c->sum2, 0, (size_t)c->n * sizeof *c->sum2);
    sample_passes(x, a);
    if (a->all >= (int64_t)1 << 62)
        return 0;
    chains_totals(c, &p->trie, total, x->fself, ftotal, p->nframes);
    return 1;
}

void query_totals_flat_folded(const struct profile *p, uint32_t type, const struct filter *f,
                              int64_t *total, const uint32_t *rank, struct chains *c,
                              struct flat *out)
{
    int64_t *fself = xcalloc(p->nframes + 1, sizeof *fself);
    int64_t *ftotal = xcalloc(p->nframes + 1, sizeof *ftotal);
    struct query_weights w;
    struct abs_sums a;
    uint8_t *based = p->base ? NULL : based_sets(p);
    const struct pass whole = { p, type, f, &w, based, total, fself, 0, UINT32_MAX, { 0 }, NULL, 0,
                                p->nsamples };
    struct pass x = whole;      /* the folded pass changes it */

    query_weights(p, type, f, NULL, &w);
    if (!c || !folded_totals(&x, c, ftotal, &a)) {
        memset(fself, 0, ((size_t)p->nframes + 1) * sizeof *fself);
        memset(total, 0, (size_t)p->trie.count * sizeof *total);
        x = whole;
        sample_passes(&x, &a);
        /* |v| summed below 2^62: no total can overflow, on any core */
        query_accumulate(&p->trie, total, ftotal, p->nframes, a.all < (int64_t)1 << 62);
    }
    free(based);
    query_unweight(&w, total, p->trie.count);
    query_unweight(&w, fself, p->nframes);
    query_unweight(&w, ftotal, p->nframes);
    make_rows(p, fself, ftotal, share_total(p, type, f, &w, &a, total[TRIE_ROOT]), rank, out);
    out->net = total[TRIE_ROOT];
    set_agg(out, p, &w);
    query_weights_free(&w);
}

/* Byte d of what orders x: the rank's 4 bytes first, then desc's 8 (least
 * significant first, as a radix sort from the last digit needs). */
static inline unsigned key_byte(const struct rank_key *x, int d)
{
    return d < 4 ? x->rank >> (8 * d) & 0xff : (unsigned)(x->desc >> (8 * (d - 4)) & 0xff);
}

/* The rows' sort with ranks as a radix sort, a byte a pass from the least
 * significant: every query sorts its tens of thousands of functions, and
 * qsort's comparisons took 4 ms of a bench query's 50; a pass whose byte
 * is the same in every key (most of |self|'s high bytes, the rank's high
 * ones) is skipped. The keys' bytes are counted in one read first. */
void query_rank_sort(struct rank_key *k, uint32_t n)
{
    enum { DIGITS = 12 };
    uint32_t (*count)[256] = xcalloc(DIGITS, sizeof *count);
    struct rank_key *tmp = xmalloc(((size_t)n + 1) * sizeof *tmp), *from = k, *to = tmp;

    for (uint32_t i = 0; i < n; i++)
        for (int d = 0; d < DIGITS; d++)
            count[d][key_byte(&k[i], d)]++;
    for (int d = 0; d < DIGITS; d++) {
        uint32_t at = 0, *c = count[d];

        if (n && c[key_byte(&from[0], d)] == n)
            continue;           /* one value: this pass would move nothing */
        for (int b = 0; b < 256; b++) {
            uint32_t m = c[b];

            c[b] = at;
            at += m;
        }
        for (uint32_t i = 0; i < n; i++)
            to[c[key_byte(&from[i], d)]++] = from[i];
        from = to;
        to = from == k ? tmp : k;
    }
    if (from != k)
        memcpy(k, from, (size_t)n * sizeof *k);
    free(tmp);
    free(count);
}

/* make_rows with the names' ranks. */
static void make_ranked_rows(const struct profile *p, const int64_t *fself, const int64_t *ftotal,
                             const uint32_t *rank, struct flat *out)
{
    struct rank_key *k = xmalloc(((size_t)p->nframes + 1) * sizeof *k);
    uint32_t n = 0;

    for (uint32_t f = 0; f < p->nframes; f++)
        if (fself[f] || ftotal[f])
            k[n++] = (struct rank_key){ ~(fself[f] < 0 ? -(uint64_t)fself[f] : (uint64_t)fself[f]),
                                        rank[f], f };
    query_rank_sort(k, n);
    for (uint32_t i = 0; i < n; i++)
        out->rows[i] = (struct flat_row){ k[i].id, fself[k[i].id], ftotal[k[i].id] };
    out->count = n;
    free(k);
}

/* Rows for every function with a value, sorted by self, then name; frees
 * the sums. pprof's order (graph.go FlatNameOrder): the largest self
 * either way first, as a base's negative values need. With the names'
 * ranks (query_rank_names) a tie compares two numbers, not two names. */
static void make_rows(const struct profile *p, int64_t *fself, int64_t *ftotal, int64_t grand,
                      const uint32_t *rank, struct flat *out)
{
    struct row_key *k;

    out->rows = xmalloc((p->nframes + 1) * sizeof *out->rows);
    out->count = 0;
    out->grand_total = grand;
    if (rank) {
        make_ranked_rows(p, fself, ftotal, rank, out);
        free(fself);
        free(ftotal);
        return;
    }
    k = xmalloc(((size_t)p->nframes + 1) * sizeof *k);
    for (uint32_t f = 0; f < p->nframes; f++)
        if (fself[f] || ftotal[f])
            k[out->count++] = (struct row_key){ fself[f] < 0 ? -(uint64_t)fself[f]
                                                              : (uint64_t)fself[f],
                                                query_name_prefix(p, p->frames[f].name),
                                                { f, fself[f], ftotal[f] } };
    free(fself);
    free(ftotal);
    sort_profile = p;
    qsort(k, out->count, sizeof *k, by_key);
    for (uint32_t i = 0; i < out->count; i++)
        out->rows[i] = k[i].row;
    free(k);
}

void flat_agg_text(const struct flat *f, char *buf, size_t size)
{
    static const char *const how[] = { [QUERY_SUM] = "sum", [QUERY_DELTA] = "delta",
                                       [QUERY_AVG] = "avg" };

    if (f->snapshots < 2)
        snprintf(buf, size, "%s", "");
    else if (f->based && f->agg == QUERY_SUM)   /* the base's samples are negated */
        snprintf(buf, size, "difference of %u profiles", f->snapshots);
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
