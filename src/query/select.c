#include <stdlib.h>
#include <string.h>

#include "intmap.h"
#include "query.h"
#include "sat.h"
#include "snapshot.h"
#include "timeline.h"
#include "xalloc.h"

/* The profiles with sample type `type` that f keeps: in range, and, for
 * the types snapshots change (labels: set), chosen by f's file= and
 * source= matchers (a query for one file keeps one snapshot). Other
 * matchers choose samples, not snapshots: an average under {bytes="8"}
 * counts every snapshot, so that a part never exceeds the whole. A plain
 * sum needs no pass over the samples for its header's count. */
static uint8_t *profiles_kept(const struct profile *p, uint32_t type, const struct filter *f,
                              int labels)
{
    uint8_t *in = xcalloc((size_t)p->nsources + 1, 1), *seen = NULL;

    if (labels && f && f->set_chooses) {
        seen = xcalloc((size_t)p->nsources + 1, 1);
        for (size_t s = 0; s < p->nsamples; s++)
            if (f->set_chooses[p->samples[s].labels])
                seen[p->samples[s].source] = 1;
    }
    for (uint32_t s = 0; s < p->nsources; s++)
        in[s] = source_has_type(&p->sources[s], type) && (!f || !f->source_ok ||
                f->source_ok[s]) && (!seen || seen[s]);
    free(seen);
    return in;
}

static int64_t gcd(int64_t a, int64_t b)
{
    while (b) {
        int64_t r = a % b;

        a = b;
        b = r;
    }
    return a;
}

/* The weights' scale: the least common multiple of the counts, bounded so
 * that a weighted value keeps room (past the bound, weights round). */
#define SCALE_MAX (1 << 20)

/* Counts the kept profiles per series (origin and bucket): group[s] is
 * source s's series, count[] each series' profiles; returns the series. */
static uint32_t series_counts(const struct profile *p, const uint8_t *in,
                              const uint32_t *bucket_of, uint32_t *group, uint32_t *count)
{
    struct intmap of;
    uint32_t n = 0;

    intmap_init(&of, 16);
    for (uint32_t s = 0; s < p->nsources; s++) {
        uint32_t b = bucket_of ? bucket_of[s] : 0, g;
        uint64_t key;

        group[s] = UINT32_MAX;
        if (!in[s] || b == TIMELINE_NONE)
            continue;
        key = p->sources[s].origin ? (uint64_t)p->sources[s].origin << 32 | b :
              (uint64_t)1 << 63 | s;    /* on its own */
        if ((g = intmap_get(&of, key)) == INTMAP_NONE) {
            intmap_put(&of, key, g = n++);
            count[g] = 0;
        }
        count[g]++;
        group[s] = g;
    }
    intmap_free(&of);
    return n;
}

/* A series' first snapshot of counts since the start is its baseline (no
 * step of its own, see snapshot.h): weight 0, as Pyroscope's deltas. */
static void skip_baselines(const struct profile *p, uint32_t type, const uint8_t *in,
                           struct query_weights *w)
{
    for (uint32_t s = 0; s < p->nsources; s++) {
        if (!in[s] || !snapshot_is_baseline(p, s, type))
            continue;
        if (!w->w) {
            w->w = xmalloc(((size_t)p->nsources + 1) * sizeof *w->w);
            for (uint32_t i = 0; i < p->nsources; i++)
                w->w[i] = 1;
        }
        w->w[s] = 0;
        w->agg = QUERY_DELTA;
    }
}

