/* The live data set: a local data set over a profile that grows. It fetches
 * every URL, again every period, loads what lands after the samples already
 * there (the model only grows: node, frame and string ids stay valid), drops
 * the oldest steps past --keep/--keep-steps, and says so (ds_changed), so
 * the explorer re-asks what it shows. The network is a feed: the fetcher of
 * fetch.h (libcurl multi on the caller's loop), or a test's fake. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dataset.h"
#include "intmap.h"
#include "snapshot.h"
#include "xalloc.h"

struct live_url {
    struct live *l;
    char *url;
    char *clean;                /* without credentials: the sources' name */
    char source[128];           /* the `source` label's value */
    void *running;              /* the feed's transfer, or NULL */
    int64_t started;            /* on the data set's clock */
    int64_t next_at;            /* when the next fetch starts; DS_NEVER: none */
    uint32_t steps;
};

struct live {
    struct profile *p;
    struct live_options o;
    struct load_options lo;
    struct live_feed feed;
    struct dataset *d;
    struct live_url *u;
    int paused;
    int held;                   /* ds_live_hold: no landing now */
    uint32_t steps;             /* profiles held */
    int32_t *src_url;           /* per source: the URL it came from, -1 none */
    uint32_t src_cap;
    char error[DS_ERR_MAX];
    struct fwd *fwd;            /* requests sent on to the local data set */
};

static const struct dataset_class live_class;
static void forward(struct live *l);

static int64_t realtime_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* --- the fetcher as a feed --- */

struct wrap {
    struct fetch *t;
    live_done_fn done;
    void *arg;
};

static void fetcher_done(void *ctx, struct fetch *t)
{
    struct wrap *w = ctx;
    size_t len = 0;
    const uint8_t *body = fetch_state(t) == FETCH_DONE ? fetch_body(t, &len) : NULL;

    w->done(w->arg, w, body, len, fetch_ended(t), body ? NULL : fetch_error(t));
    fetch_free(t);
    free(w);
}

static void *fetcher_feed_start(void *ctx, const char *url, const struct fetch_options *o,
                                live_done_fn done, void *arg)
{
    struct wrap *w = xcalloc(1, sizeof *w);

    w->done = done;
    w->arg = arg;
    w->t = fetch_start(ctx, url, o, fetcher_done, w);
    return w;
}

static void fetcher_feed_cancel(void *ctx, void *t)
{
    struct wrap *w = t;

    (void)ctx;
    fetch_cancel(w->t);
    free(w);
}

static int fetcher_feed_fds(void *ctx, struct pollfd *out, int max)
{
    return fetcher_fds(ctx, out, max);
}

static int64_t fetcher_feed_deadline(void *ctx)
{
    return fetcher_deadline(ctx);
}

static void fetcher_feed_step(void *ctx) { fetcher_step(ctx); }
static void fetcher_feed_free(void *ctx) { fetcher_free(ctx); }

static struct live_feed default_feed(void)
{
    return (struct live_feed){ fetcher_new(), fetcher_feed_start, fetcher_feed_cancel,
                               fetcher_feed_fds, fetcher_feed_deadline, fetcher_feed_step,
                               fetcher_feed_free };
}

/* --- landing --- */

static void set_error(struct live *l, const char *fmt, const char *a, const char *b)
    __attribute__((format(printf, 2, 0)));
static void set_error(struct live *l, const char *fmt, const char *a, const char *b)
{
    char line[1200];

    snprintf(line, sizeof line, fmt, a, b);     /* fmt: two %s, short words */
    snprintf(l->error, sizeof l->error, "%.*s", (int)sizeof l->error - 1, line);
}

static void note_source(struct live *l, uint32_t s, int32_t url)
{
    if (s >= l->src_cap) {
        uint32_t cap = s + 64;

        l->src_url = xreallocarray(l->src_url, cap, sizeof *l->src_url);
        for (uint32_t i = l->src_cap; i < cap; i++)
            l->src_url[i] = -1;
        l->src_cap = cap;
    }
    l->src_url[s] = url;
}

/* Drops the sources from `first` on (a body that failed half-way). */
static void undo_load(struct profile *p, uint32_t first)
{
    uint8_t *drop = xcalloc(p->nsources + 1, 1);

    memset(drop + first, 1, p->nsources - first);
    profile_drop_sources(p, drop);
    free(drop);
}

/* Drops what --keep and --keep-steps no longer keep, oldest first; returns
 * how many steps went. */
