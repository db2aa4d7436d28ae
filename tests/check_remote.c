/* The remote data set (issue 11) on a fake Pyroscope API and a fake clock:
 * SelectMergeProfile of a selector answers a fixture file's bytes (whose
 * totals go tool pprof gave: tests/data/expected/ *.top), SelectSeries points
 * built by hand from those totals (the arithmetic in comments), failures,
 * delays and hangs; every call recorded, so that a cancel is seen to stop
 * the transfer. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_suites.h"
#include "dataset.h"
#include "keys.h"
#include "view_fx.h"
#include "pyro.h"
#include "source.h"
#include "xalloc.h"

#define SEC 1000000000LL
#define WALL (1764633600LL * SEC)       /* 2025-12-02T00:00:00Z: "now" */
#define HOUR (3600 * SEC)
#define ALL .from = INT64_MIN, .until = INT64_MAX    /* the default range */

struct fcall {
    struct pyro_ask q;
    char type_id[128], selector[128], name[64], matcher[128], label[64];
    pyro_done_fn done;
    void *arg;
    int64_t due;
    struct fcall *next;
};

struct fake {
    int64_t now;                /* the data set's clock, ns */
    int64_t delay;              /* every answer this long after its call */
    int hang;                   /* answer nothing */
    const char *fail;           /* every call fails with this line */
    const char *merge_file;     /* SelectMergeProfile's answer, NULL: by selector */
    struct fcall *calls;
    int started[PYRO_METHODS], cancelled, running;
    struct fcall last[PYRO_METHODS];    /* the last call of each method, as asked */
    int dup_type;               /* ProfileTypes lists a second cpu:nanoseconds ID */
    const char *refuse;         /* start says this through done at once, returns NULL */
    int no_types;               /* ProfileTypes answers none */
    int services;               /* LabelValues of service_name: svc00, svc01 ... (0: heap, cpu) */
};

static int64_t fake_clock(void *ctx)
{
    return ((struct fake *)ctx)->now;
}

static int64_t wall_shift;      /* how long after WALL the wall clock is */

static int64_t fake_wall(void *ctx)
{
    (void)ctx;
    return WALL + wall_shift;
}

static void copy(char *dst, size_t n, const char *s)
{
    snprintf(dst, n, "%s", s ? s : "");
}

static struct pyro_call *fake_start(void *ctx, const struct pyro_ask *q, pyro_done_fn done,
                                    void *arg)
{
    struct fake *f = ctx;
    struct fcall *c;

    if (f->refuse) {            /* as the client does for a request that does not encode */
        done(arg, NULL, NULL, f->refuse);
        return NULL;
    }
    c = xcalloc(1, sizeof *c);
    c->q = *q;
    copy(c->type_id, sizeof c->type_id, q->type_id);
    copy(c->selector, sizeof c->selector, q->selector);
    copy(c->name, sizeof c->name, q->name);
    copy(c->matcher, sizeof c->matcher, q->nmatchers ? q->matchers[0] : NULL);
    copy(c->label, sizeof c->label, q->nlabels ? q->labels[0] : NULL);
    c->done = done;
    c->arg = arg;
    c->due = f->now + f->delay;
    c->next = f->calls;
    f->calls = c;
    f->started[q->method]++;
    f->running++;
    f->last[q->method] = *c;
    return (struct pyro_call *)c;
}

static void unlink_fc(struct fake *f, struct fcall *c)
{
    struct fcall **at = &f->calls;

    while (*at != c)
        at = &(*at)->next;
    *at = c->next;
    f->running--;
}

static void fake_cancel(void *ctx, struct pyro_call *pc)
{
    struct fake *f = ctx;

    unlink_fc(f, (struct fcall *)pc);
    f->cancelled++;
    free(pc);
}

static char *dup_s(const char *s) { return xstrdup(s); }

static void add_type(struct pyro_answer *a, const char *id)
{
    char buf[256], *f[5], *save = NULL;
    struct pyro_type *t;

    a->types = xreallocarray(a->types, a->ntypes + 1, sizeof *a->types);
    t = &a->types[a->ntypes++];
    snprintf(buf, sizeof buf, "%s", id);
    f[0] = strtok_r(buf, ":", &save);
    for (int i = 1; i < 5; i++)
        f[i] = strtok_r(NULL, ":", &save);
    *t = (struct pyro_type){ dup_s(id), dup_s(f[0]), dup_s(f[1]), dup_s(f[2]), dup_s(f[3]),
                             dup_s(f[4]) };
}

static void add_name(struct pyro_answer *a, const char *s)
{
    a->names = xreallocarray(a->names, a->nnames + 1, sizeof *a->names);
    a->names[a->nnames++] = dup_s(s);
}

/* A series with one label (or none) and n points (ms, value). */
static void add_series(struct pyro_answer *a, const char *label, const char *value, int n,
                       const int64_t *ts, const double *v)
{
    struct pyro_series *s;

    a->series = xreallocarray(a->series, a->nseries + 1, sizeof *a->series);
    s = &a->series[a->nseries++];
    memset(s, 0, sizeof *s);
    if (label) {
        s->labels = xcalloc(1, sizeof *s->labels);
        s->labels[0] = (struct pyro_label){ dup_s(label), dup_s(value) };
        s->nlabels = 1;
    }
    s->points = xcalloc((size_t)n + 1, sizeof *s->points);
    for (int i = 0; i < n; i++)
        s->points[i] = (struct pyro_point){ ts[i], v[i] };
    s->npoints = (uint32_t)n;
}

static int64_t cpu_total(void)
{
    return expected_top_sum("go-cpu.cpu.top");  /* go tool pprof's */
}

/* SelectSeries: over [start, end] (the request's), go-cpu's cpu total once
 * in region=eu-north at a quarter of the range, and twice (2 x total, at
 * three quarters) in us-east; without group_by one series of both. */
static int hostile;

static void series_answer(const struct fcall *c, struct pyro_answer *a)
{
    int64_t q1 = c->q.start_ms + (c->q.end_ms - c->q.start_ms) / 4;
    int64_t q3 = c->q.start_ms + (c->q.end_ms - c->q.start_ms) * 3 / 4;
    double t = (double)cpu_total();

    if (hostile) {              /* at a quarter: 1e300, 9e18 twice, NaN; -inf at 3/4 */
        int64_t ts[5] = { q1, q1, q1, q1, q3 };
        double v[5] = { 1e300, 9e18, 9e18, NAN, -INFINITY };

        add_series(a, NULL, NULL, 5, ts, v);
        return;
    }
    if (c->q.nlabels) {
        add_series(a, c->label, "eu-north", 1, &q1, &t);
        double t2 = 2 * t;

        add_series(a, c->label, "us-east", 1, &q3, &t2);
    } else {
        int64_t ts[2] = { q1, q3 };
        double v[2] = { t, 2 * t };

        add_series(a, NULL, NULL, 2, ts, v);
    }
}

static void merge_answer(struct fake *f, const struct fcall *c, struct pyro_answer *a)
{
    const char *file = f->merge_file ? f->merge_file :
                       strstr(c->selector, "heap") ? "go-heap.pb.gz" : "go-cpu.pb.gz";

    a->profile = read_fixture(file, &a->profile_len);
}

