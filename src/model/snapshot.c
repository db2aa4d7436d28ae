/* Snapshots over time: which sample types count since the process started,
 * and the deltas between consecutive snapshots of one origin.
 *
 * Which types are which: Go's runtime/pprof documents "allocs: a sampling
 * of all past memory allocations" and the mutex and block profiles as
 * counts of contention since profiling started (the records only grow),
 * while "heap: a sampling of memory allocations of live objects" and
 * "goroutine: stack traces of all current goroutines" are the state at
 * the moment. Pyroscope's Go support uses the same split:
 * grafana/pyroscope og/pkg/storage/tree/pprof.go, DefaultSampleTypeMapping:
 * alloc_objects, alloc_space, contentions, delay are Cumulative;
 * inuse_objects, inuse_space, goroutine have the "average" aggregation. */
#include "snapshot.h"

#include <stdlib.h>
#include <string.h>

#include "intmap.h"
#include "sat.h"
#include "text.h"
#include "xalloc.h"

#define MAX_COLS 8              /* cumulative types one series follows */

/* The last cumulative values of one origin, per stack and label set. */
struct series {
    uint32_t origin;
    uint32_t ncols;
    uint32_t col_type[MAX_COLS];        /* the type index of each column */
    struct intmap row_of;               /* stack key -> row */
    int64_t *cum;                       /* rows x MAX_COLS */
    uint32_t nrows, cap;
    uint32_t first, nsnaps;             /* its first source (the baseline), how many */
};

struct snapshot_memo {
    struct series *series;
    uint32_t n;
    struct intmap bare;                 /* label set -> the same without "file" */
};

static int named(const struct profile *p, uint32_t type, const char *const *names)
{
    const char *s = profile_str(p, p->types[type].type);

    for (; *names; names++)
        if (!strcmp(s, *names))
            return 1;
    return 0;
}

enum snapshot_kind snapshot_kind(const struct profile *p, uint32_t type)
{
    static const char *const cumulative[] = { "alloc_objects", "alloc_space", "contentions",
                                              "delay", NULL };
    static const char *const instant[] = { "inuse_objects", "inuse_space", "goroutine", NULL };

    if (type >= p->ntypes)
        return SNAPSHOT_SUM;
    if (named(p, type, cumulative))
        return SNAPSHOT_CUMULATIVE;
    return named(p, type, instant) ? SNAPSHOT_INSTANT : SNAPSHOT_SUM;
}

uint32_t snapshot_folder_origin(struct profile *p, const char *dir, uint32_t source)
{
    const struct source *s = &p->sources[source];
    struct sbuf b = { 0 };
    uint32_t id;

    sbuf_add(&b, dir, strlen(dir));
    for (uint32_t t = 0; t < p->ntypes; t++) {
        if (!source_has_type(s, t))
            continue;
        sbuf_addc(&b, '\n');
        sbuf_add(&b, profile_str(p, p->types[t].type), strtab_len(&p->strings, p->types[t].type));
        sbuf_addc(&b, '/');
        sbuf_add(&b, profile_str(p, p->types[t].unit), strtab_len(&p->strings, p->types[t].unit));
    }
    sbuf_add(&b, "\nperiod ", 8);
    sbuf_add(&b, profile_str(p, s->period_type.type), strtab_len(&p->strings, s->period_type.type));
    sbuf_addc(&b, '/');
    sbuf_add(&b, profile_str(p, s->period_type.unit), strtab_len(&p->strings, s->period_type.unit));
    id = profile_intern(p, b.s, b.len);
    sbuf_free(&b);
    return id;
}

static struct snapshot_memo *memo_of(struct profile *p)
{
    if (!p->snapshots) {
        p->snapshots = xcalloc(1, sizeof *p->snapshots);
        intmap_init(&p->snapshots->bare, 64);
    }
    return p->snapshots;
}

static struct series *series_of(struct snapshot_memo *m, uint32_t origin)
{
    for (uint32_t i = 0; i < m->n; i++)
        if (m->series[i].origin == origin)
            return &m->series[i];
    m->series = xreallocarray(m->series, m->n + 1, sizeof *m->series);
    memset(&m->series[m->n], 0, sizeof *m->series);
    m->series[m->n].origin = origin;
    intmap_init(&m->series[m->n].row_of, 64);
    return &m->series[m->n++];
}

/* The columns of the cumulative types source src has, added to the series
 * when new (older rows read 0 there); cols[i] is a column, types[i] its
 * type. */
