#include "timeline.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intmap.h"
#include "query.h"
#include "sat.h"
#include "snapshot.h"
#include "xalloc.h"

static int by_time(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

    return (a > b) - (a < b);
}

uint32_t timeline_distinct(const struct profile *p, uint32_t type)
{
    int64_t *t = xmalloc(((size_t)p->nsources + 1) * sizeof *t);
    uint32_t n = 0, distinct = 0;

    for (uint32_t s = 0; s < p->nsources; s++)
        if (source_has_type(&p->sources[s], type))
            t[n++] = p->sources[s].time_nanos;
    qsort(t, n, sizeof *t, by_time);
    for (uint32_t i = 0; i < n; i++)
        distinct += !i || t[i] != t[i - 1];
    free(t);
    return distinct;
}

void timeline_init(struct timeline *t, const struct profile *p, uint32_t type, uint32_t n)
{
    memset(t, 0, sizeof *t);
    t->start = INT64_MAX;
    t->end = INT64_MIN;
    t->bucket_of = xmalloc(((size_t)p->nsources + 1) * sizeof *t->bucket_of);
    for (uint32_t s = 0; s < p->nsources; s++) {
        t->bucket_of[s] = TIMELINE_NONE;
        if (!source_has_type(&p->sources[s], type))
            continue;
        t->bucket_of[s] = 0;
        t->profiles++;
        if (p->sources[s].time_nanos < t->start)
            t->start = p->sources[s].time_nanos;
        if (p->sources[s].time_nanos > t->end)
            t->end = p->sources[s].time_nanos;
    }
    if (!t->profiles)
        t->start = t->end = 0;
    if (!t->profiles || t->end <= t->start || n == 0)
        return;
    t->buckets = n;
    t->in_bucket = xcalloc(n, sizeof *t->in_bucket);
    for (uint32_t s = 0; s < p->nsources; s++) {
        if (t->bucket_of[s] == TIMELINE_NONE)
            continue;
        double at = (double)(p->sources[s].time_nanos - t->start) / (double)(t->end - t->start);
        uint32_t b = (uint32_t)(at * n);

        t->bucket_of[s] = b >= n ? n - 1 : b;
        if (!snapshot_is_baseline(p, s, type))      /* no step there */
            t->in_bucket[t->bucket_of[s]]++;
    }
}

void timeline_free(struct timeline *t)
{
    free(t->bucket_of);
    free(t->in_bucket);
    t->bucket_of = NULL;
    t->in_bucket = NULL;
}

void timeline_span(struct timeline *t, const struct profile *p, int64_t start, int64_t end,
                   uint32_t n)
{
    memset(t, 0, sizeof *t);
    t->span = 1;
    t->start = start;
    t->end = end > start ? end : start;
    t->bucket_of = xmalloc(((size_t)p->nsources + 1) * sizeof *t->bucket_of);
    for (uint32_t s = 0; s < p->nsources; s++)
        t->bucket_of[s] = TIMELINE_NONE;
    if (end <= start || n == 0)
        return;
    t->buckets = n;
}

/* The bucket of time `at` on a span timeline, clamped to it. */
static uint32_t span_bucket(const struct timeline *t, int64_t at)
{
    double x;

    if (at <= t->start)
        return 0;
    if (at >= t->end)
        return t->buckets - 1;
    x = (double)(at - t->start) / (double)(t->end - t->start) * t->buckets;
    return x >= t->buckets ? t->buckets - 1 : (uint32_t)x;
}

static uint32_t span_range(const struct timeline *t, int64_t from, int64_t until, uint32_t *lo,
                           uint32_t *hi)
{
    *lo = 0;
    *hi = t->buckets ? t->buckets - 1 : 0;
    if (!t->buckets || from > t->end || until < t->start)
        return 0;
    *lo = span_bucket(t, from);
    /* until is the last instant taken: the bucket it falls in, unless it
     * is the bucket's start minus one (a range picked on the buckets) */
    *hi = span_bucket(t, until == INT64_MAX ? t->end : until);
    if (until != INT64_MAX && *hi > *lo && timeline_time(t, *hi) > until)
        (*hi)--;
    return *hi - *lo + 1;
}