static void answer(struct fake *f, const struct fcall *c, struct pyro_answer *a)
{
    a->method = c->q.method;
    switch (c->q.method) {
    case PYRO_PROFILE_TYPES:
        if (f->no_types)
            break;
        add_type(a, "process_cpu:samples:count:cpu:nanoseconds");
        add_type(a, "process_cpu:cpu:nanoseconds:cpu:nanoseconds");
        add_type(a, "memory:alloc_space:bytes:space:bytes");
        if (f->dup_type)
            add_type(a, "wall:cpu:nanoseconds:cpu:nanoseconds");
        break;
    case PYRO_LABEL_NAMES:
        add_name(a, "__name__");
        add_name(a, "service_name");
        add_name(a, "__profile_type__");
        add_name(a, "region");
        break;
    case PYRO_LABEL_VALUES:
        if (!strcmp(c->name, "service_name") && f->services) {
            for (int i = 0; i < f->services; i++) {
                char name[16];

                snprintf(name, sizeof name, "svc%02d", i);
                add_name(a, name);
            }
        } else if (!strcmp(c->name, "service_name")) {
            add_name(a, "heap");
            add_name(a, "cpu");
        } else {
            add_name(a, "us-east");
            add_name(a, "eu-north");
        }
        break;
    case PYRO_SELECT_MERGE_PROFILE: merge_answer(f, c, a); break;
    case PYRO_SELECT_SERIES: series_answer(c, a); break;
    default: break;
    }
}

static void fake_step(void *ctx)
{
    struct fake *f = ctx;

    for (struct fcall *c = f->calls, *next; c && !f->hang; c = next) {
        next = c->next;
        if (c->due > f->now)
            continue;
        unlink_fc(f, c);
        if (!f->fail && c->q.end_ms - c->q.start_ms > 24 * 3600 * 1000) {  /* the server's rule */
            c->done(c->arg, (struct pyro_call *)c, NULL, "http://127.0.0.1:4040: 400 Bad Request: "
                    "the query time range exceeds the limit (query_length 25h, limit 24h)");
        } else if (f->fail) {
            c->done(c->arg, (struct pyro_call *)c, NULL, f->fail);
        } else {
            struct pyro_answer *a = xcalloc(1, sizeof *a);

            answer(f, c, a);
            c->done(c->arg, (struct pyro_call *)c, a, NULL);
        }
        free(c);
    }
}

static int64_t fake_deadline(void *ctx)
{
    struct fake *f = ctx;
    int64_t at = DS_NEVER;

    for (struct fcall *c = f->calls; c && !f->hang; c = c->next)
        at = c->due < at ? c->due : at;
    return at;
}

static int running_of(const struct fake *f, enum pyro_method m)
{
    int n = 0;

    for (const struct fcall *c = f->calls; c; c = c->next)
        n += c->q.method == m;
    return n;
}

static unsigned fake_running(void *ctx) { return (unsigned)((struct fake *)ctx)->running; }
static const char *fake_name(void *ctx) { (void)ctx; return "http://127.0.0.1:4040"; }

static void fake_free(void *ctx)
{
    struct fake *f = ctx;

    while (f->calls) {
        struct fcall *c = f->calls;

        unlink_fc(f, c);
        free(c);
    }
}

struct rig {
    struct fake f;
    struct profile p;
    struct dataset *d;
};

static void rig_open(struct rig *g, const struct remote_options *o)
{
    struct pyro_api api = { &g->f, fake_start, fake_cancel, NULL, fake_deadline, fake_step,
                            fake_running, fake_name, fake_free };
    struct remote_options def = { .wall_ns = fake_wall };

    memset(g, 0, sizeof *g);
    profile_init(&g->p);
    g->d = ds_remote_new(&g->p, api, o ? o : &def);
    ds_set_clock(g->d, fake_clock, &g->f);
}

static void rig_close(struct rig *g)
{
    ds_free(g->d);
    profile_free(&g->p);
}

/* Steps until nothing is due (the fake answers at its calls' due times). */
static void settle(struct rig *g)
{
    for (int i = 0; i < 8; i++)
        ds_step(g->d);
}

/* The types landed (asked at the start). */
static void open_with_types(struct rig *g)
{
    rig_open(g, NULL);
    settle(g);
    ck_assert_uint_eq(g->p.ntypes, 3);
}

static uint32_t type_named(struct rig *g, const char *name)
{
    uint32_t t = profile_find_type(&g->p, name);

    ck_assert_uint_ne(t, UINT32_MAX);
    return t;
}

static struct ds_req *ask(struct rig *g, int slot, struct ds_query q)
{
    return ds_submit(g->d, slot, &q);
}

static void take(struct rig *g, struct ds_req *r, struct ds_result *res)
{
    settle(g);
    ck_assert_msg(ds_state(r) == DS_DONE, "state %d: %s", ds_state(r), ds_error(r));
    ck_assert_int_eq(ds_take(r, res), 0);
    ds_release(r);
}

START_TEST(types_from_profile_types)
{
    struct rig g;
    struct ds_result res;
    uint32_t cpu, before;

    rig_open(&g, NULL);
    ck_assert_uint_eq(g.p.ntypes, 0);   /* asked at once, landed on a step */
    ck_assert_int_eq(g.f.started[PYRO_PROFILE_TYPES], 1);
    before = (uint32_t)ds_generation(g.d);
    settle(&g);
    ck_assert_uint_eq(g.p.ntypes, 3);
    ck_assert_uint_gt(ds_generation(g.d), before);      /* the explorer asks again */
    cpu = type_named(&g, "cpu/nanoseconds");
    ck_assert_str_eq(ds_remote_type_id(g.d, cpu), "process_cpu:cpu:nanoseconds:cpu:nanoseconds");
    ck_assert_uint_eq(g.p.default_type, cpu);   /* profilecli's default */
    ck_assert_str_eq(ds_remote_type_id(g.d, type_named(&g, "samples")),
                     "process_cpu:samples:count:cpu:nanoseconds");
    take(&g, ask(&g, 0, (struct ds_query){ ALL, .kind = DS_TYPES }), &res);
    ck_assert_uint_eq(res.ntypes, 3);
    ds_result_free(&res);
    ck_assert_int_eq(g.f.started[PYRO_PROFILE_TYPES], 2);
    rig_close(&g);
}
END_TEST

/* The types failing at the start: said, and asked again 5 s later. */
START_TEST(types_failing_asked_again)
{
    struct rig g;

    rig_open(&g, NULL);
    g.f.fail = "the server refused the credentials or the tenant (401 Unauthorized)";
    settle(&g);
    ck_assert_uint_eq(g.p.ntypes, 0);
    ck_assert_str_eq(ds_remote_error(g.d), g.f.fail);
    ck_assert_int_eq(ds_next_deadline(g.d), 5 * SEC);
    g.f.fail = NULL;
    settle(&g);
    ck_assert_int_eq(g.f.started[PYRO_PROFILE_TYPES], 1);     /* not before its time */
    g.f.now = 5 * SEC;
    settle(&g);
    ck_assert_int_eq(g.f.started[PYRO_PROFILE_TYPES], 2);
    ck_assert_uint_eq(g.p.ntypes, 3);
    ck_assert_str_eq(ds_remote_error(g.d), "");
    rig_close(&g);
    /* none at all (an empty server, a range with nothing): said, asked again */
    rig_open(&g, NULL);
    g.f.no_types = 1;
    settle(&g);
    ck_assert_str_eq(ds_remote_error(g.d),
                     "the server has no profile in the range (ProfileTypes is empty)");
    ck_assert_int_eq(ds_next_deadline(g.d), 5 * SEC);
    rig_close(&g);
}
END_TEST

