/* The data set as the views see it: one interface for every place data
 * comes from, whose answers may come later.
 *
 * What a view asks for (enum ds_kind): the profile types with their totals,
 * the label names, one label's values, a side's merged values for (query,
 * range, type), a series over time, and that series grouped by a label. The
 * answers keep the model's types (struct flat, int64_t per-node totals,
 * series arrays, struct tag_row); their ids (strings, frames, trie nodes)
 * refer to ds_profile(), the model the data set fills.
 *
 * States. ds_submit() returns a handle that is PENDING; it becomes DONE
 * (with its result), FAILED (with a message) or CANCELLED (ds_cancel(), or
 * superseded: a newer request for the same slot cancels the older one, whose
 * late answer is dropped). A handle never moves out of DONE, FAILED or
 * CANCELLED. Nothing is answered inside ds_submit(): answers arrive in
 * ds_step(), even those of the local data set that has them at once (done
 * on the first step), so the caller's code is the same for every source.
 *
 * Ownership. The caller owns the handle until ds_release() (which cancels
 * it when still pending). A DONE handle holds its result until ds_take()
 * moves it to the caller, who frees it with ds_result_free(); ds_release()
 * frees what was not taken. A request copies its query text: nothing the
 * caller passes is borrowed. Handles may outlive their data set (ds_free()
 * cancels what is pending); releasing them is still the caller's.
 *
 * Time and the event loop. No threads: every source runs on the caller's
 * loop. The loop polls on the terminal, ds_fds() and a timeout until
 * ds_next_deadline() (a time on ds_now()'s clock; DS_NEVER: nothing is
 * waited for), then calls ds_step(), which finishes what is ready and calls
 * each finished request's notify from there, never from deeper inside.
 * The local data set computes with the query functions in ds_step() (its
 * deadline is "now" while something is queued). A future HTTP source (a
 * live endpoint, issue 10; a Pyroscope server, issue 11) drives libcurl's
 * multi interface from the same three calls: curl_multi_waitfds (or
 * curl_multi_fdset) for ds_fds, curl_multi_timeout for ds_next_deadline,
 * curl_multi_perform in ds_step (which needs no word of which descriptor
 * was ready), and parses what finished there, in slices if large. The clock is
 * CLOCK_MONOTONIC unless ds_set_clock() gives another (tests set a fake one
 * and never sleep).
 *
 * How the UI will use it. A view submits into its slot (side A's merge,
 * side B's, the tags rows, a timeline's series ...) and keeps drawing its
 * previous result while the handle is pending, with a status line
 * `loading {region="eu-north"} ... 1.2s` (ds_now() - ds_started()); Esc
 * cancels (the previous result stays); a newer key press resubmits into the
 * slot and the outdated answer never shows; a failure keeps the previous
 * result on screen and puts ds_error() in the status bar; when done, the
 * view takes the result and gives the one it replaces back (ds_recycle).
 * The loop: poll(stdin + ds_fds, ds_poll_timeout(d, frame)), read keys,
 * ds_step(d), redraw once if something changed.
 *
 * Sources. ds_local_new() answers from a loaded struct profile; the test
 * sources wrap any data set: ds_test_new() delays each answer and/or fails
 * every Nth request with a message, for unit tests (with a fake clock) and
 * for tmux tests through EMBER_TEST_SOURCE (ds_test_parse). A new source is
 * a struct dataset_class and a constructor. */
#ifndef EMBER_DATASET_H
#define EMBER_DATASET_H

#include <poll.h>
#include <stdint.h>

#include "live.h"
#include "profile.h"
#include "query.h"
#include "source.h"
#include "timeline.h"

#define DS_NEVER INT64_MAX      /* no deadline */
#define DS_NOSLOT (-1)          /* a request that supersedes nothing */
#define DS_ANY_TYPE UINT32_MAX  /* label names of every profile, whatever its types */
#define DS_ERR_MAX 256

enum ds_state { DS_PENDING, DS_DONE, DS_FAILED, DS_CANCELLED };

struct dataset;
struct ds_req;

enum ds_kind {
    DS_TYPES,                   /* every sample type with its total */
    DS_LABEL_NAMES,             /* label names (of the profiles that have `type`) */
    DS_LABEL_VALUES,            /* the values of label `label` */
    DS_MERGE,                   /* per-node totals and the flat table of (query, range, type) */
    DS_SERIES,                  /* the query's `type` over `buckets` steps of time */
    DS_GROUP,                   /* the series per value of label `label` */
};