static uint32_t columns(const struct profile *p, uint32_t src, struct series *s, uint32_t *cols)
{
    uint32_t n = 0;

    for (uint32_t t = 0; t < p->ntypes; t++) {
        uint32_t c = 0;

        if (snapshot_kind(p, t) != SNAPSHOT_CUMULATIVE || !source_has_type(&p->sources[src], t))
            continue;
        while (c < s->ncols && s->col_type[c] != t)
            c++;
        if (c == s->ncols && s->ncols < MAX_COLS)
            s->col_type[s->ncols++] = t;
        if (c < s->ncols)
            cols[n++] = c;
    }
    return n;
}

/* The label set without its file label: a folder's files differ there. */
static uint32_t bare_set(struct profile *p, struct snapshot_memo *m, uint32_t set)
{
    uint32_t got = intmap_get(&m->bare, set), n, k = 0;
    uint32_t file = strtab_find(&p->strings, "file", 4);
    const struct label *l;
    struct label *buf;

    if (got != INTMAP_NONE)
        return got;
    l = profile_set_labels(p, set, &n);
    buf = xmalloc(((size_t)n + 1) * sizeof *buf);
    for (uint32_t i = 0; i < n; i++)
        if (l[i].key != file)
            buf[k++] = l[i];
    got = k == n ? set : profile_labelset(p, buf, k);
    free(buf);
    intmap_put(&m->bare, set, got);
    return got;
}

/* The samples of source src: [*lo, *hi). A source's samples are added
 * together, after the earlier sources' ones. */
static void source_samples(const struct profile *p, uint32_t src, size_t *lo, size_t *hi)
{
    size_t a = 0, b = p->nsamples;

    while (a < b) {
        size_t mid = a + (b - a) / 2;

        if (p->samples[mid].source < src)
            a = mid + 1;
        else
            b = mid;
    }
    for (b = a; b < p->nsamples && p->samples[b].source == src; b++)
        ;
    *lo = a;
    *hi = b;
}

/* One snapshot's cumulative values summed per stack key. */
struct snap {
    struct intmap key_of;       /* stack key -> key index */
    uint64_t *keys;
    size_t *first;              /* the key's first sample */
    int64_t *sum;               /* keys x MAX_COLS */
    uint32_t n;
};

static void snap_read(struct profile *p, struct snapshot_memo *m, const struct series *s,
                      const uint32_t *cols, uint32_t ncols, size_t lo, size_t hi,
                      struct snap *x)
{
    memset(x, 0, sizeof *x);
    intmap_init(&x->key_of, (uint32_t)(hi - lo) + 1);
    x->keys = xmalloc((hi - lo + 1) * sizeof *x->keys);
    x->first = xmalloc((hi - lo + 1) * sizeof *x->first);
    x->sum = xcalloc((hi - lo + 1) * MAX_COLS, sizeof *x->sum);
    for (size_t i = lo; i < hi; i++) {
        uint64_t key = (uint64_t)p->samples[i].node << 32 | bare_set(p, m, p->samples[i].labels);
        uint32_t k = intmap_get(&x->key_of, key);

        if (k == INTMAP_NONE) {
            intmap_put(&x->key_of, key, k = x->n++);
            x->keys[k] = key;
            x->first[k] = i;
        }
        for (uint32_t c = 0; c < ncols; c++)
            x->sum[(size_t)k * MAX_COLS + cols[c]] =
                sat_add(x->sum[(size_t)k * MAX_COLS + cols[c]],
                        profile_value(p, i, s->col_type[cols[c]]));
    }
}

static void snap_free(struct snap *x)
{
    intmap_free(&x->key_of);
    free(x->keys);
    free(x->first);
    free(x->sum);
}

static int64_t prev_of(const struct series *s, uint64_t key, uint32_t col)
{
    uint32_t row = intmap_get(&s->row_of, key);

    return row == INTMAP_NONE ? 0 : s->cum[(size_t)row * MAX_COLS + col];
}

/* Whether x counts less than the series' last snapshot somewhere: a key
 * that went down, or a column's total that did (keys gone). */
static int went_down(const struct series *s, const struct snap *x, const uint32_t *cols,
                     uint32_t ncols)
{
    for (uint32_t c = 0; c < ncols; c++) {
        int64_t before = 0, now = 0;

        for (uint32_t r = 0; r < s->nrows; r++)
            before = sat_add(before, s->cum[(size_t)r * MAX_COLS + cols[c]]);
        for (uint32_t k = 0; k < x->n; k++) {
            int64_t v = x->sum[(size_t)k * MAX_COLS + cols[c]];

            if (v < prev_of(s, x->keys[k], cols[c]))
                return 1;
            now = sat_add(now, v);
        }
        if (now < before)
            return 1;
    }
    return 0;
}