/* Two IDs of one sample type and unit: the first by ID is "cpu", the other
 * is named by its ID, and each is asked by its own ID. */
START_TEST(same_sample_type_two_ids)
{
    struct rig g;
    struct ds_result res;
    uint32_t wall;

    rig_open(&g, NULL);
    g.f.dup_type = 1;
    settle(&g);
    ck_assert_uint_eq(g.p.ntypes, 4);
    wall = type_named(&g, "wall:cpu:nanoseconds:cpu:nanoseconds");
    ck_assert_str_eq(profile_str(&g.p, g.p.types[wall].unit), "nanoseconds");
    ck_assert_str_eq(ds_remote_type_id(g.d, type_named(&g, "cpu")),
                     "process_cpu:cpu:nanoseconds:cpu:nanoseconds");
    take(&g, ask(&g, 0, (struct ds_query){ ALL, .kind = DS_MERGE, .type = wall }), &res);
    ck_assert_str_eq(g.f.last[PYRO_SELECT_MERGE_PROFILE].type_id,
                     "wall:cpu:nanoseconds:cpu:nanoseconds");
    ck_assert_uint_eq(res.type, wall);
    ck_assert_int_eq(res.flat.grand_total, cpu_total());
    ds_result_free(&res);
    rig_close(&g);
}
END_TEST

/* The tag explorer asks the label names of its profile type: the type's
 * __profile_type__ joins the query's matchers in one selector (a second
 * matcher would be a union and widen the answer); any type asks as typed.
 * Before: every type's names, so a heap type offered CPU-only labels. */
START_TEST(label_names_scoped_by_type)
{
    struct rig g;
    struct ds_result res;
    uint32_t heap;

    open_with_types(&g);
    heap = type_named(&g, "alloc_space");
    take(&g, ask(&g, 0, (struct ds_query){ ALL, .kind = DS_LABEL_NAMES, .type = heap,
                                          .query = "{service_name=\"cpu\"}" }), &res);
    ck_assert_str_eq(g.f.last[PYRO_LABEL_NAMES].matcher,
                     "{service_name=\"cpu\", __profile_type__=\"memory:alloc_space:bytes:space:bytes\"}");
    ds_result_free(&res);
    take(&g, ask(&g, 0, (struct ds_query){ ALL, .kind = DS_LABEL_NAMES, .type = heap }), &res);
    ck_assert_str_eq(g.f.last[PYRO_LABEL_NAMES].matcher,
                     "{__profile_type__=\"memory:alloc_space:bytes:space:bytes\"}");
    ds_result_free(&res);
    take(&g, ask(&g, 0, (struct ds_query){ ALL, .kind = DS_LABEL_NAMES, .type = DS_ANY_TYPE }), &res);
    ck_assert_int_eq(g.f.last[PYRO_LABEL_NAMES].q.nmatchers, 0);        /* {}: none */
    ds_result_free(&res);
    rig_close(&g);
}
END_TEST

START_TEST(label_names_hide_internal)
{
    struct rig g;
    struct ds_result res;

    open_with_types(&g);
    take(&g, ask(&g, 0, (struct ds_query){ ALL, .kind = DS_LABEL_NAMES, .type = DS_ANY_TYPE,
                                          .query = "{service_name=\"cpu\"}" }), &res);
    ck_assert_uint_eq(res.nids, 2);     /* __name__ and __profile_type__ hidden, sorted */
    ck_assert_str_eq(profile_str(&g.p, res.ids[0]), "region");
    ck_assert_str_eq(profile_str(&g.p, res.ids[1]), "service_name");
    ck_assert_str_eq(g.f.last[PYRO_LABEL_NAMES].matcher, "{service_name=\"cpu\"}");
    /* the default range: now-1h .. now, in ms */
    ck_assert_int_eq(g.f.last[PYRO_LABEL_NAMES].q.start_ms, (WALL - HOUR) / 1000000);
    ck_assert_int_eq(g.f.last[PYRO_LABEL_NAMES].q.end_ms, WALL / 1000000);
    ds_result_free(&res);
    rig_close(&g);
}
END_TEST

START_TEST(label_values_scoped)
{
    struct rig g;
    struct ds_result res;

    open_with_types(&g);
    take(&g, ask(&g, 0, (struct ds_query){ .kind = DS_LABEL_VALUES, .label = "region",
                                          .query = "{service_name=\"cpu\"}",
                                          .from = WALL - 10 * 60 * SEC, .until = WALL }), &res);
    ck_assert_uint_eq(res.nids, 2);
    ck_assert_str_eq(profile_str(&g.p, res.ids[0]), "eu-north");
    ck_assert_str_eq(profile_str(&g.p, res.ids[1]), "us-east");
    ck_assert_str_eq(g.f.last[PYRO_LABEL_VALUES].name, "region");
    ck_assert_str_eq(g.f.last[PYRO_LABEL_VALUES].matcher, "{service_name=\"cpu\"}");
    ck_assert_int_eq(g.f.last[PYRO_LABEL_VALUES].q.start_ms, (WALL - 600 * SEC) / 1000000);
    ds_result_free(&res);
    take(&g, ask(&g, 0, (struct ds_query){ ALL, .kind = DS_LABEL_VALUES, .label = "region" }), &res);
    ck_assert_int_eq(g.f.last[PYRO_LABEL_VALUES].q.nmatchers, 0);       /* {}: none */
    ds_result_free(&res);
    rig_close(&g);
}
END_TEST

/* The merge is the file's: its totals are go tool pprof's. */
START_TEST(merge_is_the_files)
{
    struct rig g;
    struct ds_result res;
    uint32_t cpu;

    open_with_types(&g);
    cpu = type_named(&g, "cpu");
    take(&g, ask(&g, 0, (struct ds_query){ ALL, .kind = DS_MERGE, .type = cpu,
                                          .query = "{service_name=\"cpu\"}" }), &res);
    ck_assert_str_eq(g.f.last[PYRO_SELECT_MERGE_PROFILE].type_id,
                     "process_cpu:cpu:nanoseconds:cpu:nanoseconds");
    ck_assert_str_eq(g.f.last[PYRO_SELECT_MERGE_PROFILE].selector, "{service_name=\"cpu\"}");
    ck_assert_int_eq(res.flat.grand_total, cpu_total());
    /* the hottest function: sort.partition, self 680000000 (go-cpu.cpu.top) */
    ck_assert_str_eq(profile_str(&g.p, g.p.frames[res.flat.rows[0].frame].name),
                     "sort.partition");
    ck_assert_int_eq(res.flat.rows[0].self, 680000000);
    ck_assert_int_eq(res.flat.rows[0].total, 850000000);
    ck_assert_uint_eq(res.ntotal, g.p.trie.count);
    ck_assert_int_eq(res.truncated, 0);
    ds_result_free(&res);
    /* a type ID before the braces wins over .type */
    take(&g, ask(&g, 0, (struct ds_query){ ALL, .kind = DS_MERGE, .type = cpu,
                                          .query = "process_cpu:samples:count:cpu:nanoseconds"
                                                   "{service_name=\"cpu\"}" }), &res);
    ck_assert_str_eq(g.f.last[PYRO_SELECT_MERGE_PROFILE].type_id,
                     "process_cpu:samples:count:cpu:nanoseconds");
    ck_assert_str_eq(g.f.last[PYRO_SELECT_MERGE_PROFILE].selector, "{service_name=\"cpu\"}");
    ck_assert_int_eq(res.flat.grand_total, expected_top_sum("go-cpu.samples.top"));
    ds_result_free(&res);
    rig_close(&g);
}
END_TEST