int64_t timeline_time(const struct timeline *t, uint32_t b)
{
    if (!t->buckets)
        return t->start;
    return t->start + (int64_t)((double)(t->end - t->start) * b / t->buckets);
}

uint32_t timeline_range(const struct timeline *t, const struct profile *p, int64_t from,
                        int64_t until, uint32_t *lo, uint32_t *hi)
{
    uint32_t count = 0;

    if (t->span)
        return span_range(t, from, until, lo, hi);
    *lo = t->buckets ? t->buckets - 1 : 0;
    *hi = 0;
    for (uint32_t s = 0; s < p->nsources; s++) {
        int64_t at = p->sources[s].time_nanos;
        uint32_t b = t->bucket_of[s];

        if (b == TIMELINE_NONE || at < from || at > until)
            continue;
        count++;
        *lo = b < *lo ? b : *lo;
        *hi = b > *hi ? b : *hi;
    }
    if (!count) {
        *lo = 0;
        *hi = t->buckets ? t->buckets - 1 : 0;
    }
    return count;
}

void timeline_series(const struct timeline *t, const struct profile *p, uint32_t type,
                     const struct filter *f, int64_t *series)
{
    uint32_t n = t->buckets ? t->buckets : 1;
    struct query_weights w;

    query_weights(p, type, f, t->bucket_of, &w);    /* each snapshot's value */
    memset(series, 0, n * sizeof *series);
    for (size_t s = 0; s < p->nsamples; s++) {
        uint32_t b = t->bucket_of[p->samples[s].source];

        if (b != TIMELINE_NONE && filter_keeps(f, &p->samples[s]))
            series[b] = sat_add(series[b], query_weighted(&w, profile_value(p, s, type),
                                                          p->samples[s].source));
    }
    query_unweight(&w, series, n);
    query_weights_free(&w);
}

static int by_name(const void *a, const void *b, void *ctx)
{
    const struct profile *p = ctx;

    return strcmp(profile_str(p, *(const uint32_t *)a), profile_str(p, *(const uint32_t *)b));
}

/* Which label sets the samples of the profiles on t use (t NULL: every
 * set, used or not). */
static uint8_t *sets_on(const struct profile *p, const struct timeline *t)
{
    uint8_t *used = xcalloc((size_t)p->nsets + 1, 1);

    if (!t)
        memset(used, 1, p->nsets);
    for (size_t s = 0; t && s < p->nsamples; s++)
        if (t->bucket_of[p->samples[s].source] != TIMELINE_NONE)
            used[p->samples[s].labels] = 1;
    return used;
}

uint32_t *tags_names_on(struct profile *p, const struct timeline *t, uint32_t *n)
{
    uint32_t *keys = NULL, count = 0, cap = 0;
    uint8_t *used = sets_on(p, t);
    struct intmap seen;

    intmap_init(&seen, 16);
    for (uint32_t set = 0; set < p->nsets; set++) {
        uint32_t nl;
        const struct label *l = profile_set_labels(p, set, &nl);

        for (uint32_t i = 0; i < nl && used[set]; i++) {
            if (intmap_get(&seen, l[i].key) != INTMAP_NONE)
                continue;
            intmap_put(&seen, l[i].key, count);
            if (count == cap) {
                cap = cap ? cap * 2 : 16;
                keys = xreallocarray(keys, cap, sizeof *keys);
            }
            keys[count++] = l[i].key;
        }
    }
    intmap_free(&seen);
    free(used);
    if (count > 1)              /* no label: keys is NULL */
        qsort_r(keys, count, sizeof *keys, by_name, p);
    *n = count;
    return keys;
}

uint32_t *tags_names(struct profile *p, uint32_t *n)
{
    return tags_names_on(p, NULL, n);
}

/* The value of `key` in each label set as a string id, UINT32_MAX if none. */
static uint32_t *set_values(struct profile *p, uint32_t key)
{
    uint32_t *v = xmalloc(((size_t)p->nsets + 1) * sizeof *v);

    for (uint32_t s = 0; s < p->nsets; s++) {
        uint32_t n;
        const struct label *l = profile_set_labels(p, s, &n);

        v[s] = UINT32_MAX;
        for (uint32_t i = 0; i < n; i++) {
            char num[32];

            if (l[i].key != key)
                continue;
            if (l[i].str) {
                v[s] = l[i].str;
            } else {
                int len = snprintf(num, sizeof num, "%" PRId64, l[i].num);
                v[s] = profile_intern(p, num, (size_t)len);
            }
        }
    }
    return v;
}