/* What is asked. query is a selector ("{region=\"eu-north\"}", a sample type
 * before the braces overrides `type`); NULL or "" means "{}". For
 * DS_LABEL_NAMES and DS_LABEL_VALUES it scopes the names to the series it
 * selects, where the source can (a server; the local one lists them all). from/until are
 * nanoseconds, inclusive (INT64_MIN/INT64_MAX: all time). buckets is the
 * timeline's number of steps as timeline_init takes it. */
struct ds_query {
    enum ds_kind kind;
    uint32_t type;
    const char *query;
    int64_t from, until;
    const char *label;          /* DS_LABEL_VALUES, DS_GROUP */
    uint32_t buckets;           /* DS_SERIES, DS_GROUP */
    /* Called from ds_step when the request turns DONE or FAILED (not when
     * cancelled: the caller did that); may be NULL. */
    void (*notify)(void *ctx, struct ds_req *r);
    void *ctx;
};

/* An answer; only the fields of its kind are set, the others are zero. */
struct ds_result {
    enum ds_kind kind;
    /* DS_TYPES: ntypes types (copied) with each one's total over every sample */
    struct sample_type *types;
    int64_t *type_totals;
    uint32_t ntypes;
    /* DS_LABEL_NAMES, DS_LABEL_VALUES: string ids, sorted by name */
    uint32_t *ids;
    uint32_t nids;
    /* DS_MERGE: total[n] for every trie node (ntotal = trie.count, an
     * xbig_realloc array), the flat table, and the type it is of */
    int64_t *total;
    size_t ntotal;
    struct flat flat;
    uint32_t type;
    /* DS_SERIES: one value per step (nseries = buckets, at least 1) */
    int64_t *series;
    uint32_t nseries;
    /* DS_GROUP: one row per value, each with nseries steps */
    struct tag_row *rows;
    uint32_t nrows;
    /* DS_MERGE of a server: the tree holds a node named `other` (the
     * server merged small children into it: not the whole tree) */
    int truncated;
    /* DS_MERGE under filters (ds_set_filters): the query's total before
     * them, "of Z total"; else the root's total */
    int64_t whole;
    /* DS_MERGE of a server: the name (string id) of the source its samples
     * are in, file=NAME in a query (an exporter's selection); 0: none */
    uint32_t answer;
};

void ds_result_free(struct ds_result *r);

/* The interface a source implements. */
struct dataset_class {
    const char *name;
    /* Takes on r (pending; its query is ds_req_query(r)): queue it, send it.
     * Never answers from here. */
    void (*start)(struct dataset *d, struct ds_req *r);
    /* Forgets r (cancelled, superseded or released): after this the class
     * never touches r again. */
    void (*cancel)(struct dataset *d, struct ds_req *r);
    /* Does what is ready at time now: answers with ds_req_done/ds_req_fail. */
    void (*step)(struct dataset *d, int64_t now);
    /* When step next has something to do (DS_NEVER: only an fd will tell). */
    int64_t (*next_deadline)(struct dataset *d);
    /* Up to max descriptors to watch; returns how many. May be NULL (none). */
    int (*fds)(struct dataset *d, struct pollfd *out, int max);
    /* The model the answers' ids refer to. */
    struct profile *(*profile)(struct dataset *d);
    /* Takes back an answer (see ds_recycle); NULL: ds_result_free. */
    void (*recycle)(struct dataset *d, struct ds_result *old);
    /* Frees the class's own state (pending requests are cancelled first). */
    void (*free)(struct dataset *d);
    /* Whether every request is answered on the next step, never failing
     * one a caller has validated (the local source). NULL: no. */
    int (*at_once)(struct dataset *d);
    /* The time its timeline spans, when that is not the profiles' times (a
     * server: the query range, now-1h .. now): sets *from and *until
     * (nanoseconds since the epoch) and returns 1. NULL: 0, the profiles'. */
    int (*span)(struct dataset *d, int64_t *from, int64_t *until);
    /* See ds_warm. NULL: nothing to prepare (0). */
    int (*warm)(struct dataset *d, size_t slice, size_t room);
};