/* Every answer is loaded as a source; given back, its samples go. Never
 * given back, no more than REMOTE_KEEP_ANSWERS are held. */
START_TEST(old_answers_dropped)
{
    struct rig g;
    struct ds_result res;
    size_t one;
    uint32_t nodes, strings;

    open_with_types(&g);
    take(&g, ask(&g, 0, (struct ds_query){ ALL, .kind = DS_MERGE, .query = "{}" }), &res);
    one = g.p.nsamples;
    nodes = g.p.trie.count;
    ck_assert_uint_gt(one, 0);
    ds_recycle(g.d, &res);
    ck_assert_uint_eq(g.p.nsamples, 0);
    ck_assert_uint_eq(g.p.nsources, 0);
    ck_assert_uint_eq(g.p.trie.count, nodes);   /* nodes stay: ids keep their meaning */
    for (int i = 0; i < 3 * REMOTE_KEEP_ANSWERS; i++) {
        struct ds_result old = res;

        take(&g, ask(&g, 0, (struct ds_query){ ALL, .kind = DS_MERGE, .query = "{}" }), &res);
        ck_assert_msg(res.flat.grand_total == cpu_total(), "at %d: %lld", i, (long long)res.flat.grand_total);
        ck_assert_uint_eq(res.flat.snapshots, 1);       /* not "sum of 8 profiles" */
        if (i % 2)
            ds_recycle(g.d, &old);      /* the one it replaces, as a side does */
        else
            ds_result_free(&old);       /* never given back */
        ck_assert_uint_le(g.p.nsamples, REMOTE_KEEP_ANSWERS * one);
    }
    ck_assert_uint_eq(g.p.trie.count, nodes);   /* the same stacks: no new node */
    strings = g.p.strings.count;
    for (int i = 0; i < 3 * REMOTE_KEEP_ANSWERS; i++) {   /* --every: nothing grows */
        ds_result_free(&res);
        take(&g, ask(&g, 0, (struct ds_query){ ALL, .kind = DS_MERGE, .query = "{}" }), &res);
    }
    ck_assert_uint_eq(g.p.strings.count, strings);      /* before: a name per answer */
    ck_assert_int_eq(res.flat.grand_total, cpu_total());
    ds_result_free(&res);
    rig_close(&g);
}
END_TEST

/* DS_SERIES: buckets over the range; the points land in their bucket. */
START_TEST(series_over_range)
{
    struct rig g;
    struct ds_result res;

    open_with_types(&g);
    take(&g, ask(&g, 0, (struct ds_query){ .kind = DS_SERIES, .type = type_named(&g, "cpu"),
                                          .query = "{}", .from = INT64_MIN, .until = INT64_MAX,
                                          .buckets = 60 }), &res);
    /* one hour in 60 buckets: a step of 60 s */
    ck_assert(fabs(g.f.last[PYRO_SELECT_SERIES].q.step_s - 60.0) < 1e-9);
    ck_assert_uint_eq(res.nseries, 60);
    /* a quarter of the hour in: bucket 15 holds the total; three quarters:
     * bucket 45, twice it; nothing else */
    for (uint32_t b = 0; b < 60; b++)
        ck_assert_int_eq(res.series[b], b == 15 ? cpu_total() : b == 45 ? 2 * cpu_total() : 0);
    ds_result_free(&res);
    rig_close(&g);
}
END_TEST

/* A hostile series (values past int64, NaN, -inf) saturates, never
 * overflows (UBSan in make check SANITIZE=1 would stop here). */
START_TEST(series_hostile_values)
{
    struct rig g;
    struct ds_result res;

    open_with_types(&g);
    hostile = 1;
    take(&g, ask(&g, 0, (struct ds_query){ .kind = DS_SERIES, .type = type_named(&g, "cpu"),
                                          .query = "{}", .from = INT64_MIN, .until = INT64_MAX,
                                          .buckets = 4 }), &res);
    hostile = 0;
    ck_assert_int_eq(res.series[1], INT64_MAX);
    ck_assert_int_eq(res.series[3], 0);         /* -inf and NaN count nothing */
    ck_assert_int_eq(res.series[0], 0);
    ds_result_free(&res);
    rig_close(&g);
}
END_TEST

/* DS_GROUP: a row per value, the statistics of the tag explorer as for
 * files: over the steps that hold a profile, whatever the width. The same
 * profiles as files (eu-north's of v at one capture, us-east's of 2v at
 * another): two steps, eu-north [v, 0]: mean v/2, population stddev
 * sqrt(((v/2)^2 + (v/2)^2) / 2) = v/2; us-east [0, 2v]: v and v. (Before:
 * over 4 columns, v/4 and v sqrt(3)/4; over 120, v/120 ...) */
START_TEST(group_rows_with_statistics)
{
    struct rig g;
    struct ds_result res;
    double t = (double)cpu_total();
    uint32_t widths[2] = { 4, 120 };

    open_with_types(&g);
    for (int w = 0; w < 2; w++) {
        take(&g, ask(&g, 0, (struct ds_query){ .kind = DS_GROUP, .type = type_named(&g, "cpu"),
                                              .label = "region", .from = INT64_MIN,
                                              .until = INT64_MAX, .buckets = widths[w] }), &res);
        ck_assert_str_eq(g.f.last[PYRO_SELECT_SERIES].label, "region");
        ck_assert_uint_eq(res.nrows, 2);
        for (uint32_t i = 0; i < 2; i++) {
            const struct tag_row *r = &res.rows[i];
            int east = !strcmp(profile_str(&g.p, r->value), "us-east");
            double v = east ? 2 * t : t;

            ck_assert_int_eq(r->total, (int64_t)v);
            ck_assert_int_eq(r->series[(east ? 3 : 1) * widths[w] / 4], (int64_t)v);
            ck_assert(fabs(r->mean - v / 2) < 1e-6);
            ck_assert(fabs(r->stddev - v / 2) < 1e-3);
        }
        ds_result_free(&res);
    }
    rig_close(&g);
}
END_TEST

/* Pending until the answer comes on the fake clock; a cancel stops the
 * transfer (the fake's call is cancelled), and so does a newer request in
 * the same slot. */