uint32_t *tags_values(struct profile *p, uint32_t key, uint32_t *n)
{
    uint32_t *val = set_values(p, key), *out = xmalloc(((size_t)p->nsets + 1) * sizeof *out);
    struct intmap seen;

    *n = 0;
    intmap_init(&seen, 16);
    for (uint32_t s = 0; s < p->nsets; s++) {
        if (val[s] == UINT32_MAX || intmap_get(&seen, val[s]) != INTMAP_NONE)
            continue;
        intmap_put(&seen, val[s], 0);
        out[(*n)++] = val[s];
    }
    intmap_free(&seen);
    free(val);
    qsort_r(out, *n, sizeof *out, by_name, p);
    return out;
}

void tags_row_stats(struct tag_row *r, uint32_t n)
{
    double sum = 0, sq = 0;

    for (uint32_t b = 0; b < n; b++)
        sum += (double)r->series[b];
    r->mean = sum / n;
    for (uint32_t b = 0; b < n; b++)
        sq += ((double)r->series[b] - r->mean) * ((double)r->series[b] - r->mean);
    r->stddev = sqrt(sq / n);
}

/* Sums per (row, series) and how many snapshots each sum spans. */
struct row_groups {
    struct intmap of, seen;     /* (row, series) -> group; (row, source) -> 1 */
    int64_t *sum;
    uint32_t *count, *row, *series, n, cap;
};

static uint32_t series_key(const struct profile *p, uint32_t src)
{
    return p->sources[src].origin ? p->sources[src].origin : (1u << 31 | src);
}

static void group_add(struct row_groups *g, uint32_t r, uint32_t src, uint32_t series, int64_t v)
{
    uint64_t at = (uint64_t)r << 32 | series;
    uint32_t i = intmap_get(&g->of, at);

    if (i == INTMAP_NONE) {
        if (g->n == g->cap) {
            g->cap = g->cap ? g->cap * 2 : 64;
            g->sum = xreallocarray(g->sum, g->cap, sizeof *g->sum);
            g->count = xreallocarray(g->count, g->cap, sizeof *g->count);
            g->row = xreallocarray(g->row, g->cap, sizeof *g->row);
            g->series = xreallocarray(g->series, g->cap, sizeof *g->series);
        }
        intmap_put(&g->of, at, i = g->n++);
        g->sum[i] = 0, g->count[i] = 0, g->row[i] = r, g->series[i] = series;
    }
    if (intmap_put(&g->seen, (uint64_t)r << 32 | src, 1) == INTMAP_NONE)
        g->count[i]++;
    g->sum[i] = sat_add(g->sum[i], v);
}

/* The snapshots of each series an average counts (series_key -> count):
 * in range, with the type, chosen by f's file= and source= matchers. */
static void series_sizes(const struct profile *p, uint32_t type, const struct filter *f,
                         const struct timeline *t, struct intmap *size)
{
    uint8_t *chosen = xcalloc((size_t)p->nsources + 1, 1);

    for (size_t s = 0; s < p->nsamples; s++)
        if (!f || !f->set_chooses || f->set_chooses[p->samples[s].labels])
            chosen[p->samples[s].source] = 1;
    for (uint32_t s = 0; s < p->nsources; s++) {
        uint32_t k = series_key(p, s), n;

        if ((f && f->set_chooses && !chosen[s]) || !source_has_type(&p->sources[s], type) ||
            t->bucket_of[s] == TIMELINE_NONE || (f && f->source_ok && !f->source_ok[s]))
            continue;
        n = intmap_get(size, k);
        intmap_put(size, k, n == INTMAP_NONE ? 1 : n + 1);
    }
    free(chosen);
}

/* An instant type's row totals: each row's average over the snapshots of
 * each origin, summed over origins: what the query {key="value"} over the
 * same range gives. A row of file= or source= counts the snapshots it
 * chooses, any other every snapshot in range. Rows stay sums when no
 * origin has two snapshots (exact, as a single file's numbers). */