/* --- for callers (the UI, tests) --- */

/* Asks q into slot (DS_NOSLOT or a small number >= 0 the caller chooses):
 * a pending request of that slot is cancelled. Returns a pending handle. */
struct ds_req *ds_submit(struct dataset *d, int slot, const struct ds_query *q);
enum ds_state ds_state(const struct ds_req *r);
/* The message of a FAILED request, "cancelled" or "superseded" for a
 * CANCELLED one, "" otherwise. */
const char *ds_error(const struct ds_req *r);
/* When it was submitted, on the data set's clock. */
int64_t ds_started(const struct ds_req *r);
/* Moves a DONE request's result into out (once): returns 0, or -1 when
 * there is none (not done, or already taken). */
int ds_take(struct ds_req *r, struct ds_result *out);
/* Cancels a pending request (nothing when it is not). */
void ds_cancel(struct ds_req *r);
/* Cancels if pending and frees the handle and any result not taken. NULL: nothing. */
void ds_release(struct ds_req *r);

/* Hands an answer no longer shown back to d, which may reuse its memory
 * for a later answer (the local source keeps a merge's per-node array for
 * the next merge: a query change then maps no new pages); what it does not
 * keep is freed. old is zeroed. */
void ds_recycle(struct dataset *d, struct ds_result *old);

struct fset;
/* The filter set (fset.h; borrowed, NULL: none) the merges and series of
 * d and of the data sets it wraps count under, now and when one is
 * wrapped later: every side, view and export sees the filtered tree. The
 * caller asks again after changing it. */
void ds_set_filters(struct dataset *d, struct fset *s);
struct fset *ds_filters(const struct dataset *d);

/* Whether d answers every request on the next step (ds_step) and never
 * fails a well-formed one. A caller that asks and steps at once may then
 * give the answer it shows back (ds_recycle) before asking for the next:
 * nothing draws in between, and the local source computes the new merge
 * into the same per-node array, with no new pages, as an in-place update
 * did. A slow source keeps both (the old one stays on screen). */
int ds_at_once(struct dataset *d);

/* Idle-time work: prepares what a later answer would otherwise make on the
 * spot, at most `slice` bytes a call, and only what fits in `room` bytes
 * in all. The local data set: first the folded trie its merges sum over
 * (chains.h: a few steps of tens of ms, room or not), then one spare
 * per-node array for the trie as it is, its pages mapped, so that the next merge that finds no array to
 * reuse (side B's first: the diff, the comparison) does not wait for the
 * kernel to map one (up to 0.8 s for the bench profile's 180 MB); once
 * per trie size. Returns 1 while more is left to do, 0 when done or when
 * there is nothing to do (no room, already warm, another class). */
int ds_warm(struct dataset *d, size_t slice, size_t room);

/* The time span of d's timeline (see dataset_class.span), asked of d or
 * the data set it wraps: 1 with *from and *until set, or 0 (the timeline
 * is the profiles' times, as for files). */
int ds_span(struct dataset *d, int64_t *from, int64_t *until);

/* The loop's three calls, and the clock they share. */
int64_t ds_next_deadline(struct dataset *d);
int ds_fds(struct dataset *d, struct pollfd *out, int max);
void ds_step(struct dataset *d);
int64_t ds_now(const struct dataset *d);
/* poll(2)'s timeout for the next deadline: milliseconds rounded up, 0 when
 * due, cap_ms when there is none or it is further (cap_ms < 0: -1, wait). */
int ds_poll_timeout(struct dataset *d, int cap_ms);
/* Replaces the clock (nanoseconds); NULL restores CLOCK_MONOTONIC. */
void ds_set_clock(struct dataset *d, int64_t (*now)(void *ctx), void *ctx);
/* How many requests are pending. */
unsigned ds_pending(const struct dataset *d);

struct profile *ds_profile(struct dataset *d);
/* Cancels what is pending and frees the data set (and what it wraps). */
void ds_free(struct dataset *d);

/* --- the sources --- */

/* The loaded data set p (borrowed: it must outlive the data set). */
struct dataset *ds_local_new(struct profile *p);
/* Starts ranking p's names (what the merges' tables sort ties by) on a
 * second core, for the first merge to find done: 15 ms of the explorer's
 * first frame on the bench profile, overlapped with the children index.
 * p's frames and strings must not change until the first merge (or
 * ds_free), which waits for it. */