START_TEST(cancel_and_supersede)
{
    struct rig g;
    struct ds_req *a, *b;
    struct ds_result res;

    open_with_types(&g);
    g.f.delay = 5 * SEC;
    a = ask(&g, 1, (struct ds_query){ ALL, .kind = DS_MERGE, .query = "{}" });
    settle(&g);
    ck_assert_int_eq(ds_state(a), DS_PENDING);
    ck_assert_int_eq(ds_next_deadline(g.d), 5 * SEC);
    ck_assert_int_eq(g.f.running, 1);
    ds_cancel(a);
    ck_assert_int_eq(ds_state(a), DS_CANCELLED);
    ck_assert_int_eq(g.f.running, 0);
    ck_assert_int_eq(g.f.cancelled, 1);
    ds_release(a);
    a = ask(&g, 1, (struct ds_query){ ALL, .kind = DS_MERGE, .query = "{}" });
    b = ask(&g, 1, (struct ds_query){ ALL, .kind = DS_MERGE, .query = "{service_name=\"heap\"}",
                                     .type = type_named(&g, "alloc_space") });
    ck_assert_int_eq(ds_state(a), DS_CANCELLED);
    ck_assert_str_eq(ds_error(a), "superseded");
    ck_assert_int_eq(g.f.cancelled, 2);
    ck_assert_int_eq(g.f.running, 1);
    g.f.now = 5 * SEC;
    take(&g, b, &res);
    ck_assert_int_eq(res.flat.grand_total, expected_top_sum("go-heap.alloc_space.top"));
    ds_result_free(&res);
    ds_release(a);
    /* several in flight at once, each its own call */
    a = ask(&g, 0, (struct ds_query){ ALL, .kind = DS_MERGE, .query = "{}" });
    b = ask(&g, 1, (struct ds_query){ ALL, .kind = DS_MERGE, .query = "{}" });
    settle(&g);
    ck_assert_int_eq(g.f.running, 2);
    ds_free(g.d);               /* cancels both */
    ck_assert_int_eq(g.f.cancelled, 4);
    ds_release(a);
    ds_release(b);
    profile_free(&g.p);
}
END_TEST

START_TEST(failures_are_one_line)
{
    struct rig g;
    struct ds_req *r;

    open_with_types(&g);
    g.f.fail = "the server refused the credentials or the tenant (401 Unauthorized: no org id)";
    r = ask(&g, 0, (struct ds_query){ ALL, .kind = DS_MERGE, .query = "{}" });
    settle(&g);
    ck_assert_int_eq(ds_state(r), DS_FAILED);
    ck_assert_str_eq(ds_error(r), g.f.fail);
    ds_release(r);
    ck_assert_uint_eq(g.p.nsamples, 0);
    g.f.fail = NULL;
    g.f.merge_file = "bad/truncated.pb";       /* garbage in a 200 */
    r = ask(&g, 0, (struct ds_query){ ALL, .kind = DS_MERGE, .query = "{}" });
    settle(&g);
    ck_assert_int_eq(ds_state(r), DS_FAILED);
    ck_assert_msg(strstr(ds_error(r), "http://127.0.0.1:4040: the merged profile does not load"),
                  "%s", ds_error(r));
    ds_release(r);
    ck_assert_uint_eq(g.p.nsamples, 0);
    rig_close(&g);
}
END_TEST

/* A range over 24 h goes to the server, which refuses it with its reason
 * (as batch mode: no split); with max_range_ns it is refused before any
 * call. A request the client refuses at once (done inside start) fails on
 * the next step; an unknown type too. */
START_TEST(range_too_long_refused)
{
    struct rig g;
    struct ds_req *r;
    struct remote_options o = { .wall_ns = fake_wall, .max_range_ns = REMOTE_MAX_RANGE_NS };
    struct ds_query q = { .kind = DS_MERGE, .query = "{}", .from = WALL - 25 * HOUR,
                          .until = WALL };

    open_with_types(&g);
    r = ask(&g, 0, q);
    ck_assert_int_eq(g.f.started[PYRO_SELECT_MERGE_PROFILE], 1);
    settle(&g);
    ck_assert_int_eq(ds_state(r), DS_FAILED);
    ck_assert_msg(strstr(ds_error(r), "400 Bad Request: the query time range exceeds the limit"),
                  "%s", ds_error(r));
    ds_release(r);
    g.f.refuse = "no time range";
    r = ask(&g, 0, (struct ds_query){ ALL, .kind = DS_MERGE, .query = "{}" });
    ck_assert_int_eq(ds_state(r), DS_PENDING);  /* never answered inside submit */
    settle(&g);
    ck_assert_int_eq(ds_state(r), DS_FAILED);
    ck_assert_str_eq(ds_error(r), "no time range");
    ds_release(r);
    g.f.refuse = NULL;
    r = ask(&g, 0, (struct ds_query){ ALL, .kind = DS_MERGE, .query = "nope{}" });
    settle(&g);
    ck_assert_int_eq(ds_state(r), DS_FAILED);
    ck_assert_str_eq(ds_error(r), "query: the server has no profile type 'nope'");
    ds_release(r);
    rig_close(&g);
    rig_open(&g, &o);
    settle(&g);
    r = ask(&g, 0, q);
    ck_assert_int_eq(ds_state(r), DS_PENDING);
    settle(&g);
    ck_assert_int_eq(ds_state(r), DS_FAILED);
    ck_assert_msg(strstr(ds_error(r), "exceeds the limit") && strstr(ds_error(r), "25.0h"), "%s",
                  ds_error(r));
    ck_assert_int_eq(g.f.started[PYRO_SELECT_MERGE_PROFILE], 0);
    ds_release(r);
    rig_close(&g);
}
END_TEST

/* A result with a node `other` (the server merged small children) says so. */
START_TEST(other_node_marked)
{
    struct rig g;
    struct ds_result res;

    open_with_types(&g);
    g.f.merge_file = "folded-small.txt";        /* has no `other` */
    take(&g, ask(&g, 0, (struct ds_query){ ALL, .kind = DS_MERGE, .query = "{}" }), &res);
    ck_assert_int_eq(res.truncated, 0);
    ds_result_free(&res);
    g.f.merge_file = "remote-other.folded";
    take(&g, ask(&g, 0, (struct ds_query){ ALL, .kind = DS_MERGE, .query = "{}" }), &res);
    ck_assert_int_eq(res.truncated, 1);
    ck_assert_int_eq(res.flat.grand_total, 15);         /* 10 + 5, the file's two lines */
    ds_result_free(&res);
    rig_close(&g);
}
END_TEST

/* The timeline's span is the query range; --every asks again while the
 * range is relative to now. */
START_TEST(span_and_every)
{
    struct rig g;
    struct remote_options o = { .wall_ns = fake_wall, .from = "now-15m", .every_ns = 10 * SEC };
    int64_t from, until;
    uint64_t gen;

    rig_open(&g, &o);
    settle(&g);
    ck_assert_int_eq(ds_span(g.d, &from, &until), 1);
    ck_assert_int_eq(from, WALL - 15 * 60 * SEC);
    ck_assert_int_eq(until, WALL);
    gen = ds_generation(g.d);
    ck_assert_int_eq(ds_next_deadline(g.d), 10 * SEC);
    g.f.now = 10 * SEC;
    ds_step(g.d);
    ck_assert_uint_gt(ds_generation(g.d), gen);
    ck_assert_int_eq(ds_next_deadline(g.d), 20 * SEC);
    rig_close(&g);
    o.from = "2025-12-01T23:00:00Z";           /* fixed ends: nothing to refresh */
    o.until = "2025-12-01T23:30:00Z";
    rig_open(&g, &o);
    settle(&g);
    ck_assert_int_eq(ds_next_deadline(g.d), DS_NEVER);
    ck_assert_int_eq(ds_span(g.d, &from, &until), 1);
    ck_assert_int_eq(until - from, 30 * 60 * SEC);
    rig_close(&g);
    /* the local data set has no span: the profiles' times */
    struct profile p;

    profile_init(&p);
    g.d = ds_local_new(&p);
    ck_assert_int_eq(ds_span(g.d, &from, &until), 0);
    ds_free(g.d);
    profile_free(&p);
}
END_TEST

/* --- the explorer over the fake server --- */

static struct fake uf;

