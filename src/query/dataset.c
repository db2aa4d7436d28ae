/* The data-set interface's common part: handles, their states, slots that
 * supersede, notification from the loop, the clock. Sources only queue,
 * compute and answer (see dataset.h). */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dataset.h"
#include "xalloc.h"

struct ds_req {
    struct dataset *d;          /* NULL once the data set is freed */
    struct ds_req *prev, *next; /* every handle of d */
    struct ds_req *ready_next;  /* answered, to be notified */
    int slot, ready;
    enum ds_state state;
    struct ds_query q;          /* q.query and q.label are ours */
    int64_t started;
    char err[DS_ERR_MAX];
    struct ds_result res;
    int has_res;
    void *impl;
};

struct dataset {
    const struct dataset_class *cls;
    void *impl;
    struct dataset *inner;
    struct ds_req *reqs;
    struct ds_req *ready, **ready_tail;
    int64_t (*now)(void *ctx);
    void *now_ctx;
    uint64_t generation;        /* ds_changed: the data grew or shrank */
    struct fset *filters;       /* ds_set_filters (borrowed) */
};

static int64_t monotonic_ns(void *ctx)
{
    struct timespec t;

    (void)ctx;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

struct dataset *ds_new(const struct dataset_class *cls, void *impl)
{
    struct dataset *d = xcalloc(1, sizeof *d);

    d->cls = cls;
    d->impl = impl;
    d->ready_tail = &d->ready;
    d->now = monotonic_ns;
    return d;
}

void *ds_impl(const struct dataset *d) { return d->impl; }
struct dataset *ds_inner(const struct dataset *d) { return d->inner; }
struct profile *ds_profile(struct dataset *d) { return d->cls->profile(d); }
int64_t ds_now(const struct dataset *d) { return d->now(d->now_ctx); }

void ds_changed(struct dataset *d) { d->generation++; }

uint64_t ds_generation(const struct dataset *d)
{
    return d->generation + (d->inner ? ds_generation(d->inner) : 0);
}

struct dataset *ds_find(struct dataset *d, const struct dataset_class *cls)
{
    while (d && d->cls != cls)
        d = d->inner;
    return d;
}

void ds_set_filters(struct dataset *d, struct fset *s)
{
    for (; d; d = d->inner)
        d->filters = s;
}

struct fset *ds_filters(const struct dataset *d) { return d->filters; }

void ds_set_inner(struct dataset *d, struct dataset *inner)
{
    d->inner = inner;
    ds_set_filters(inner, d->filters);
    ds_set_clock(inner, d->now == monotonic_ns ? NULL : d->now, d->now_ctx);
}

void ds_set_clock(struct dataset *d, int64_t (*now)(void *ctx), void *ctx)
{
    d->now = now ? now : monotonic_ns;
    d->now_ctx = now ? ctx : NULL;
    if (d->inner)
        ds_set_clock(d->inner, now, ctx);
}

void ds_result_free(struct ds_result *r)
{
    free(r->types);
    free(r->type_totals);
    free(r->ids);
    if (r->total)
        xbig_free(r->total, r->ntotal * sizeof *r->total);
    flat_free(&r->flat);
    free(r->series);
    tags_free_rows(r->rows, r->nrows);
    memset(r, 0, sizeof *r);
}

/* Takes r off d's queue of answers waiting to be notified. */
static void unready(struct ds_req *r)
{
    struct dataset *d = r->d;
    struct ds_req **at = &d->ready;

    if (!r->ready)
        return;
    while (*at != r)
        at = &(*at)->ready_next;
    *at = r->ready_next;
    if (d->ready_tail == &r->ready_next)
        d->ready_tail = at;
    r->ready = 0;
}

/* Ends a pending request without an answer; the class forgets it. */
static void end_pending(struct ds_req *r, const char *why)
{
    if (r->state != DS_PENDING)
        return;
    r->state = DS_CANCELLED;
    snprintf(r->err, sizeof r->err, "%s", why);
    if (r->d)
        r->d->cls->cancel(r->d, r);
}

struct ds_req *ds_submit(struct dataset *d, int slot, const struct ds_query *q)
{
    struct ds_req *r = xcalloc(1, sizeof *r);

    for (struct ds_req *o = d->reqs; slot != DS_NOSLOT && o; o = o->next)
        if (o->slot == slot)
            end_pending(o, "superseded");
    r->d = d;
    r->slot = slot;
    r->q = *q;
    r->q.query = xstrdup(q->query ? q->query : "");
    r->q.label = q->label ? xstrdup(q->label) : NULL;
    r->started = ds_now(d);
    r->next = d->reqs;
    if (d->reqs)
        d->reqs->prev = r;
    d->reqs = r;
    d->cls->start(d, r);
    return r;
}

enum ds_state ds_state(const struct ds_req *r) { return r->state; }
const char *ds_error(const struct ds_req *r) { return r->err; }
int64_t ds_started(const struct ds_req *r) { return r->started; }
const struct ds_query *ds_req_query(const struct ds_req *r) { return &r->q; }
void *ds_req_impl(const struct ds_req *r) { return r->impl; }
void ds_req_set_impl(struct ds_req *r, void *impl) { r->impl = impl; }

int ds_take(struct ds_req *r, struct ds_result *out)
{
    if (!r->has_res)
        return -1;
    *out = r->res;
    memset(&r->res, 0, sizeof r->res);
    r->has_res = 0;
    return 0;
}

void ds_cancel(struct ds_req *r)
{
    end_pending(r, "cancelled");
}

void ds_release(struct ds_req *r)
{
    if (!r)
        return;
    end_pending(r, "cancelled");
    if (r->d) {
        unready(r);
        if (r->prev)
            r->prev->next = r->next;
        else
            r->d->reqs = r->next;
        if (r->next)
            r->next->prev = r->prev;
    }
    if (r->has_res)
        ds_result_free(&r->res);
    free((char *)r->q.query);
    free((char *)r->q.label);
    free(r);
}

/* Queues an answered request for its notify, run once the class's step is
 * over (a notify may submit, cancel or release anything). */
static void answered(struct ds_req *r)
{
    if (!r->q.notify || !r->d)
        return;
    r->ready = 1;
    r->ready_next = NULL;
    *r->d->ready_tail = r;
    r->d->ready_tail = &r->ready_next;
}

void ds_req_done(struct ds_req *r, struct ds_result *res)
{
    assert(r->state == DS_PENDING);     /* a cancelled one is forgotten */
    r->res = *res;
    r->has_res = 1;
    memset(res, 0, sizeof *res);
    r->state = DS_DONE;
    answered(r);
}

void ds_req_fail(struct ds_req *r, const char *fmt, ...)
{
    va_list ap;

    assert(r->state == DS_PENDING);
    va_start(ap, fmt);
    vsnprintf(r->err, sizeof r->err, fmt, ap);
    va_end(ap);
    r->state = DS_FAILED;
    answered(r);
}

int64_t ds_next_deadline(struct dataset *d)
{
    return d->cls->next_deadline(d);
}

int ds_fds(struct dataset *d, struct pollfd *out, int max)
{
    return d->cls->fds ? d->cls->fds(d, out, max) : 0;
}

void ds_step(struct dataset *d)
{
    d->cls->step(d, ds_now(d));
    while (d->ready) {
        struct ds_req *r = d->ready;

        d->ready = r->ready_next;
        if (!d->ready)
            d->ready_tail = &d->ready;
        r->ready = 0;
        r->q.notify(r->q.ctx, r);
    }
}

void ds_recycle(struct dataset *d, struct ds_result *old)
{
    if (d->cls->recycle)
        d->cls->recycle(d, old);
    else
        ds_result_free(old);
}

int ds_warm(struct dataset *d, size_t slice, size_t room)
{
    return d->cls->warm ? d->cls->warm(d, slice, room) : 0;
}

int ds_at_once(struct dataset *d)
{
    return d->cls->at_once ? d->cls->at_once(d) : 0;
}

int ds_span(struct dataset *d, int64_t *from, int64_t *until)
{
    for (; d; d = d->inner)
        if (d->cls->span)
            return d->cls->span(d, from, until);
    return 0;
}

int ds_poll_timeout(struct dataset *d, int cap_ms)
{
    int64_t at = ds_next_deadline(d), now = ds_now(d), ms;

    if (at == DS_NEVER)
        return cap_ms;
    if (at <= now)
        return 0;
    ms = (at - now + 999999) / 1000000;
    return cap_ms >= 0 && ms > cap_ms ? cap_ms : ms > INT32_MAX ? INT32_MAX : (int)ms;
}

unsigned ds_pending(const struct dataset *d)
{
    unsigned n = 0;

    for (const struct ds_req *r = d->reqs; r; r = r->next)
        n += r->state == DS_PENDING;
    return n;
}

void ds_free(struct dataset *d)
{
    if (!d)
        return;
    for (struct ds_req *r = d->reqs; r; r = r->next)
        end_pending(r, "cancelled");
    for (struct ds_req *r = d->reqs, *next; r; r = next) {
        next = r->next;
        r->d = NULL;
        r->ready = 0;
        r->prev = r->next = NULL;
    }
    d->cls->free(d);
    ds_free(d->inner);
    free(d);
}