/* Makes x the series' last values: a restart forgets the older keys. */
static void remember(struct series *s, const struct snap *x, const uint32_t *cols,
                     uint32_t ncols, int restart)
{
    if (restart) {
        intmap_free(&s->row_of);
        intmap_init(&s->row_of, x->n + 1);
        s->nrows = 0;
    }
    for (uint32_t k = 0; k < x->n; k++) {
        uint32_t row = intmap_get(&s->row_of, x->keys[k]);

        if (row == INTMAP_NONE) {
            if (s->nrows == s->cap) {
                s->cap = s->cap ? s->cap * 2 : 64;
                s->cum = xreallocarray(s->cum, (size_t)s->cap * MAX_COLS, sizeof *s->cum);
            }
            row = s->nrows++;
            memset(s->cum + (size_t)row * MAX_COLS, 0, MAX_COLS * sizeof *s->cum);
            intmap_put(&s->row_of, x->keys[k], row);
        }
        for (uint32_t c = 0; c < ncols; c++)
            s->cum[(size_t)row * MAX_COLS + cols[c]] = x->sum[(size_t)k * MAX_COLS + cols[c]];
    }
}

void snapshot_settle(struct profile *p, uint32_t source)
{
    struct snapshot_memo *m;
    struct series *s;
    uint32_t cols[MAX_COLS], ncols;
    size_t lo, hi;
    struct snap x;
    int restart;

    /* A profile with a duration is already an interval's delta: Go's
     * net/http/pprof answers heap, allocs, mutex and block with ?seconds=N
     * that way (serveDeltaProfile sets DurationNanos); Go's cumulative
     * snapshots carry none. */
    if (source >= p->nsources || !p->sources[source].origin ||
        p->sources[source].duration_nanos > 0)
        return;
    m = memo_of(p);
    s = series_of(m, p->sources[source].origin);
    if (!(ncols = columns(p, source, s, cols)))
        return;
    if (!s->nsnaps++)
        s->first = source;
    source_samples(p, source, &lo, &hi);
    snap_read(p, m, s, cols, ncols, lo, hi, &x);
    restart = !s->nrows || went_down(s, &x, cols, ncols);
    for (uint32_t k = 0; k < x.n && !restart; k++) {
        for (uint32_t c = 0; c < ncols; c++) {
            uint32_t t = s->col_type[cols[c]];
            size_t i = x.first[k];      /* the key's other samples keep theirs */
            int64_t prev = prev_of(s, x.keys[k], cols[c]);

            if (prev)                   /* (a file with no such column stays as it is) */
                profile_set_value(p, i, t, profile_value(p, i, t) - prev);
        }
    }
    remember(s, &x, cols, ncols, restart);
    snap_free(&x);
}

int snapshot_is_baseline(const struct profile *p, uint32_t source, uint32_t type)
{
    const struct snapshot_memo *m = p->snapshots;

    if (!m || source >= p->nsources || !p->sources[source].origin ||
        snapshot_kind(p, type) != SNAPSHOT_CUMULATIVE)
        return 0;
    for (uint32_t i = 0; i < m->n; i++) {
        const struct series *s = &m->series[i];

        if (s->origin != p->sources[source].origin)
            continue;
        for (uint32_t c = 0; c < s->ncols; c++)
            if (s->col_type[c] == type)
                return s->first == source && s->nsnaps > 1;
        return 0;
    }
    return 0;
}

void snapshot_renumber(struct profile *p, const uint8_t *drop, const uint32_t *renum)
{
    struct snapshot_memo *m = p->snapshots;

    for (uint32_t i = 0; m && i < m->n; i++)
        if (m->series[i].first < p->nsources && !drop[m->series[i].first])
            m->series[i].first = renum[m->series[i].first];
}

void snapshot_free(struct profile *p)
{
    struct snapshot_memo *m = p->snapshots;

    if (!m)
        return;
    for (uint32_t i = 0; i < m->n; i++) {
        intmap_free(&m->series[i].row_of);
        free(m->series[i].cum);
    }
    free(m->series);
    intmap_free(&m->bare);
    free(m);
    p->snapshots = NULL;
}