static uint32_t keep(struct live *l)
{
    struct profile *p = l->p;
    uint32_t max = l->o.keep_steps, n = p->nsources, gone = 0, *left;
    int64_t newest = INT64_MIN;
    uint8_t *drop;

    if (!max && !l->o.keep_ns && l->o.every_ns)
        max = LIVE_DEFAULT_KEEP_STEPS;
    if (!max && !l->o.keep_ns)
        return 0;
    drop = xcalloc(n + 1, 1);
    left = xcalloc((size_t)l->o.nurls + 1, sizeof *left);
    for (uint32_t s = 0; s < n; s++)
        if (l->src_url[s] >= 0 && p->sources[s].time_nanos > newest)
            newest = p->sources[s].time_nanos;
    for (int u = 0; u < l->o.nurls; u++)
        left[u] = l->u[u].steps;
    for (uint32_t s = 0; s < n; s++) {      /* sources are in landing order */
        int32_t u = l->src_url[s];

        if (u < 0)
            continue;
        if ((max && left[u] > max) ||
            (l->o.keep_ns && p->sources[s].time_nanos < newest - l->o.keep_ns)) {
            drop[s] = 1;
            left[u]--;
            gone++;
        }
    }
    if (gone) {
        uint32_t w = 0;

        profile_drop_sources(p, drop);
        for (uint32_t s = 0; s < n; s++)
            if (!drop[s])
                l->src_url[w++] = l->src_url[s];
        for (uint32_t s = w; s < n; s++)
            l->src_url[s] = -1;
        for (int u = 0; u < l->o.nurls; u++)
            l->u[u].steps = left[u];
        l->steps -= gone;
    }
    free(left);
    free(drop);
    return gone;
}

static void record(struct live *l, struct live_url *u, const uint8_t *body, size_t len,
                   int64_t time_ns)
{
    char path[1024], err[DS_ERR_MAX];

    if (!l->o.record_dir)
        return;
    if (record_write(l->o.record_dir, u->source, time_ns, body, len, path, sizeof path, err,
                     sizeof err))
        set_error(l, "--record %s: %s", l->o.record_dir, err);
}

/* Source s, just loaded from u, is the next snapshot of u's series: a heap
 * or mutex profile's cumulative counts become deltas from the previous one
 * (snapshot.h), its in-use memory is averaged over the steps, not summed. */
static void join_series(struct profile *p, const struct live_url *u, uint32_t s)
{
    p->sources[s].origin = snapshot_folder_origin(p, u->clean, s);
    snapshot_settle(p, s);
}

/* A body landed for u: load it as a new step, or say why not. */
static void land(struct live *l, struct live_url *u, const uint8_t *body, size_t len,
                 int64_t time_ns)
{
    struct profile *p = l->p;
    uint32_t first_source = p->nsources;
    char err[SOURCE_ERR_MAX];
    struct load_options lo = l->lo;

    lo.empty_ok = 1;            /* an idle service's CPU profile is a step of zero */
    if (source_load_url(p, u->clean, u->source, time_ns, body, len, &lo, err)) {
        undo_load(p, first_source);
        set_error(l, "%s: %s", u->source, err);
        return;
    }
    for (uint32_t s = first_source; s < p->nsources; s++) {
        join_series(p, u, s);
        note_source(l, s, (int32_t)(u - l->u));
        u->steps++;
        l->steps++;
    }
    trie_index(&p->trie);       /* only the new nodes: see trie_index */
    record(l, u, body, len, time_ns);
    keep(l);
    ds_changed(l->d);
}

static void landed(void *arg, void *t, const uint8_t *body, size_t len, int64_t time_ns,
                   const char *err)
{
    struct live_url *u = arg;
    struct live *l = u->l;

    (void)t;
    u->running = NULL;
    /* the next one a period after this one started (at once if overdue) */
    if (l->o.every_ns)
        u->next_at = u->started + l->o.every_ns;
    if (!body) {
        set_error(l, "%s: %s", u->source, err && *err ? err : "failed");
        return;
    }
    land(l, u, body, len, time_ns ? time_ns : realtime_ns());
}

/* --- the loop --- */

static void start_due(struct live *l, int64_t now)
{
    for (int i = 0; i < l->o.nurls && !l->paused; i++) {
        struct live_url *u = &l->u[i];

        if (u->running || u->next_at > now)
            continue;
        u->started = now;
        u->next_at = DS_NEVER;  /* set again when it lands */
        u->running = l->feed.start(l->feed.ctx, u->url, &l->o.fetch, landed, u);
    }
}