void query_weights(const struct profile *p, uint32_t type, const struct filter *f,
                   const uint32_t *bucket_of, struct query_weights *w)
{
    enum snapshot_kind kind = snapshot_kind(p, type);
    uint8_t *in = profiles_kept(p, type, f, kind != SNAPSHOT_SUM);
    uint32_t *group = xmalloc(((size_t)p->nsources + 1) * sizeof *group);
    uint32_t *count = xmalloc(((size_t)p->nsources + 1) * sizeof *count), n, most = 0;
    int64_t scale = 1;

    *w = (struct query_weights){ .scale = 1, .agg = QUERY_SUM };
    n = series_counts(p, in, bucket_of, group, count);
    for (uint32_t g = 0; g < n; g++) {
        w->snapshots += count[g];
        most = count[g] > most ? count[g] : most;
        if (scale <= SCALE_MAX)
            scale = scale / gcd(scale, count[g]) * count[g];
    }
    w->origins = n;
    if (most > 1 && kind == SNAPSHOT_CUMULATIVE)
        w->agg = QUERY_DELTA;
    if (most > 1 && kind == SNAPSHOT_INSTANT) {
        w->agg = QUERY_AVG;
        w->scale = scale = scale > SCALE_MAX ? SCALE_MAX : scale;
        w->w = xmalloc(((size_t)p->nsources + 1) * sizeof *w->w);
        for (uint32_t s = 0; s < p->nsources; s++)
            w->w[s] = group[s] == UINT32_MAX ? scale :
                      (scale + count[group[s]] / 2) / count[group[s]];
    }
    if (kind == SNAPSHOT_CUMULATIVE)
        skip_baselines(p, type, in, w);
    free(in);
    free(group);
    free(count);
}

void query_weights_free(struct query_weights *w)
{
    free(w->w);
    w->w = NULL;
}

void query_unweight(const struct query_weights *w, int64_t *v, size_t n)
{
    int64_t d = w->scale;

    if (!w->w || d == 1)
        return;
    for (size_t i = 0; i < n; i++) {
        int64_t q = v[i] / d, r = v[i] % d;

        v[i] = q + (r >= 0 ? (2 * r >= d) : -(2 * -r >= d));
    }
}

void query_totals(const struct profile *p, uint32_t type, const struct filter *f,
                  int64_t *total)
{
    struct query_weights w;

    query_weights(p, type, f, NULL, &w);
    memset(total, 0, (size_t)p->trie.count * sizeof *total);
    for (size_t s = 0; s < p->nsamples; s++) {
        uint32_t node = filter_node(f, p->samples[s].node);

        if (!filter_keeps(f, &p->samples[s]))
            continue;
        total[node] = sat_add(total[node], query_weighted(&w, profile_value(p, s, type),
                                                          p->samples[s].source));
    }
    trie_accumulate(&p->trie, total, NULL);
    query_unweight(&w, total, p->trie.count);
    query_weights_free(&w);
}

int64_t query_sum(const struct profile *p, uint32_t type, const struct filter *f)
{
    struct query_weights w;
    int64_t sum = 0;

    query_weights(p, type, f, NULL, &w);
    for (size_t s = 0; s < p->nsamples; s++)
        if (filter_keeps(f, &p->samples[s]))
            sum = sat_add(sum, query_weighted(&w, profile_value(p, s, type),
                                              p->samples[s].source));
    query_unweight(&w, &sum, 1);
    query_weights_free(&w);
    return sum;
}

void query_type_totals(const struct profile *p, int64_t *out)
{
    for (uint32_t t = 0; t < p->ntypes; t++) {
        struct query_weights w;

        query_weights(p, t, NULL, NULL, &w);
        out[t] = 0;
        for (size_t i = 0; i < p->nsamples; i++)
            out[t] = sat_add(out[t], query_weighted(&w, profile_value(p, i, t),
                                                    p->samples[i].source));
        query_unweight(&w, &out[t], 1);
        query_weights_free(&w);
    }
}

uint32_t query_nonempty_in(const int64_t *totals, uint32_t ntypes, uint32_t type)
{
    uint32_t pick = type;

    if (type < ntypes && !totals[type])
        for (uint32_t t = ntypes; t-- > 0;)
            if (totals[t])
                pick = t;       /* the first with samples */
    return pick;
}

uint32_t query_nonempty_type(const struct profile *p, uint32_t type)
{
    int64_t *sum = xcalloc((size_t)p->ntypes + 1, sizeof *sum);
    uint32_t pick;

    query_type_totals(p, sum);
    pick = query_nonempty_in(sum, p->ntypes, type);
    free(sum);
    return pick;
}