void ds_local_rank_ahead(struct dataset *d);

/* Wraps inner (owned from now on): every answer comes delay_ns after its
 * request at the earliest, and when fail_every > 0 every fail_every-th
 * request (1: all) fails with message msg ("test failure" when NULL). */
struct dataset *ds_test_new(struct dataset *inner, int64_t delay_ns, unsigned fail_every,
                            const char *msg);

/* A test source's settings from EMBER_TEST_SOURCE: "slow:500ms", "fail",
 * "fail:3" (every third), "slow:1s,fail:2". Durations take ns, us, ms, s
 * or m (a bare number is milliseconds). */
struct ds_test_spec {
    int64_t delay_ns;
    unsigned fail_every;
};
/* Parses text into out; returns 0, or -1 with the reason in err. */
int ds_test_parse(const char *text, struct ds_test_spec *out, char *err, size_t size);

/* The live data set (issue 10): fetches every URL of o at once and again
 * every o->every_ns (each on its own period, several in parallel), loads
 * each body that lands (source_load_buffer with lo) into p, after the
 * samples already there, labelled source="host:port" (fetch_source_name),
 * and answers every request from p as the local data set does (it wraps
 * one). A body that does not load, or a transfer that fails, adds nothing:
 * no step, so the timeline shows a gap, not a zero; the data stays and the
 * message is the last error. With o->record_dir each body that loads is
 * also written there (record_write); a failed write is the last error, the
 * profile stays. Steps are dropped oldest first past o->keep_steps per URL
 * or o->keep_ns before the newest (neither set and o->every_ns: the last
 * LIVE_DEFAULT_KEEP_STEPS per URL). Every landing or drop is a
 * ds_changed(): the caller re-asks what it shows. p must outlive the data
 * set; o is copied. feed NULL: the fetcher (fetch.h); tests give their own. */
#define LIVE_DEFAULT_KEEP_STEPS 360

/* How ds_live gets its bodies: the fetcher, or a test's fake. start begins
 * a transfer and returns its handle; step calls done(arg, handle, ...) for
 * each that ended (body NULL and err set when it failed; time_ns: when it
 * ended, CLOCK_REALTIME, as main and the recorder date a fetch), and frees the handle after done returns. */
typedef void (*live_done_fn)(void *arg, void *t, const uint8_t *body, size_t len,
                             int64_t time_ns, const char *err);
struct live_feed {
    void *ctx;
    void *(*start)(void *ctx, const char *url, const struct fetch_options *o, live_done_fn done,
                   void *arg);
    void (*cancel)(void *ctx, void *t);
    int (*fds)(void *ctx, struct pollfd *out, int max);
    int64_t (*deadline)(void *ctx);     /* on the data set's clock; DS_NEVER: none */
    void (*step)(void *ctx);
    void (*free)(void *ctx);
};

struct dataset *ds_live_new(struct profile *p, const struct live_options *o,
                            const struct load_options *lo, const struct live_feed *feed);
/* The live data set d is or wraps (NULL: none). */
struct dataset *ds_live_of(struct dataset *d);
/* Pauses (1) or resumes (0) the polling: no new fetch starts while paused
 * (running ones still land); resuming fetches what came due at once. */
void ds_live_pause(struct dataset *live, int paused);
int ds_live_paused(struct dataset *live);
/* While held, a step answers requests but lands no fetch (the model does
 * not grow): what a caller in the middle of drawing asks is answered from
 * the model it draws. */
void ds_live_hold(struct dataset *live, int held);
/* Cancels every running fetch at once (Esc); the periods go on. */
void ds_live_cancel(struct dataset *live);
/* The status bar's line: `fetching host:6060 ... 3.1s`, `next fetch in
 * 8s`, `paused (Space resumes)`, then the last error if any. */
void ds_live_status(struct dataset *live, char *buf, size_t n);
/* How many steps (profiles) it added and holds now; its last error ("" none). */
uint32_t ds_live_steps(struct dataset *live);
const char *ds_live_error(struct dataset *live);

