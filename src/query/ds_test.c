/* Test sources: a wrapper around any data set that answers like a slow
 * server (each answer no sooner than a delay after its request) and/or a
 * failing one (every Nth request fails with a message). It runs on the
 * data set's clock, so a test sets the time instead of sleeping. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "xalloc.h"

/* One request of ours: what it waits for. */
struct wait {
    struct ds_req *outer, *inner;       /* inner NULL: it is to fail */
    int64_t due;
    struct wait *next;
};

struct test_source {
    int64_t delay;
    unsigned fail_every, count;
    char msg[DS_ERR_MAX];
    struct wait *waits;
};

static void test_start(struct dataset *d, struct ds_req *r)
{
    struct test_source *t = ds_impl(d);
    struct wait *w = xcalloc(1, sizeof *w);
    struct ds_query q = *ds_req_query(r);

    t->count++;
    w->outer = r;
    w->due = ds_started(r) + t->delay;
    q.notify = NULL;            /* the inner answer is polled in step */
    q.ctx = NULL;
    if (!t->fail_every || t->count % t->fail_every)
        w->inner = ds_submit(ds_inner(d), DS_NOSLOT, &q);
    w->next = t->waits;
    t->waits = w;
    ds_req_set_impl(r, w);
}

static void drop(struct test_source *t, struct wait *w)
{
    struct wait **at = &t->waits;

    while (*at != w)
        at = &(*at)->next;
    *at = w->next;
    ds_release(w->inner);
    free(w);
}

static void test_cancel(struct dataset *d, struct ds_req *r)
{
    drop(ds_impl(d), ds_req_impl(r));
}

/* Answers w's request from its inner one once it is due; returns whether
 * it did. */
static int deliver(struct test_source *t, struct wait *w, int64_t now)
{
    struct ds_result res;

    if (now < w->due)
        return 0;
    if (!w->inner) {
        ds_req_fail(w->outer, "%s", t->msg);
    } else if (ds_state(w->inner) == DS_PENDING) {
        return 0;
    } else if (!ds_take(w->inner, &res)) {
        ds_req_done(w->outer, &res);
    } else {
        ds_req_fail(w->outer, "%s", ds_error(w->inner));
    }
    return 1;
}

static void test_step(struct dataset *d, int64_t now)
{
    struct test_source *t = ds_impl(d);

    ds_step(ds_inner(d));
    for (struct wait *w = t->waits, *next; w; w = next) {
        next = w->next;
        if (deliver(t, w, now))
            drop(t, w);
    }
}

/* The earliest due time of an answer the inner data set has given (or
 * that is to fail), and the inner data set's own deadline. */
static int64_t test_deadline(struct dataset *d)
{
    struct test_source *t = ds_impl(d);
    int64_t at = ds_next_deadline(ds_inner(d));

    for (struct wait *w = t->waits; w; w = w->next)
        if ((!w->inner || ds_state(w->inner) != DS_PENDING) && w->due < at)
            at = w->due;
    return at;
}

static int test_fds(struct dataset *d, struct pollfd *out, int max)
{
    return ds_fds(ds_inner(d), out, max);
}

static struct profile *test_profile(struct dataset *d)
{
    return ds_profile(ds_inner(d));
}

static void test_recycle(struct dataset *d, struct ds_result *old)
{
    ds_recycle(ds_inner(d), old);
}

static void test_free(struct dataset *d)
{
    struct test_source *t = ds_impl(d);

    while (t->waits)            /* none: ds_free cancelled them */
        drop(t, t->waits);
    free(t);
}

static const struct dataset_class test_class = {
    .name = "test",
    .start = test_start,
    .cancel = test_cancel,
    .step = test_step,
    .next_deadline = test_deadline,
    .fds = test_fds,
    .profile = test_profile,
    .recycle = test_recycle,
    .free = test_free,
};

struct dataset *ds_test_new(struct dataset *inner, int64_t delay_ns, unsigned fail_every,
                            const char *msg)
{
    struct test_source *t = xcalloc(1, sizeof *t);
    struct dataset *d;

    t->delay = delay_ns > 0 ? delay_ns : 0;
    t->fail_every = fail_every;
    snprintf(t->msg, sizeof t->msg, "%s", msg ? msg : "test failure");
    d = ds_new(&test_class, t);
    ds_set_inner(d, inner);
    return d;
}

/* "500ms", "1s", "250" (milliseconds) into nanoseconds. */
static int parse_duration(const char *s, size_t len, int64_t *ns)
{
    static const struct { const char *unit; int64_t ns; } units[] = {
        { "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 },
        { "m", 60000000000 }, { "", 1000000 },
    };
    char buf[32], *end;
    long long v;

    if (!len || len >= sizeof buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    v = strtoll(buf, &end, 10);
    if (end == buf || v < 0 || v > 3600000)
        return -1;
    for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
        if (!strcmp(end, units[i].unit)) {
            *ns = v * units[i].ns;
            return 0;
        }
    }
    return -1;
}

/* One comma-separated item: "slow:D", "fail" or "fail:N". */
static int parse_item(const char *s, size_t len, struct ds_test_spec *out)
{
    char *end;

    if (len > 5 && !strncmp(s, "slow:", 5))
        return parse_duration(s + 5, len - 5, &out->delay_ns);
    if (len == 4 && !strncmp(s, "fail", 4)) {
        out->fail_every = 1;
        return 0;
    }
    if (len > 5 && !strncmp(s, "fail:", 5)) {
        unsigned long n = strtoul(s + 5, &end, 10);

        if (end != s + len || s[5] == '-' || !n || n > 1000000)
            return -1;
        out->fail_every = (unsigned)n;
        return 0;
    }
    return -1;
}

int ds_test_parse(const char *text, struct ds_test_spec *out, char *err, size_t size)
{
    const char *s = text;

    memset(out, 0, sizeof *out);
    for (;;) {
        size_t len = strcspn(s, ",");

        if (parse_item(s, len, out)) {
            snprintf(err, size, "'%.*s': expected slow:DURATION, fail or fail:N",
                     (int)(len > 40 ? 40 : len), s);
            return -1;
        }
        if (!s[len])
            return 0;
        s += len + 1;
    }
}