static void live_step(struct dataset *d, int64_t now)
{
    struct live *l = ds_impl(d);

    if (l->held) {              /* answer what is asked, land nothing */
        ds_step(ds_inner(d));
        forward(l);
        return;
    }
    start_due(l, now);
    if (l->feed.step)
        l->feed.step(l->feed.ctx);
    start_due(l, ds_now(d));
    ds_step(ds_inner(d));
    forward(l);
}

static int64_t live_deadline(struct dataset *d)
{
    struct live *l = ds_impl(d);
    int64_t at = ds_next_deadline(ds_inner(d)), f = l->feed.deadline && !l->held ?
                                                     l->feed.deadline(l->feed.ctx) : DS_NEVER;

    if (l->held)
        return at;
    if (f < at)
        at = f;
    for (int i = 0; i < l->o.nurls && !l->paused; i++)
        if (!l->u[i].running && l->u[i].next_at < at)
            at = l->u[i].next_at;
    return at;
}

static int live_fds(struct dataset *d, struct pollfd *out, int max)
{
    struct live *l = ds_impl(d);
    int n = l->feed.fds ? l->feed.fds(l->feed.ctx, out, max) : 0;

    return n + ds_fds(ds_inner(d), out + n, max - n);
}

/* Requests go to the local data set inside, as the test source sends them,
 * and come back in the same step. */
struct fwd {
    struct ds_req *outer, *inner;
    struct fwd *next;
};

static void live_start(struct dataset *d, struct ds_req *r)
{
    struct live *l = ds_impl(d);
    struct ds_query q = *ds_req_query(r);
    struct fwd *w = xcalloc(1, sizeof *w);

    q.notify = NULL;
    q.ctx = NULL;
    w->outer = r;
    w->inner = ds_submit(ds_inner(d), DS_NOSLOT, &q);
    w->next = l->fwd;
    l->fwd = w;
    ds_req_set_impl(r, w);
}

static void unlink_fwd(struct live *l, struct fwd *w)
{
    struct fwd **at = &l->fwd;

    while (*at != w)
        at = &(*at)->next;
    *at = w->next;
    ds_release(w->inner);
    free(w);
}

static void live_cancel(struct dataset *d, struct ds_req *r)
{
    unlink_fwd(ds_impl(d), ds_req_impl(r));
}

/* Hands on what the local data set answered. */
static void forward(struct live *l)
{
    for (struct fwd *w = l->fwd, *next; w; w = next) {
        struct ds_result res;

        next = w->next;
        if (ds_state(w->inner) == DS_PENDING)
            continue;
        if (!ds_take(w->inner, &res))
            ds_req_done(w->outer, &res);
        else
            ds_req_fail(w->outer, "%s", ds_error(w->inner));
        unlink_fwd(l, w);
    }
}

static struct profile *live_profile(struct dataset *d)
{
    return ((struct live *)ds_impl(d))->p;
}

static void live_recycle(struct dataset *d, struct ds_result *old)
{
    ds_recycle(ds_inner(d), old);
}

static int live_at_once(struct dataset *d)
{
    return ds_at_once(ds_inner(d));
}

static void live_free(struct dataset *d)
{
    struct live *l = ds_impl(d);

    while (l->fwd)              /* none: ds_free cancelled them */
        unlink_fwd(l, l->fwd);
    for (int i = 0; i < l->o.nurls; i++) {
        if (l->u[i].running)
            l->feed.cancel(l->feed.ctx, l->u[i].running);
        free(l->u[i].url);
        free(l->u[i].clean);
    }
    if (l->feed.free)
        l->feed.free(l->feed.ctx);
    free(l->u);
    free(l->src_url);
    free(l);
}

/* Idle-time work is the local data set's below, which answers the
 * merges: its folded trie, built again after each landing. */
static int live_warm(struct dataset *d, size_t slice, size_t room)
{
    return ds_warm(ds_inner(d), slice, room);
}

static const struct dataset_class live_class = {
    .name = "live",
    .start = live_start,
    .cancel = live_cancel,
    .step = live_step,
    .next_deadline = live_deadline,
    .fds = live_fds,
    .profile = live_profile,
    .recycle = live_recycle,
    .free = live_free,
    .at_once = live_at_once,
    .warm = live_warm,
};

/* The profiles loaded before that came from u (a caller that fetched it
 * once itself; main no longer does: the first fetch is ours): its first
 * steps; the next fetch is a period later (never without --every). */