/* The remote data set (issue 11): every answer from a Pyroscope server
 * through api (pyro.h; owned from now on, freed with the data set). It asks
 * ProfileTypes at once; the types enter p's type table by sample type and
 * unit (ds_changed when they land). Two type IDs with the same sample type
 * and unit stay two types: the first (by ID) is named by its sample type,
 * each other one by its whole ID. DS_MERGE loads SelectMergeProfile's
 * answer into p as a source of its own and answers from it through a local
 * data set; the answer's samples are dropped once the result is given back
 * (ds_recycle), and past REMOTE_KEEP_ANSWERS held, oldest first (trie nodes,
 * frames and strings stay: ids keep their meaning). DS_SERIES and DS_GROUP
 * come from SelectSeries over the request's range (its default: o's range)
 * with a step of range / buckets; DS_LABEL_NAMES from LabelNames (names
 * `__x__` hidden), DS_LABEL_VALUES from LabelValues, both scoped by the
 * request's query. Each request is one call, several in flight; a cancelled
 * or superseded request cancels its call. p must outlive the data set. */
#define REMOTE_KEEP_ANSWERS 8
#define REMOTE_MAX_RANGE_NS (24LL * 3600 * 1000000000)  /* Pyroscope's max-query-length */

struct pyro_api;
struct remote_options {
    const char *from, *until;   /* --from, --until as given; NULL: now-1h, now */
    int64_t every_ns;           /* --every: asks again (ds_changed) for a range relative to now */
    /* A longer range is refused here, with the server's words; 0: sent as
     * it is, for the server to refuse (its 400 and message, as batch mode
     * does: ember does not split a range). */
    int64_t max_range_ns;
    /* The wall clock (nanoseconds since the epoch) the range is relative
     * to; NULL: CLOCK_REALTIME (tests give a fixed one) */
    int64_t (*wall_ns)(void *ctx);
    void *wall_ctx;
};
struct dataset *ds_remote_new(struct profile *p, struct pyro_api api, const struct remote_options *o);
/* The remote data set d is or wraps (NULL: none). */
struct dataset *ds_remote_of(struct dataset *d);
/* The server's type ID of sample type t ("process_cpu:cpu:nanoseconds:cpu:
 * nanoseconds"), NULL for a type the server did not list. */
const char *ds_remote_type_id(struct dataset *remote, uint32_t t);
/* Why the server's types, asked at the start, have not come ("" none:
 * asked, or in); they are asked again every 5 s until they come. */
const char *ds_remote_error(struct dataset *remote);
/* What names the server (its URL without credentials, api.name()). */
const char *ds_remote_name(struct dataset *remote);
/* The range a request with from/until (INT64_MIN/MAX: the default) asks,
 * in nanoseconds: the default is the current run's (ds_span's too). */
/* A new query run (a query entered, a type or range picked, --every):
 * resolves o's relative range against the wall clock again. Moved: 1, and
 * ds_changed (the caller asks its timeline and every pane again). */
int ds_remote_rerun(struct dataset *remote);
void ds_remote_range(struct dataset *remote, int64_t from, int64_t until, int64_t *start,
                     int64_t *end);

/* --- for implementations --- */

/* The data changed (a profile was added or dropped): ds_generation of d,
 * and of every data set wrapping it, moves on. */
void ds_changed(struct dataset *d);
uint64_t ds_generation(const struct dataset *d);
/* d or the data set it wraps (and so on) of class cls, or NULL. */
struct dataset *ds_find(struct dataset *d, const struct dataset_class *cls);

/* The request's query (its strings are the request's own copies). */
const struct ds_query *ds_req_query(const struct ds_req *r);
/* The class's own pointer on a request. */
void *ds_req_impl(const struct ds_req *r);
void ds_req_set_impl(struct ds_req *r, void *impl);
/* Answers a pending request: moves *res in (res is zeroed). Only a pending
 * one: a cancelled request is one the class has forgotten (its late
 * answer, say a transfer that completes anyway, is the class's to drop). */
void ds_req_done(struct ds_req *r, struct ds_result *res);
void ds_req_fail(struct ds_req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Creates a data set of class cls with the class's state impl. */
struct dataset *ds_new(const struct dataset_class *cls, void *impl);
void *ds_impl(const struct dataset *d);
/* Makes inner the data set d wraps: it shares d's clock and is freed with d. */
void ds_set_inner(struct dataset *d, struct dataset *inner);
struct dataset *ds_inner(const struct dataset *d);

#endif