static void ui_tick(struct fx *f)
{
    for (int i = 0; i < 4; i++)
        app_tick(&f->a);
    fx_render(f);
}

/* The explorer as ui_run opens it on a server: no data, then the types. */
static void ui_open_every(struct fx *f, const char *query, int64_t every)
{
    struct pyro_api api = { &uf, fake_start, fake_cancel, NULL, fake_deadline, fake_step,
                            fake_running, fake_name, fake_free };
    struct remote_options o = { .wall_ns = fake_wall, .every_ns = every };
    struct side_spec spec[2] = { { query, INT64_MIN, INT64_MAX }, { NULL, INT64_MIN, INT64_MAX } };

    memset(&uf, 0, sizeof uf);
    fx_begin(f);
    fx_start(f, 0, spec, "test", 120, 30);
    app_remote(&f->a, api, &o, !query);
    f->a.title = "http://127.0.0.1:4040";
    ds_set_clock(f->a.ds, fake_clock, &uf);
    fx_render(f);
    ui_tick(f);
}

static void ui_open(struct fx *f, const char *query)
{
    ui_open_every(f, query, 0);
}

/* Enter on the picker's first service (cpu, sorted) and type cpu. */
static void ui_pick_cpu(struct fx *f)
{
    ui_open(f, NULL);
    ck_assert_int_ge(fx_row_with(f, "Service and profile type"), 0);
    fx_key(f, K_ENTER);
    ui_tick(f);
}

START_TEST(picker_opens_a_service)
{
    struct fx f;

    ui_open(&f, NULL);
    /* the picker: LabelValues of service_name, the types by ID; nothing
     * merged until one is picked */
    ck_assert_int_ge(fx_row_with(&f, "Service and profile type"), 0);
    ck_assert_str_eq(uf.last[PYRO_LABEL_VALUES].name, "service_name");
    ck_assert_int_ge(fx_row_with(&f, "> cpu"), 0);
    ck_assert_int_ge(fx_row_with(&f, "heap"), 0);
    ck_assert_int_ge(fx_row_with(&f, "process_cpu:cpu:nanoseconds:cpu:nanoseconds"), 0);
    ck_assert_int_eq(uf.started[PYRO_SELECT_MERGE_PROFILE], 0);
    ck_assert_msg(!strstr(f.rows[0], "total"), "no total before an answer: %s", f.rows[0]);
    fx_key(&f, K_DOWN);                 /* heap */
    fx_key(&f, K_TAB);                  /* the types, on cpu: memory:alloc_space is above */
    fx_key(&f, K_UP);
    fx_key(&f, K_ENTER);
    ui_tick(&f);
    ck_assert_str_eq(uf.last[PYRO_SELECT_MERGE_PROFILE].selector, "{service_name=\"heap\"}");
    ck_assert_str_eq(uf.last[PYRO_SELECT_MERGE_PROFILE].type_id,
                     "memory:alloc_space:bytes:space:bytes");
    /* go-heap's alloc_space: embergen/work.SortInts first, self 85303392
     * bytes = 81.4 MiB (go-heap.alloc_space.top) */
    ck_assert_int_eq(f.a.side[0].flat.grand_total, expected_top_sum("go-heap.alloc_space.top"));
    ck_assert_int_ge(fx_row_with(&f, "embergen/work.SortInts"), 0);
    ck_assert_msg(strstr(fx_status(&f), "server http://127.0.0.1:4040"), "%s", fx_status(&f));
    ck_assert_msg(strstr(fx_status(&f), "full tree (SelectMergeProfile)"), "%s", fx_status(&f));
    /* o opens it again */
    fx_key(&f, 'o');
    ck_assert_int_ge(fx_row_with(&f, "Service and profile type"), 0);
    fx_key(&f, K_ESC);
    ck_assert_int_lt(fx_row_with(&f, "Service and profile type"), 0);
    fx_close(&f);
}
END_TEST

/* o with more services than rows: the cursor starts on the service in
 * use and stays in sight as it moves; Enter before they come opens
 * nothing (before: the cursor on svc00, svc45 off the box; Enter opened {}). */
START_TEST(picker_scrolls)
{
    struct fx f;
    int merges;

    ui_open(&f, "{service_name=\"svc45\"}");
    merges = uf.started[PYRO_SELECT_MERGE_PROFILE];
    uf.services = 60;
    uf.delay = 5 * SEC;
    fx_key(&f, 'o');
    ui_tick(&f);
    fx_key(&f, K_ENTER);                /* the services have not come */
    ui_tick(&f);
    ck_assert_int_ge(fx_row_with(&f, "Service and profile type"), 0);
    ck_assert_int_eq(uf.started[PYRO_SELECT_MERGE_PROFILE], merges);
    ck_assert_msg(strstr(f.a.message, "waiting for the services"), "%s", f.a.message);
    uf.now += 5 * SEC;
    ui_tick(&f);
    ck_assert_int_ge(fx_row_with(&f, "> svc45"), 0);
    for (int i = 0; i < 10; i++)
        fx_key(&f, K_DOWN);
    fx_render(&f);
    ck_assert_int_ge(fx_row_with(&f, "> svc55"), 0);
    ck_assert_int_lt(fx_row_with(&f, "svc00"), 0);
    fx_key(&f, K_ENTER);
    ui_tick(&f);
    ck_assert_str_eq(uf.last[PYRO_SELECT_MERGE_PROFILE].selector, "{service_name=\"svc55\"}");
    fx_close(&f);
}
END_TEST

/* With a query, straight on it: its type ID before the braces is the type. */
START_TEST(query_opens_straight)
{
    struct fx f;

    ui_open(&f, "process_cpu:samples:count:cpu:nanoseconds{service_name=\"cpu\"}");
    ck_assert_int_lt(fx_row_with(&f, "Service and profile type"), 0);
    ck_assert_str_eq(uf.last[PYRO_SELECT_MERGE_PROFILE].type_id,
                     "process_cpu:samples:count:cpu:nanoseconds");
    ck_assert_str_eq(uf.last[PYRO_SELECT_MERGE_PROFILE].selector, "{service_name=\"cpu\"}");
    ck_assert_int_eq(f.a.side[0].flat.grand_total, expected_top_sum("go-cpu.samples.top"));
    fx_close(&f);
}
END_TEST

/* The timeline is the query range, a bucket per column: its series from
 * SelectSeries (step 3600 s / 120); a range picked on it asks again. */
START_TEST(timeline_is_the_range)
{
    struct fx f;
    int64_t end;

    ui_pick_cpu(&f);
    ck_assert_int_eq(f.a.tl.span, 1);
    ck_assert_uint_eq(f.a.tl.buckets, 120);
    ck_assert_int_eq(f.a.tl.start, WALL - HOUR);
    ck_assert_int_eq(uf.started[PYRO_SELECT_SERIES], 1);
    ck_assert(fabs(uf.last[PYRO_SELECT_SERIES].q.step_s - 30.0) < 1e-9);
    /* the points at a quarter and three quarters: buckets 30 and 90 */
    ck_assert_int_eq(f.a.tl_series[0][30], cpu_total());
    ck_assert_int_eq(f.a.tl_series[0][90], 2 * cpu_total());
    fx_key(&f, '{');            /* the range ends a step earlier: asked again */
    ui_tick(&f);
    end = uf.last[PYRO_SELECT_MERGE_PROFILE].q.end_ms;
    /* the last bucket (30 s) off: it ends at now - 30 s, less a ns */
    ck_assert_int_eq(end, (WALL - 30 * SEC - 1) / 1000000);
    ck_assert_int_eq(uf.started[PYRO_SELECT_MERGE_PROFILE], 2);
    fx_close(&f);
}
END_TEST

