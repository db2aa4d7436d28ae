/* The remote data set: every answer from a Grafana Pyroscope server. Each
 * request is one call of the server's query API (pyro.h's struct pyro_api,
 * the real client or a test's fake) on the caller's loop; a merged profile
 * is loaded into the model as a source of its own and answered from there
 * by a local data set inside, as the live data set answers from what it
 * appended. The timeline is the query range, not the profiles' times. */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dataset.h"
#include "pyro.h"
#include "sat.h"
#include "xalloc.h"

/* One request's call to the server. */
struct rcall {
    struct remote *rm;
    struct ds_req *r;           /* NULL: the types asked at the start */
    struct pyro_call *c;        /* the api's call, NULL once it ended */
    struct ds_req *inner;       /* DS_MERGE: the local data set's request */
    uint32_t name;              /* DS_MERGE: the answer's source name */
    int64_t start, end;         /* ns: the range asked (series' buckets) */
    char *refused;              /* refused before any call: failed on the next step */
    int starting;               /* inside api.start (which may end it at once) */
    int ended;                  /* done came inside api.start */
    struct rcall *next;
};

/* A merged answer whose samples are in the model, known back by its
 * sources' name (string id; the result's .answer). */
struct held {
    uint32_t name;
};

struct remote {
    struct profile *p;
    struct pyro_api api;
    struct remote_options o;
    struct dataset *d;
    struct rcall *calls;
    char **type_id;             /* per sample type of p: the server's ID, or NULL */
    uint32_t ntype_id;
    struct held held[REMOTE_KEEP_ANSWERS];
    uint32_t nheld;
    int64_t next_refresh;       /* --every: on the data set's clock; DS_NEVER none */
    struct rcall *types;        /* the types asked at the start, until they come */
    int64_t types_again;        /* when they are asked again after a failure */
    char error[DS_ERR_MAX];     /* why they did not come ("" none) */
    /* The default range of the current query run, resolved once against
     * the wall clock (ds_remote_rerun): the timeline and every pane of a
     * run show the same hour, as Pyroscope's UI redraws both per query. */
    int64_t run_start, run_end;
};

#define TYPES_RETRY_NS (5 * 1000000000LL)

static const struct dataset_class remote_class;