static void row_averages(const struct profile *p, uint32_t type, const struct filter *f,
                         uint32_t key, const uint32_t *val, const struct timeline *t,
                         const struct intmap *row_of, struct tag_row *rows, uint32_t nrows)
{
    struct row_groups g = { 0 };
    double *avg = xcalloc((size_t)nrows + 1, sizeof *avg);
    const char *name = profile_str(p, key);
    int many = 0, chooses = !strcmp(name, "file") || !strcmp(name, "source");
    struct intmap size;

    intmap_init(&g.of, 64);
    intmap_init(&g.seen, 256);
    intmap_init(&size, 64);
    series_sizes(p, type, f, t, &size);
    for (size_t s = 0; s < p->nsamples; s++) {
        const struct sample *sm = &p->samples[s];
        uint32_t r;

        if (val[sm->labels] == UINT32_MAX || t->bucket_of[sm->source] == TIMELINE_NONE ||
            !filter_keeps(f, sm) || (r = intmap_get(row_of, val[sm->labels])) == INTMAP_NONE)
            continue;
        group_add(&g, r, sm->source, series_key(p, sm->source), profile_value(p, s, type));
    }
    for (uint32_t i = 0; i < g.n; i++) {
        uint32_t n = chooses ? g.count[i] : intmap_get(&size, g.series[i]);

        n = n == INTMAP_NONE || n < g.count[i] ? g.count[i] : n;
        many |= n > 1;
        avg[g.row[i]] += (double)g.sum[i] / n;
    }
    for (uint32_t r = 0; r < nrows && many; r++)
        rows[r].total = llround(avg[r]);
    free(avg);
    intmap_free(&g.of);
    intmap_free(&g.seen);
    intmap_free(&size);
    free(g.sum);
    free(g.count);
    free(g.row);
    free(g.series);
}

struct tag_row *tags_group(struct profile *p, uint32_t type, const struct filter *f, uint32_t key,
                           const struct timeline *t, uint32_t *nrows)
{
    uint32_t *val = set_values(p, key), n = t->buckets ? t->buckets : 1, count = 0;
    struct tag_row *rows = NULL;
    struct intmap row_of;       /* value -> row */
    struct query_weights per_step;          /* a step's value */

    uint8_t *base = xcalloc((size_t)p->nsources + 1, 1);     /* baselines: no step */

    for (uint32_t s = 0; s < p->nsources; s++)
        base[s] = (uint8_t)snapshot_is_baseline(p, s, type);
    query_weights(p, type, f, t->bucket_of, &per_step);
    intmap_init(&row_of, 64);
    for (size_t s = 0; s < p->nsamples; s++) {
        const struct sample *sm = &p->samples[s];
        uint32_t v = val[sm->labels], r, b = t->bucket_of[sm->source];

        if (v == UINT32_MAX || b == TIMELINE_NONE || !filter_keeps(f, sm))
            continue;
        if ((r = intmap_get(&row_of, v)) == INTMAP_NONE) {
            rows = xreallocarray(rows, count + 1, sizeof *rows);
            rows[count] = (struct tag_row){ .value = v, .series = xcalloc(n, sizeof(int64_t)) };
            intmap_put(&row_of, v, r = count++);
        }
        rows[r].series[b] = sat_add(rows[r].series[b],
                                    query_weighted(&per_step, profile_value(p, s, type),
                                                   sm->source));
        rows[r].total = sat_add(rows[r].total, base[sm->source] ? 0 : profile_value(p, s, type));
    }
    if (snapshot_kind(p, type) == SNAPSHOT_INSTANT)
        row_averages(p, type, f, key, val, t, &row_of, rows, count);
    for (uint32_t r = 0; r < count; r++) {
        query_unweight(&per_step, rows[r].series, n);
        tags_row_stats(&rows[r], n);
    }
    query_weights_free(&per_step);
    intmap_free(&row_of);
    free(base);
    free(val);
    *nrows = count;
    return rows;
}

void tags_free_rows(struct tag_row *rows, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        free(rows[i].series);
    free(rows);
}