/* A query entered 30 min later is a new run: the timeline and the pane
 * both show now-1h as of then (before: the timeline kept the old hour). */
START_TEST(one_range_per_run)
{
    struct fx f;
    int64_t start = (WALL + 30 * 60 * SEC - HOUR) / 1000000;   /* ms: 23:30 */

    ui_open(&f, "{service_name=\"cpu\"}");
    ck_assert_int_eq(f.a.tl.start, WALL - HOUR);
    ck_assert_int_eq(uf.last[PYRO_SELECT_MERGE_PROFILE].q.start_ms, (WALL - HOUR) / 1000000);
    wall_shift = 30 * 60 * SEC;
    ck_assert_int_eq(app_set_query(&f.a, 0, "{service_name=\"cpu\"}"), 0);
    ui_tick(&f);
    wall_shift = 0;
    ck_assert_int_eq(uf.last[PYRO_SELECT_MERGE_PROFILE].q.start_ms, start);
    ck_assert_int_eq(uf.last[PYRO_SELECT_SERIES].q.start_ms, start);
    ck_assert_int_eq(f.a.tl.start / 1000000, start);
    ck_assert_int_eq(f.a.side[0].flat.grand_total, cpu_total());
    fx_close(&f);
}
END_TEST

/* An error gets the status bar: at 120 columns a 500's whole reason
 * shows, no "full tree" beside it (before: the server's line over it cut
 * it at column 72). */
START_TEST(error_comes_first)
{
    struct fx f;
    const char *why = "HTTP 500 from http://127.0.0.1:4040: Internal Server Error: "
                      "rpc error: code = Unavailable desc = no healthy ingester";

    ui_pick_cpu(&f);
    uf.fail = why;
    app_set_query(&f.a, 0, "{service_name=\"heap\"}");
    ui_tick(&f);
    ck_assert_msg(strstr(fx_status(&f), why), "%s", fx_status(&f));
    ck_assert_msg(!strstr(fx_status(&f), "full tree"), "%s", fx_status(&f));
    fx_close(&f);
}
END_TEST

/* I over a server: no total of 0 for the types (not told), neither the
 * internal file label nor its answer names, the range asked (23:00 ..
 * 00:00 UTC as of the fake clock), not "every time". */
START_TEST(metadata_over_a_server)
{
    struct fx f;

    setenv("TZ", "UTC", 1);
    tzset();
    ui_open(&f, "{service_name=\"cpu\"}");
    fx_key(&f, 'I');
    fx_render(&f);
    ck_assert_int_ge(fx_row_with(&f, "Sample types"), 0);
    ck_assert_int_ge(fx_row_with(&f, "(not told by the server)"), 0);
    ck_assert_int_lt(fx_row_with(&f, "total 0"), 0);
    ck_assert_int_lt(fx_row_with(&f, "ember-server-answer"), 0);
    ck_assert_int_lt(fx_row_with(&f, "  file  "), 0);
    ck_assert_int_lt(fx_row_with(&f, "every time"), 0);
    ck_assert_int_ge(fx_row_with(&f, "from 2025-12-01 23:00:00 +0000 until 2025-12-02 00:00:00"), 0);
    fx_close(&f);
    unsetenv("TZ");
    tzset();
}
END_TEST

/* 6 over a server: B starts as A's query (before: {}, every service). */
START_TEST(compare_b_starts_as_a)
{
    struct fx f;

    ui_open(&f, "{service_name=\"cpu\"}");
    fx_key(&f, '6');
    ui_tick(&f);
    ck_assert_str_eq(f.a.side[1].query, "{service_name=\"cpu\"}");
    ck_assert_str_eq(uf.last[PYRO_SELECT_MERGE_PROFILE].selector, "{service_name=\"cpu\"}");
    ck_assert_int_eq(f.a.side[1].flat.grand_total, cpu_total());
    fx_close(&f);
}
END_TEST

/* A failure is one line in the status bar, the previous numbers stay;
 * Esc cancels a call that hangs (the transfer stops); a second query
 * cancels the outdated call; keys answer meanwhile. */
START_TEST(failures_keep_the_previous_result)
{
    struct fx f;

    ui_pick_cpu(&f);
    ck_assert_int_ge(fx_row_with(&f, "sort.partition"), 0);
    uf.fail = "HTTP 500 from http://127.0.0.1:4040: boom";
    app_set_query(&f.a, 0, "{service_name=\"heap\"}");
    ui_tick(&f);
    ck_assert_msg(strstr(fx_status(&f), "HTTP 500 from http://127.0.0.1:4040: boom"), "%s",
                  fx_status(&f));
    ck_assert_int_ge(fx_row_with(&f, "sort.partition"), 0);
    ck_assert_int_eq(f.a.side[0].flat.grand_total, cpu_total());
    ck_assert_str_eq(f.a.side[0].query, "{service_name=\"cpu\"}");     /* what is shown */
    uf.fail = NULL;
    uf.hang = 1;
    app_set_query(&f.a, 0, "{service_name=\"heap\"}");
    ui_tick(&f);
    ck_assert_msg(strstr(fx_status(&f), "Esc cancels"), "%s", fx_status(&f));
    fx_key(&f, 'j');            /* a key answers while it hangs */
    ck_assert_int_eq(uf.cancelled, 0);
    fx_key(&f, K_ESC);
    ck_assert_int_eq(uf.cancelled, 1);
    ck_assert_int_eq(uf.running, 0);
    ck_assert_msg(strstr(fx_status(&f), "cancelled"), "%s", fx_status(&f));
    ck_assert_int_ge(fx_row_with(&f, "sort.partition"), 0);
    app_set_query(&f.a, 0, "{service_name=\"heap\"}");
    app_set_query(&f.a, 0, "{service_name=\"cpu\", region=\"eu-north\"}");
    ck_assert_int_eq(uf.cancelled, 2);  /* the outdated one stopped */
    ck_assert_str_eq(uf.last[PYRO_SELECT_MERGE_PROFILE].selector,
                     "{service_name=\"cpu\", region=\"eu-north\"}");
    fx_close(&f);
}
END_TEST

/* Tab asks the server (LabelNames, LabelValues scoped by the other
 * matchers); typing before the answer supersedes it. */