static int64_t wall_now(const struct remote *rm)
{
    struct timespec t;

    if (rm->o.wall_ns)
        return rm->o.wall_ns(rm->o.wall_ctx);
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* o's range (now-1h .. now by default) as of the wall clock now. */
static void resolve(struct remote *rm, int64_t *start, int64_t *end)
{
    int64_t now = wall_now(rm);

    if (!rm->o.from || selector_parse_time(rm->o.from, now, start))
        *start = now - 3600LL * 1000000000;     /* now-1h, as Pyroscope's UI */
    if (!rm->o.until || selector_parse_time(rm->o.until, now, end))
        *end = now;
}

int ds_remote_rerun(struct dataset *remote)
{
    struct remote *rm = ds_impl(remote);
    int64_t start, end;

    resolve(rm, &start, &end);
    if (start == rm->run_start && end == rm->run_end)
        return 0;
    rm->run_start = start;
    rm->run_end = end;
    ds_changed(rm->d);          /* the timeline and every pane ask again */
    return 1;
}

void ds_remote_range(struct dataset *remote, int64_t from, int64_t until, int64_t *start,
                     int64_t *end)
{
    struct remote *rm = ds_impl(remote);

    *start = from == INT64_MIN ? rm->run_start : from;
    *end = until == INT64_MAX ? rm->run_end : until;
}

static int remote_span(struct dataset *d, int64_t *from, int64_t *until)
{
    ds_remote_range(d, INT64_MIN, INT64_MAX, from, until);
    return 1;
}

/* --- the types --- */

static int by_id(const void *x, const void *y)
{
    const char *a = ((const struct pyro_type *)x)->id, *b = ((const struct pyro_type *)y)->id;

    return strcmp(a ? a : "", b ? b : "");      /* a hostile answer's type may lack one */
}

static void set_type_id(struct remote *rm, uint32_t t, const char *id)
{
    if (t >= rm->ntype_id) {
        rm->type_id = xreallocarray(rm->type_id, t + 1, sizeof *rm->type_id);
        memset(rm->type_id + rm->ntype_id, 0, (t + 1 - rm->ntype_id) * sizeof *rm->type_id);
        rm->ntype_id = t + 1;
    }
    if (!rm->type_id[t])
        rm->type_id[t] = xstrdup(id);
}

/* ProfileTypes' answer into p's type table. The first ID (by ID) of a
 * sample type and unit is named by the sample type; another ID with the
 * same pair by its whole ID (a second process_cpu-like profile): both stay
 * types of their own, asked by their own IDs. */
static void add_types(struct remote *rm, struct pyro_answer *a)
{
    struct profile *p = rm->p;

    if (a->ntypes)              /* none: types is NULL, which qsort may not take */
        qsort(a->types, a->ntypes, sizeof *a->types, by_id);
    for (uint32_t i = 0; i < a->ntypes && p->ntypes < PROFILE_MAX_TYPES; i++) {
        const struct pyro_type *pt = &a->types[i];
        const char *st = pt->sample_type ? pt->sample_type : "", *su = pt->sample_unit ?
                                                                         pt->sample_unit : "";
        uint32_t unit = profile_intern(p, su, strlen(su));
        uint32_t name = profile_intern(p, st, strlen(st)), t, known = UINT32_MAX;

        if (!pt->id || !*pt->id)
            continue;
        for (uint32_t k = 0; k < p->ntypes; k++)
            if (p->types[k].type == name && p->types[k].unit == unit)
                known = k;
        if (known != UINT32_MAX && known < rm->ntype_id && rm->type_id[known] &&
            strcmp(rm->type_id[known], pt->id))
            name = profile_intern(p, pt->id, strlen(pt->id));
        t = profile_type(p, name, unit);
        set_type_id(rm, t, pt->id);
        if (!strcmp(pt->id, "process_cpu:cpu:nanoseconds:cpu:nanoseconds"))
            p->default_type = t;        /* profilecli's default */
    }
}

const char *ds_remote_type_id(struct dataset *remote, uint32_t t)
{
    struct remote *rm = ds_impl(remote);

    return t < rm->ntype_id ? rm->type_id[t] : NULL;
}

const char *ds_remote_name(struct dataset *remote)
{
    struct remote *rm = ds_impl(remote);

    return rm->api.name ? rm->api.name(rm->api.ctx) : "the server";
}

/* The type a request asks: the ID before the query's braces, else a type
 * name there, else q->type. Returns its ID or NULL (err says why). */
static const char *type_of(struct remote *rm, const struct ds_query *q, uint32_t *t, char *err,
                           size_t n)
{
    const char *text = q->query ? q->query : "", *brace = strchr(text, '{');
    size_t len = brace ? (size_t)(brace - text) : strlen(text);
    char name[256];

    *t = q->type;
    while (len && text[len - 1] == ' ')
        len--;
    if (len && len < sizeof name) {
        memcpy(name, text, len);
        name[len] = '\0';
        *t = UINT32_MAX;
        for (uint32_t i = 0; i < rm->ntype_id && *t == UINT32_MAX; i++)
            if (rm->type_id[i] && !strcmp(rm->type_id[i], name))
                *t = i;
        if (*t == UINT32_MAX)
            *t = profile_find_type(rm->p, name);
    }
    if (*t < rm->ntype_id && rm->type_id[*t])
        return rm->type_id[*t];
    if (len)
        snprintf(err, n, "query: the server has no profile type '%.*s'", (int)len, text);
    else
        snprintf(err, n, "no profile type %u on the server", *t);
    return NULL;
}

/* The query's braces, what the server's label_selector takes. */
static const char *selector_of(const struct ds_query *q)
{
    const char *brace = q->query ? strchr(q->query, '{') : NULL;

    return brace ? brace : "{}";
}

/* --- calls --- */

static void call_done(void *arg, struct pyro_call *c, struct pyro_answer *a, const char *err);

static void unlink_call(struct remote *rm, struct rcall *k)
{
    struct rcall **at = &rm->calls;

    while (*at && *at != k)
        at = &(*at)->next;
    if (*at)
        *at = k->next;
    if (k->c)
        rm->api.cancel(rm->api.ctx, k->c);
    ds_release(k->inner);
    free(k->refused);
    free(k);
}

static struct rcall *new_call(struct remote *rm, struct ds_req *r)
{
    struct rcall *k = xcalloc(1, sizeof *k);

    k->rm = rm;
    k->r = r;
    k->next = rm->calls;
    rm->calls = k;
    if (r)
        ds_req_set_impl(r, k);
    return k;
}

/* Refuses r on the next step (start never answers). */
static void refuse(struct remote *rm, struct ds_req *r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void refuse(struct remote *rm, struct ds_req *r, const char *fmt, ...)
{
    struct rcall *k = new_call(rm, r);
    char buf[DS_ERR_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    k->refused = xstrdup(buf);
}

/* Starts k's call; a call that cannot start is refused (on the next step:
 * the client may say why through done, from inside start). */
static void send_call(struct rcall *k, const struct pyro_ask *q)
{
    k->starting = 1;
    k->c = k->rm->api.start(k->rm->api.ctx, q, call_done, k);
    k->starting = 0;
    if (k->ended) {
        k->c = NULL;
        if (!k->refused && !k->inner)
            k->refused = xstrdup("the request ended before it started");
    } else if (!k->c && !k->refused) {
        k->refused = xstrdup("cannot start the request");
    }
}

static int64_t ms(int64_t ns)
{
    return ns / 1000000;
}

/* The request's range, or -1 with it failed: empty, or longer than the
 * server takes (refused here, with the server's own reason). */
static int range_of(struct remote *rm, struct ds_req *r, int64_t *start, int64_t *end)
{
    const struct ds_query *q = ds_req_query(r);
    int64_t max = rm->o.max_range_ns;

    ds_remote_range(rm->d, q->from, q->until, start, end);
    if (*end <= *start) {
        refuse(rm, r, "the time range is empty");
        return -1;
    }
    if (max > 0 && *end - *start > max) {
        refuse(rm, r, "the query time range exceeds the limit (max_query_length, %" PRId64
                    "h): %.1fh asked; pick a shorter range", (int64_t)(max / 3600000000000LL),
                    (double)(*end - *start) / 3.6e12);
        return -1;
    }
    return 0;
}

static struct rcall *ask_types(struct remote *rm, struct ds_req *r)
{
    struct rcall *k = new_call(rm, r);
    int64_t start, end;
    struct pyro_ask q = { .method = PYRO_PROFILE_TYPES };

    ds_remote_range(rm->d, INT64_MIN, INT64_MAX, &start, &end);
    q.start_ms = ms(start);
    q.end_ms = ms(end);
    send_call(k, &q);
    return k;
}

/* The label names of one profile type, as the tag explorer asks them: the type's __profile_type__ joins the query's matchers in the one
 * selector (a request's matchers are a union, as Prometheus' match[], so a
 * second matcher would widen it), as Grafana's Pyroscope data source
 * scopes them. Without it, a heap type's tags offered labels that only CPU
 * profiles have, each with 0 values. Returns sel unchanged when the type is
 * any, unknown, or its ID would need quoting. */
static const char *scope_by_type(struct remote *rm, const struct ds_query *q, const char *sel,
                                 char *buf, size_t n)
{
    const char *id = q->type < rm->ntype_id ? rm->type_id[q->type] : NULL;
    const char *open = strchr(sel, '{'), *close = strrchr(sel, '}');
    size_t a, b;

    if (q->type == DS_ANY_TYPE || !id || strpbrk(id, "\"\\\n") || !open || !close || close < open)
        return sel;
    a = (size_t)(open - sel) + 1;
    b = (size_t)(close - sel);
    while (a < b && sel[a] == ' ')
        a++;
    while (b > a && sel[b - 1] == ' ')
        b--;
    if ((size_t)snprintf(buf, n, "{%.*s%s__profile_type__=\"%s\"}", (int)(b - a), sel + a,
                         b > a ? ", " : "", id) >= n)
        return sel;
    return buf;
}

static void remote_start(struct dataset *d, struct ds_req *r)
{
    struct remote *rm = ds_impl(d);
    const struct ds_query *q = ds_req_query(r);
    const char *sel = selector_of(q), *matchers[1] = { sel }, *id = NULL;
    struct pyro_ask a = { 0 };
    char err[DS_ERR_MAX], scoped[2048];
    int64_t start, end;
    uint32_t t;
    struct rcall *k;

    if (q->kind == DS_TYPES) {
        ask_types(rm, r);
        return;
    }
    if (range_of(rm, r, &start, &end))
        return;
    if ((q->kind == DS_MERGE || q->kind == DS_SERIES || q->kind == DS_GROUP) &&
        !(id = type_of(rm, q, &t, err, sizeof err))) {
        refuse(rm, r, "%s", err);
        return;
    }
    a.start_ms = ms(start);
    a.end_ms = ms(end);
    a.type_id = id;
    a.selector = sel;
    if (q->kind == DS_LABEL_NAMES)
        matchers[0] = sel = scope_by_type(rm, q, sel, scoped, sizeof scoped);
    a.matchers = strcmp(sel, "{}") ? matchers : NULL;
    a.nmatchers = a.matchers ? 1 : 0;
    switch (q->kind) {
    case DS_LABEL_NAMES: a.method = PYRO_LABEL_NAMES; break;
    case DS_LABEL_VALUES: a.method = PYRO_LABEL_VALUES; a.name = q->label ? q->label : ""; break;
    case DS_MERGE: a.method = PYRO_SELECT_MERGE_PROFILE; break;
    case DS_GROUP:
        a.labels = &q->label;
        a.nlabels = q->label ? 1 : 0;
        /* fall through */
    case DS_SERIES:
        a.method = PYRO_SELECT_SERIES;
        a.step_s = (double)(end - start) / 1e9 / (q->buckets ? q->buckets : 1);
        break;
    default:
        refuse(rm, r, "unknown request %d", (int)q->kind);
        return;
    }
    k = new_call(rm, r);
    k->start = start;
    k->end = end;
    send_call(k, &a);
}

static void remote_cancel(struct dataset *d, struct ds_req *r)
{
    unlink_call(ds_impl(d), ds_req_impl(r));
}

/* --- answers --- */

static int by_name(const void *x, const void *y, void *ctx)
{
    const struct profile *p = ctx;

    return strcmp(profile_str(p, *(const uint32_t *)x), profile_str(p, *(const uint32_t *)y));
}

/* Pyroscope's UI hides the internal names (`__name__`, `__profile_type__`). */
static int internal(const char *s)
{
    size_t n = strlen(s);

    return n >= 4 && !strncmp(s, "__", 2) && !strcmp(s + n - 2, "__");
}

static void answer_names(struct remote *rm, struct ds_req *r, const struct pyro_answer *a)
{
    struct ds_result res = { .kind = ds_req_query(r)->kind };

    res.ids = xcalloc((size_t)a->nnames + 1, sizeof *res.ids);
    for (uint32_t i = 0; i < a->nnames; i++)
        if (a->names[i] && (res.kind == DS_LABEL_VALUES || !internal(a->names[i])))
            res.ids[res.nids++] = profile_intern(rm->p, a->names[i], strlen(a->names[i]));
    qsort_r(res.ids, res.nids, sizeof *res.ids, by_name, rm->p);
    ds_req_done(r, &res);
}

static void answer_types(struct remote *rm, struct ds_req *r, struct pyro_answer *a)
{
    struct profile *p = rm->p;
    uint32_t before = p->ntypes;
    struct ds_result res = { .kind = DS_TYPES };

    add_types(rm, a);
    if (p->ntypes != before)
        ds_changed(rm->d);      /* new types: every view asks again */
    if (!r)
        return;
    res.ntypes = p->ntypes;
    res.types = xreallocarray(NULL, p->ntypes + 1, sizeof *res.types);
    if (p->ntypes)
        memcpy(res.types, p->types, p->ntypes * sizeof *res.types);
    res.type_totals = xcalloc(p->ntypes + 1, sizeof *res.type_totals);  /* not told */
    ds_req_done(r, &res);
}

/* A point's bucket among n over [start, end), or -1 outside. */
static int64_t bucket_of(int64_t ts_ms, int64_t start, int64_t end, uint32_t n)
{
    double at = ((double)ts_ms * 1e6 - (double)start) / (double)(end - start) * n;

    if (at < -1e-9 || at >= n + 1e-9)
        return -1;
    return at >= n ? n - 1 : at < 0 ? 0 : (int64_t)at;
}

/* A server's value as a sample value: rounded, and held to int64's range
 * (a hostile answer may send 1e300; llround of it is undefined). */
static int64_t point_value(double x)
{
    if (!isfinite(x))
        return 0;
    if (x >= 9.2e18)
        return INT64_MAX;
    if (x <= -9.2e18)
        return INT64_MIN;
    return llround(x);
}

/* held (NULL: not kept) marks the buckets a point fell in. */
static void add_points(const struct pyro_series *s, int64_t *v, const struct rcall *k, uint32_t n,
                       uint8_t *held)
{
    for (uint32_t i = 0; i < s->npoints; i++) {
        int64_t b = bucket_of(s->points[i].ts_ms, k->start, k->end, n);

        if (b >= 0)
            v[b] = sat_add(v[b], point_value(s->points[i].value));
        if (b >= 0 && held)
            held[b] = 1;
    }
}

/* r's mean and stddev over the held buckets only, as the files' are over
 * the capture steps: not over the empty columns of the terminal's width
 * (a step where another value's profile is counts as zero, as for files). */
static void row_stats(struct tag_row *r, const uint8_t *held, uint32_t n)
{
    struct tag_row only = { .series = xcalloc(n, sizeof(int64_t)) };
    uint32_t m = 0;

    for (uint32_t b = 0; b < n; b++)
        if (held[b])
            only.series[m++] = r->series[b];
    tags_row_stats(&only, m ? m : 1);
    r->mean = only.mean;
    r->stddev = only.stddev;
    free(only.series);
}

static const char *label_value(const struct pyro_series *s, const char *name)
{
    for (uint32_t i = 0; name && i < s->nlabels; i++)
        if (s->labels[i].name && !strcmp(s->labels[i].name, name))
            return s->labels[i].value ? s->labels[i].value : "";
    return NULL;
}

/* DS_GROUP: a row per value of the label (series of the same value
 * summed), with the statistics the tag explorer computes for files. */
static void answer_group(struct remote *rm, struct ds_req *r, const struct rcall *k,
                         const struct pyro_answer *a, struct ds_result *res)
{
    const char *label = ds_req_query(r)->label;
    uint8_t *held = xcalloc(res->nseries, 1);

    res->rows = xcalloc((size_t)a->nseries + 1, sizeof *res->rows);
    for (uint32_t i = 0; i < a->nseries; i++) {
        const char *v = label_value(&a->series[i], label);
        uint32_t id, row = 0;

        if (!v)
            continue;
        id = profile_intern(rm->p, v, strlen(v));
        while (row < res->nrows && res->rows[row].value != id)
            row++;
        if (row == res->nrows) {
            res->rows[row].value = id;
            res->rows[row].series = xcalloc(res->nseries, sizeof(int64_t));
            res->nrows++;
        }
        add_points(&a->series[i], res->rows[row].series, k, res->nseries, held);
    }
    for (uint32_t i = 0; i < res->nrows; i++) {
        for (uint32_t b = 0; b < res->nseries; b++)
            res->rows[i].total = sat_add(res->rows[i].total, res->rows[i].series[b]);
        row_stats(&res->rows[i], held, res->nseries);
    }
    free(held);
}

static void answer_series(struct remote *rm, struct ds_req *r, const struct rcall *k,
                          const struct pyro_answer *a)
{
    const struct ds_query *q = ds_req_query(r);
    struct ds_result res = { .kind = q->kind };
    uint32_t t;
    char err[DS_ERR_MAX];

    type_of(rm, q, &t, err, sizeof err);
    res.type = t;
    res.nseries = q->buckets ? q->buckets : 1;
    if (q->kind == DS_GROUP) {
        answer_group(rm, r, k, a, &res);
    } else {
        res.series = xcalloc(res.nseries, sizeof *res.series);
        for (uint32_t i = 0; i < a->nseries; i++)
            add_points(&a->series[i], res.series, k, res.nseries, NULL);
    }
    ds_req_done(r, &res);
}

/* Drops the samples of held answer i (its sources); the trie stays. */
static void drop_held(struct remote *rm, uint32_t i)
{
    struct profile *p = rm->p;
    uint8_t *drop = xcalloc((size_t)p->nsources + 1, 1);

    for (uint32_t s = 0; s < p->nsources; s++)
        drop[s] = p->sources[s].name == rm->held[i].name;
    profile_drop_sources(p, drop);
    free(drop);
    memmove(rm->held + i, rm->held + i + 1, (rm->nheld - i - 1) * sizeof *rm->held);
    rm->nheld--;
}

/* The sample type of the answer loaded as sources [first, ..): the one of
 * the asked ID's sample type and unit (a merged profile holds only it),
 * else its first. */
static uint32_t answer_type(struct remote *rm, const struct rcall *k, uint32_t first)
{
    struct profile *p = rm->p;
    char err[DS_ERR_MAX], pair[256];
    uint32_t t, found = UINT32_MAX;
    const char *id = type_of(rm, ds_req_query(k->r), &t, err, sizeof err), *c1, *c2, *c3;

    if (id && (c1 = strchr(id, ':')) && (c2 = strchr(c1 + 1, ':')) &&
        (c3 = strchr(c2 + 1, ':')) && (size_t)(c3 - c1) < sizeof pair) {
        snprintf(pair, sizeof pair, "%.*s/%.*s", (int)(c2 - c1 - 1), c1 + 1, (int)(c3 - c2 - 1),
                 c2 + 1);     /* name:TYPE:UNIT:...: "TYPE/UNIT" */
        found = profile_find_type(p, pair);
    }
    for (uint32_t s = first; s < p->nsources; s++) {
        if (found != UINT32_MAX && source_has_type(&p->sources[s], found))
            return found;
        for (uint32_t i = 0; i < p->ntypes && i < 64; i++)
            if (p->sources[s].types >> i & 1)
                return i;
    }
    return t;
}

/* A name no held answer has, of REMOTE_KEEP_ANSWERS + 1 (at most that
 * many held, one is always free): the model's strings do not grow by a
 * name per answer (--every). */
static void answer_name(struct remote *rm, char *name, size_t n)
{
    for (uint32_t slot = 0;; slot++) {
        uint32_t id, used = 0;

        snprintf(name, n, "ember-server-answer-%u", slot);
        id = strtab_find(&rm->p->strings, name, strlen(name));
        for (uint32_t i = 0; i < rm->nheld && id != UINT32_MAX; i++)
            used |= rm->held[i].name == id;
        if (!used)
            return;
    }
}

/* The merged profile came: loaded as a source named "server answer N",
 * then asked of the local data set restricted to it (file="..."). */
static void answer_merge(struct remote *rm, struct rcall *k, const struct pyro_answer *a)
{
    struct profile *p = rm->p;
    char name[64], err[SOURCE_ERR_MAX], sel[96];
    struct load_options lo = { .max_size = (size_t)1 << 30, .empty_ok = 1,
                               .granularity = p->granularity };  /* r asks again at its own */
    uint32_t first = p->nsources, t;
    struct ds_query q = { .kind = DS_MERGE, .query = sel, .from = INT64_MIN, .until = INT64_MAX };

    answer_name(rm, name, sizeof name);
    if (source_load_buffer(p, name, a->profile, a->profile_len, &lo, err)) {
        ds_req_fail(k->r, "%s: the merged profile does not load: %s", ds_remote_name(rm->d),
                    err);
        return;                 /* what loaded of it stays unheld: nothing, a loader undoes */
    }
    trie_index(&p->trie);
    k->name = profile_intern(p, name, strlen(name));
    t = answer_type(rm, k, first);
    if (rm->nheld == REMOTE_KEEP_ANSWERS)
        drop_held(rm, 0);
    rm->held[rm->nheld++] = (struct held){ .name = k->name };
    snprintf(sel, sizeof sel, "{file=\"%s\"}", name);
    q.type = t;
    k->inner = ds_submit(ds_inner(rm->d), DS_NOSLOT, &q);   /* answered in this step */
}

/* Whether the result has a node named `other` with a value: what
 * SelectMergeStacktraces' node limit makes, never SelectMergeProfile. */
static int truncated(const struct profile *p, const struct ds_result *res)
{
    uint32_t other = strtab_find(&p->strings, "other", 5);

    for (uint32_t i = 0; other != UINT32_MAX && i < res->flat.count; i++)
        if (p->frames[res->flat.rows[i].frame].name == other && res->flat.rows[i].total)
            return 1;
    return 0;
}

/* Hands on what the local data set answered of the merged profiles. */
static void forward(struct remote *rm)
{
    for (struct rcall *k = rm->calls, *next; k; k = next) {
        struct ds_result res;
        uint32_t t;
        char err[DS_ERR_MAX];

        next = k->next;
        if (!k->inner || ds_state(k->inner) == DS_PENDING)
            continue;
        if (!ds_take(k->inner, &res)) {
            type_of(rm, ds_req_query(k->r), &t, err, sizeof err);
            res.type = t < rm->p->ntypes ? t : res.type;
            res.truncated = truncated(rm->p, &res);
            /* one answer, merged by the server: no count of ours to say
             * (the local one would count every answer held) */
            res.flat.agg = QUERY_SUM;
            res.flat.snapshots = 1;
            res.answer = k->name;
            ds_req_done(k->r, &res);
        } else {
            ds_req_fail(k->r, "%s", ds_error(k->inner));
        }
        unlink_call(rm, k);
    }
}

/* An answer done handed over: its fields, then itself (pyro.h: moved to
 * the callee). */
static void release_answer(struct pyro_answer *a)
{
    pyro_answer_free(a);
    free(a);
}

static void types_failed(struct remote *rm, const char *err)
{
    snprintf(rm->error, sizeof rm->error, "%s", err && *err ? err : "the request failed");
    rm->types = NULL;
    rm->types_again = ds_now(rm->d) + TYPES_RETRY_NS;
}

static void call_done(void *arg, struct pyro_call *c, struct pyro_answer *a, const char *err)
{
    struct rcall *k = arg;
    struct remote *rm = k->rm;

    (void)c;
    k->c = NULL;                /* ended: nothing to cancel */
    if (k->starting) {          /* inside api.start: answered on the next step */
        k->ended = 1;
        k->refused = xstrdup(err && *err ? err : "the request failed");
        if (a)
            release_answer(a);
        return;
    }
    if (!a) {
        if (k->r)
            ds_req_fail(k->r, "%s", err && *err ? err : "the request failed");
        if (k == rm->types)     /* said by ds_remote_error; asked again later */
            types_failed(rm, err);
        unlink_call(rm, k);
        return;
    }
    if (k == rm->types)
        rm->types = NULL, rm->error[0] = '\0';
    if (!k->r || ds_req_query(k->r)->kind == DS_TYPES) {
        answer_types(rm, k->r, a);
        if (!k->r && !rm->p->ntypes)    /* nothing there yet: said, asked again */
            types_failed(rm, "the server has no profile in the range (ProfileTypes is empty)");
    } else {
        switch (ds_req_query(k->r)->kind) {
        case DS_LABEL_NAMES:
        case DS_LABEL_VALUES: answer_names(rm, k->r, a); break;
        case DS_SERIES:
        case DS_GROUP: answer_series(rm, k->r, k, a); break;
        case DS_MERGE: answer_merge(rm, k, a); break;
        default: break;
        }
    }
    release_answer(a);
    if (!k->inner)
        unlink_call(rm, k);
}

/* --- the loop --- */

static void remote_step(struct dataset *d, int64_t now)
{
    struct remote *rm = ds_impl(d);

    if (rm->o.every_ns > 0 && rm->next_refresh == INT64_MIN)
        rm->next_refresh = now + rm->o.every_ns;        /* on the clock the caller set */
    if (now >= rm->next_refresh) {      /* --every: the range moved with now */
        rm->next_refresh = now + rm->o.every_ns;
        if (!ds_remote_rerun(d))
            ds_changed(d);
    }
    for (struct rcall *k = rm->calls, *next; k; k = next) {
        next = k->next;
        if (k->refused) {
            if (k->r)
                ds_req_fail(k->r, "%s", k->refused);
            if (k == rm->types)
                types_failed(rm, k->refused);
            unlink_call(rm, k);
        }
    }
    if (!rm->p->ntypes && !rm->types && now >= rm->types_again)
        rm->types = ask_types(rm, NULL);        /* the server failed them: again */
    if (rm->api.step)
        rm->api.step(rm->api.ctx);
    ds_step(ds_inner(d));
    forward(rm);
}

static int64_t remote_deadline(struct dataset *d)
{
    struct remote *rm = ds_impl(d);
    int64_t at = ds_next_deadline(ds_inner(d)), f = rm->api.deadline ?
                                                    rm->api.deadline(rm->api.ctx) : DS_NEVER;

    if (f < at)
        at = f;
    for (struct rcall *k = rm->calls; k; k = k->next)
        if (k->refused)
            return ds_now(d);
    if (!rm->p->ntypes && !rm->types && rm->types_again < at)
        at = rm->types_again;
    return rm->next_refresh != INT64_MIN && rm->next_refresh < at ? rm->next_refresh : at;
}

static int remote_fds(struct dataset *d, struct pollfd *out, int max)
{
    struct remote *rm = ds_impl(d);

    return rm->api.fds ? rm->api.fds(rm->api.ctx, out, max) : 0;
}

static struct profile *remote_profile(struct dataset *d)
{
    return ((struct remote *)ds_impl(d))->p;
}

/* A merge given back: its answer's samples go (no handle shows them). */
static void remote_recycle(struct dataset *d, struct ds_result *old)
{
    struct remote *rm = ds_impl(d);

    for (uint32_t i = 0; old->answer && i < rm->nheld; i++) {
        if (rm->held[i].name == old->answer) {
            drop_held(rm, i);
            break;
        }
    }
    ds_recycle(ds_inner(d), old);
}

static void remote_free(struct dataset *d)
{
    struct remote *rm = ds_impl(d);

    while (rm->calls)
        unlink_call(rm, rm->calls);
    if (rm->api.free)
        rm->api.free(rm->api.ctx);
    for (uint32_t i = 0; i < rm->ntype_id; i++)
        free(rm->type_id[i]);
    free(rm->type_id);
    free(rm);
}

static const struct dataset_class remote_class = {
    .name = "remote",
    .start = remote_start,
    .cancel = remote_cancel,
    .step = remote_step,
    .next_deadline = remote_deadline,
    .fds = remote_fds,
    .profile = remote_profile,
    .recycle = remote_recycle,
    .free = remote_free,
    .span = remote_span,
};

/* Whether the range moves with now (an end given as now or now-...). */
static int relative(const struct remote_options *o)
{
    return !o->from || !o->until || !strncmp(o->from, "now", 3) || !strncmp(o->until, "now", 3);
}

struct dataset *ds_remote_new(struct profile *p, struct pyro_api api, const struct remote_options *o)
{
    struct remote *rm = xcalloc(1, sizeof *rm);
    struct dataset *d;

    rm->p = p;
    rm->api = api;
    rm->o = *o;
    d = ds_new(&remote_class, rm);
    rm->d = d;
    resolve(rm, &rm->run_start, &rm->run_end);  /* the first run */
    ds_set_inner(d, ds_local_new(p));
    rm->next_refresh = o->every_ns > 0 && relative(o) ? INT64_MIN : DS_NEVER;  /* armed by the first step */
    trie_unseal(&p->trie);
    rm->types_again = DS_NEVER;
    rm->types = ask_types(rm, NULL);    /* the types first: nothing is asked without one */
    return d;
}

struct dataset *ds_remote_of(struct dataset *d)
{
    return ds_find(d, &remote_class);
}

const char *ds_remote_error(struct dataset *remote)
{
    return ((struct remote *)ds_impl(remote))->error;
}