static void adopt(struct live *l, struct live_url *u, int64_t now)
{
    struct profile *p = l->p;
    uint32_t name = strtab_find(&p->strings, u->clean, strlen(u->clean));

    for (uint32_t s = 0; name != UINT32_MAX && s < p->nsources; s++) {
        if (p->sources[s].name != name || l->src_url[s] >= 0)
            continue;
        l->src_url[s] = (int32_t)(u - l->u);
        if (!p->sources[s].origin)      /* the series starts with what main fetched */
            join_series(p, u, s);
        u->steps++;
        l->steps++;
    }
    if (u->steps)
        u->next_at = l->o.every_ns ? now + l->o.every_ns : DS_NEVER;
}

struct dataset *ds_live_new(struct profile *p, const struct live_options *o,
                            const struct load_options *lo, const struct live_feed *feed)
{
    struct live *l = xcalloc(1, sizeof *l);
    struct dataset *d;

    l->p = p;
    l->o = *o;
    l->o.urls = NULL;
    l->lo = *lo;
    l->feed = feed ? *feed : default_feed();
    l->u = xcalloc((size_t)o->nurls + 1, sizeof *l->u);
    note_source(l, p->nsources, -1);    /* what was loaded before is no step of ours ... */
    for (uint32_t s = 0; s < p->nsources; s++)
        l->src_url[s] = -1;
    d = ds_new(&live_class, l);
    for (int i = 0; i < o->nurls; i++) {
        l->u[i].l = l;
        l->u[i].url = xstrdup(o->urls[i]);
        l->u[i].clean = fetch_clean_url(o->urls[i]);
        l->u[i].next_at = INT64_MIN;    /* at once */
        fetch_source_name(o->urls[i], l->u[i].source, sizeof l->u[i].source);
        adopt(l, &l->u[i], ds_now(d));  /* ... but what main fetched from it is */
    }
    trie_unseal(&p->trie);      /* loading sealed it: not in the middle of a session */
    l->d = d;
    ds_set_inner(d, ds_local_new(p));
    return d;
}

struct dataset *ds_live_of(struct dataset *d)
{
    return ds_find(d, &live_class);
}

void ds_live_pause(struct dataset *live, int paused)
{
    struct live *l = ds_impl(live);

    l->paused = paused;
}

void ds_live_hold(struct dataset *live, int held)
{
    ((struct live *)ds_impl(live))->held = held;
}

int ds_live_paused(struct dataset *live)
{
    return ((struct live *)ds_impl(live))->paused;
}

void ds_live_cancel(struct dataset *live)
{
    struct live *l = ds_impl(live);

    for (int i = 0; i < l->o.nurls; i++) {
        struct live_url *u = &l->u[i];

        if (!u->running)
            continue;
        l->feed.cancel(l->feed.ctx, u->running);
        u->running = NULL;
        u->next_at = l->o.every_ns ? u->started + l->o.every_ns : DS_NEVER;
        set_error(l, "%s: %s", u->source, "cancelled");
    }
}

uint32_t ds_live_steps(struct dataset *live)
{
    return ((struct live *)ds_impl(live))->steps;
}

const char *ds_live_error(struct dataset *live)
{
    return ((struct live *)ds_impl(live))->error;
}

void ds_live_status(struct dataset *live, char *buf, size_t n)
{
    struct live *l = ds_impl(live);
    int64_t now = ds_now(live), next = DS_NEVER, oldest = DS_NEVER;
    int running = 0, first = -1, len;

    for (int i = 0; i < l->o.nurls; i++) {
        struct live_url *u = &l->u[i];

        if (u->running) {
            running++;
            if (u->started < oldest)
                oldest = u->started, first = i;
        } else if (u->next_at < next) {
            next = u->next_at;
        }
    }
    if (running)
        len = snprintf(buf, n, "fetching %s%s ... %.1fs", l->u[first].source,
                       running > 1 ? " and more" : "", (double)(now - oldest) / 1e9);
    else if (l->paused)
        len = snprintf(buf, n, "paused (Space resumes)");
    else if (next != DS_NEVER)
        len = snprintf(buf, n, "next fetch in %" PRId64 "s",
                       next > now ? (next - now + 999999999) / 1000000000 : 0);
    else
        len = snprintf(buf, n, "%u profiles fetched", l->steps);
    if (running && l->paused && len >= 0 && (size_t)len < n)
        len += snprintf(buf + len, n - (size_t)len, ", paused");
    if (*l->error && len >= 0 && (size_t)len < n)
        snprintf(buf + len, n - (size_t)len, " | last error: %s", l->error);
}