START_TEST(tab_completes_from_the_server)
{
    struct fx f;

    ui_pick_cpu(&f);
    uf.delay = 2 * SEC;
    fx_key(&f, ':');
    fx_key(&f, K_CTRL('u'));
    fx_type(&f, "{reg");
    fx_key(&f, K_TAB);
    ck_assert_str_eq(fx_prompt(&f), "{reg");    /* pending: typing goes on */
    ck_assert_int_eq(uf.started[PYRO_LABEL_NAMES], 1);
    fx_type(&f, "i");
    ck_assert_int_eq(uf.cancelled, 1);          /* that Tab is outdated */
    fx_key(&f, K_TAB);
    uf.now += 2 * SEC;
    ui_tick(&f);
    ck_assert_str_eq(fx_prompt(&f), "{region=\"");
    fx_type(&f, "eu");
    fx_key(&f, K_TAB);
    ck_assert_str_eq(uf.last[PYRO_LABEL_VALUES].name, "region");
    ck_assert_int_eq(uf.last[PYRO_LABEL_VALUES].q.nmatchers, 0);
    uf.now += 2 * SEC;
    ui_tick(&f);
    ck_assert_str_eq(fx_prompt(&f), "{region=\"eu-north\"");
    fx_type(&f, ", pod=\"");
    fx_key(&f, K_TAB);          /* scoped by the matchers before it */
    ck_assert_str_eq(uf.last[PYRO_LABEL_VALUES].name, "pod");
    ck_assert_str_eq(uf.last[PYRO_LABEL_VALUES].matcher, "{region=\"eu-north\"}");
    /* in the middle of a query: the matchers after the cursor scope it too
     * (they were left out) */
    fx_key(&f, K_CTRL('u'));
    fx_type(&f, "{env=\"a,b\", region=\"eu\", pod=\"p-1\", zone=~\"z\"}");
    fx_key(&f, K_HOME);
    for (int i = 0; i < 22; i++)        /* after {env="a,b", region="eu */
        fx_key(&f, K_RIGHT);
    fx_key(&f, K_TAB);
    ck_assert_str_eq(uf.last[PYRO_LABEL_VALUES].name, "region");
    ck_assert_str_eq(uf.last[PYRO_LABEL_VALUES].matcher,
                     "{env=\"a,b\", pod=\"p-1\", zone=~\"z\"}");
    fx_close(&f);
}
END_TEST

/* The tag explorer over the server: its labels from LabelNames, its rows
 * from SelectSeries grouped by the label. */
START_TEST(tags_from_the_server)
{
    struct fx f;

    ui_pick_cpu(&f);
    fx_key(&f, '5');
    ui_tick(&f);
    ck_assert_int_ge(fx_row_with(&f, "region"), 0);
    ck_assert_int_lt(fx_row_with(&f, "__profile_type__"), 0);
    tags_group_by(&f.a, "region");
    ui_tick(&f);
    ck_assert_str_eq(uf.last[PYRO_SELECT_SERIES].label, "region");
    ck_assert_int_ge(fx_row_with(&f, "eu-north"), 0);
    ck_assert_int_ge(fx_row_with(&f, "us-east"), 0);
    /* Enter: the value within the service the rows are of; c: the value
     * against every other one, both within it, asked in parallel */
    fx_key(&f, K_ENTER);
    ui_tick(&f);
    ck_assert_msg(!strncmp(uf.last[PYRO_SELECT_MERGE_PROFILE].selector,
                           "{service_name=\"cpu\", region=\"", 29), "%s",
                  uf.last[PYRO_SELECT_MERGE_PROFILE].selector);
    fx_key(&f, '5');
    ui_tick(&f);
    uf.delay = SEC;
    int before = uf.started[PYRO_SELECT_MERGE_PROFILE];

    fx_key(&f, 'c');
    ck_assert_int_eq(uf.started[PYRO_SELECT_MERGE_PROFILE], before + 2);
    ck_assert_int_eq(running_of(&uf, PYRO_SELECT_MERGE_PROFILE), 2);     /* in parallel */
    ck_assert_msg(strstr(f.a.side[0].query, "service_name=\"cpu\", region!=\""), "%s",
                  f.a.side[0].query);
    ck_assert_msg(strstr(f.a.side[1].query, "service_name=\"cpu\", region=\""), "%s",
                  f.a.side[1].query);
    fx_close(&f);
}
END_TEST

/* --every: every pane asked again each period (the range moves with now);
 * what is shown stays until the new answer lands. */
START_TEST(every_asks_again)
{
    struct fx f;
    int merges, series;

    ui_open_every(&f, "{service_name=\"cpu\"}", 10 * SEC);
    merges = uf.started[PYRO_SELECT_MERGE_PROFILE];
    series = uf.started[PYRO_SELECT_SERIES];
    ck_assert_int_eq(merges, 1);
    ck_assert_int_eq(f.a.side[0].flat.grand_total, cpu_total());
    uf.delay = 3 * SEC;
    uf.now += 9 * SEC;
    ui_tick(&f);
    ck_assert_int_eq(uf.started[PYRO_SELECT_MERGE_PROFILE], merges);    /* not yet */
    uf.now += SEC;
    ui_tick(&f);
    ck_assert_int_eq(uf.started[PYRO_SELECT_MERGE_PROFILE], merges + 1);
    ck_assert_int_gt(uf.started[PYRO_SELECT_SERIES], series);
    ck_assert_int_eq(f.a.side[0].flat.grand_total, cpu_total());       /* still shown */
    ck_assert_int_ge(fx_row_with(&f, "sort.partition"), 0);
    ck_assert_int_eq(f.a.tl_series[0][30], cpu_total());               /* the timeline too */
    uf.now += 3 * SEC;
    ui_tick(&f);
    ck_assert_int_eq(running_of(&uf, PYRO_SELECT_MERGE_PROFILE), 0);
    ck_assert_int_eq(f.a.side[0].flat.grand_total, cpu_total());
    fx_close(&f);
}
END_TEST

/* An `other` node in the answer marks the status bar. */
START_TEST(truncation_marked)
{
    struct fx f;

    ui_pick_cpu(&f);
    uf.merge_file = "remote-other.folded";
    app_set_query(&f.a, 0, "{service_name=\"x\"}");
    ui_tick(&f);
    ck_assert_msg(strstr(fx_status(&f), "truncated by the server"), "%s", fx_status(&f));
    fx_close(&f);
}
END_TEST

Suite *remote_suite(void)
{
    Suite *s = suite_create("remote");
    TCase *tc = tcase_create("remote");

    tcase_add_test(tc, types_from_profile_types);
    tcase_add_test(tc, types_failing_asked_again);
    tcase_add_test(tc, same_sample_type_two_ids);
    tcase_add_test(tc, label_names_hide_internal);
    tcase_add_test(tc, label_names_scoped_by_type);
    tcase_add_test(tc, label_values_scoped);
    tcase_add_test(tc, merge_is_the_files);
    tcase_add_test(tc, old_answers_dropped);
    tcase_add_test(tc, series_over_range);
    tcase_add_test(tc, series_hostile_values);
    tcase_add_test(tc, group_rows_with_statistics);
    tcase_add_test(tc, cancel_and_supersede);
    tcase_add_test(tc, failures_are_one_line);
    tcase_add_test(tc, range_too_long_refused);
    tcase_add_test(tc, other_node_marked);
    tcase_add_test(tc, span_and_every);
    suite_add_tcase(s, tc);
    tc = tcase_create("explorer");
    tcase_add_test(tc, picker_opens_a_service);
    tcase_add_test(tc, query_opens_straight);
    tcase_add_test(tc, picker_scrolls);
    tcase_add_test(tc, timeline_is_the_range);
    tcase_add_test(tc, compare_b_starts_as_a);
    tcase_add_test(tc, metadata_over_a_server);
    tcase_add_test(tc, error_comes_first);
    tcase_add_test(tc, one_range_per_run);
    tcase_add_test(tc, failures_keep_the_previous_result);
    tcase_add_test(tc, tab_completes_from_the_server);
    tcase_add_test(tc, tags_from_the_server);
    tcase_add_test(tc, truncation_marked);
    tcase_add_test(tc, every_asks_again);
    suite_add_tcase(s, tc);
    return s;
}
