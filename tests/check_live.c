/* Live profiling (issue 10): appending a profile to a loaded data set (the
 * trie's incremental index, dropping old steps) and the live data set on a
 * fake feed and a fake clock. Expected totals are go tool pprof's (the .top
 * tables of tests/data/expected, summed by expected_top_sum). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chains.h"
#include "check_suites.h"
#include "dataset.h"
#include "source.h"
#include "theme.h"
#include "view_fx.h"
#include "xalloc.h"

#define SEC 1000000000LL

static void load_into(struct profile *p, const char *file)
{
    char path[512], err[SOURCE_ERR_MAX];
    struct load_options o = { .max_size = 1 << 30 };

    snprintf(path, sizeof path, "%s/%s", TEST_DATA, file);
    ck_assert_msg(!source_load_path(p, path, &o, err), "%s: %s", file, err);
}

static int64_t total_of(struct profile *p, const char *type)
{
    uint32_t t = profile_find_type(p, type);
    int64_t *total = xcalloc(p->trie.count, sizeof *total), g;
    struct flat f;

    ck_assert_uint_ne(t, UINT32_MAX);
    query_totals_flat(p, t, NULL, total, &f);
    g = f.grand_total;
    flat_free(&f);
    free(total);
    return g;
}

/* Two indexes of the same trie are the same arrays. */
static void same_index(const struct trie *a, const struct trie *b)
{
    ck_assert_uint_eq(a->count, b->count);
    ck_assert_uint_eq(a->indexed, a->count);
    ck_assert_uint_eq(b->indexed, b->count);
    ck_assert_int_eq(memcmp(a->child_start, b->child_start, ((size_t)a->count + 1) * 4), 0);
    ck_assert_int_eq(memcmp(a->child, b->child, ((size_t)a->count - 1) * 4), 0);
}

/* go-heap appended to an explorer's go-cpu (sealed, indexed) is go-cpu and
 * go-heap loaded together: the same trie, index and totals, each pprof's. */
START_TEST(append_equals_loading_together)
{
    struct profile a, both;
    static const char *types[] = { "cpu", "samples", "alloc_space", "inuse_space" };
    static const char *tops[] = { "go-cpu.cpu.top", "go-cpu.samples.top", "go-heap.alloc_space.top",
                                  "go-heap.inuse_space.top" };

    profile_init(&a);
    load_into(&a, "go-cpu.pb.gz");
    profile_finish(&a);
    trie_index(&a.trie);
    uint32_t before = a.trie.count;

    load_into(&a, "go-heap.pb.gz");     /* the hash comes back for the append */
    ck_assert_uint_gt(a.trie.count, before);
    trie_index(&a.trie);                /* merged in, not rebuilt (count - before < before?) */
    profile_init(&both);
    load_into(&both, "go-cpu.pb.gz");
    load_into(&both, "go-heap.pb.gz");
    trie_reindex(&both.trie);
    same_index(&a.trie, &both.trie);
    ck_assert_int_eq(memcmp(a.trie.node, both.trie.node, a.trie.count * sizeof *a.trie.node), 0);
    ck_assert_uint_eq(a.nsamples, both.nsamples);
    ck_assert_uint_eq(a.nframes, both.nframes);
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(total_of(&a, types[i]), total_of(&both, types[i]));
        ck_assert_int_eq(total_of(&a, types[i]), expected_top_sum(tops[i]));
    }
    profile_free(&a);
    profile_free(&both);
}
END_TEST

/* The demo's eight CPU profiles appended one by one, indexing after each,
 * index as all eight loaded at once (the merge path every time: each adds
 * fewer nodes than the trie holds). */
START_TEST(incremental_index_equals_full)
{
    struct profile inc, full;
    char name[64];

    profile_init(&inc);
    profile_init(&full);
    for (int i = 0; i < 8; i++) {
        snprintf(name, sizeof name, "../../src/demo/profiles/cpu-%02d.pb.gz", i);
        load_into(&inc, name);
        load_into(&full, name);
        trie_index(&inc.trie);
    }
    trie_reindex(&full.trie);
    same_index(&inc.trie, &full.trie);
    profile_free(&inc);
    profile_free(&full);
}
END_TEST

/* Random paths in small batches over a large trie: nodes under old parents,
 * under new ones, under the root. */
START_TEST(incremental_index_random_batches)
{
    struct trie t, u;
    uint32_t path[12], seed = 12345;

    trie_init(&t);
    trie_init(&u);
    for (int batch = 0; batch < 40; batch++) {
        for (int k = 0; k < (batch ? 50 : 5000); k++) {
            uint32_t n = 1 + (seed = seed * 1103515245 + 12345) % 12;

            for (uint32_t i = 0; i < n; i++)
                path[i] = (seed = seed * 1103515245 + 12345) >> 16 & 15;
            trie_insert_path(&t, path, n);
            trie_insert_path(&u, path, n);
        }
        trie_index(&t);
        trie_reindex(&u);
        same_index(&t, &u);
    }
    trie_free(&t);
    trie_free(&u);
}
END_TEST

/* Dropping go-cpu's source from go-cpu + go-heap leaves go-heap as loaded
 * alone: its totals (pprof's), its samples, its one source. */
START_TEST(drop_sources_keeps_the_rest)
{
    struct profile p;
    uint8_t drop[2] = { 1, 0 };

    profile_init(&p);
    load_into(&p, "go-cpu.pb.gz");
    load_into(&p, "go-heap.pb.gz");
    ck_assert_uint_eq(p.nsources, 2);
    size_t heap_samples = p.nsamples;
    for (size_t s = 0; s < p.nsamples; s++)
        heap_samples -= p.samples[s].source == 0;
    ck_assert_uint_eq(profile_drop_sources(&p, drop), 1);
    ck_assert_uint_eq(p.nsources, 1);
    ck_assert_uint_eq(p.nsamples, heap_samples);
    for (size_t s = 0; s < p.nsamples; s++)
        ck_assert_uint_eq(p.samples[s].source, 0);
    ck_assert_int_eq(total_of(&p, "cpu"), 0);
    ck_assert_int_eq(total_of(&p, "alloc_space"), expected_top_sum("go-heap.alloc_space.top"));
    ck_assert_int_eq(total_of(&p, "inuse_objects"), expected_top_sum("go-heap.inuse_objects.top"));
    profile_free(&p);
}
END_TEST

/* --- the live data set on a fake feed --- */

struct fake_t {
    char url[256];
    live_done_fn done;
    void *arg;
    int cancelled;
};

static struct fake {
    struct fake_t *t[64];
    int n;                      /* transfers started */
    int running;
} fk;
static int64_t fake_now;

static int64_t fake_clock(void *ctx)
{
    (void)ctx;
    return fake_now;
}

static void *fake_start(void *ctx, const char *url, const struct fetch_options *o, live_done_fn done,
                        void *arg)
{
    struct fake_t *t = xcalloc(1, sizeof *t);

    (void)ctx, (void)o;
    snprintf(t->url, sizeof t->url, "%s", url);
    t->done = done;
    t->arg = arg;
    ck_assert_int_lt(fk.n, 64);
    fk.t[fk.n++] = t;
    fk.running++;
    return t;
}

static void fake_cancel(void *ctx, void *t)
{
    (void)ctx;
    ((struct fake_t *)t)->cancelled = 1;
    fk.running--;
}

/* A landing queued for the feed's step (as the fetcher calls done from
 * fetcher_step), or none. */
static int queued = -1;
static const char *queued_fixture;

static void finish(int i, const char *fixture, const char *err, int64_t time_ns);

static void fake_step(void *ctx)
{
    (void)ctx;
    if (queued >= 0) {
        int i = queued;

        queued = -1;
        finish(i, queued_fixture, NULL, 0);
    }
}

static const struct live_feed fake_feed = { NULL, fake_start, fake_cancel, NULL, NULL, fake_step,
                                            NULL };

/* Transfer i ends now: with the fixture's bytes, or failing with err. */
static void finish(int i, const char *fixture, const char *err, int64_t time_ns)
{
    size_t len = 0;
    uint8_t *body = fixture ? read_fixture(fixture, &len) : NULL;
    struct fake_t *t = fk.t[i];

    ck_assert(!t->cancelled);
    fk.running--;
    t->done(t->arg, t, body, len, time_ns, err);
    free(body);
}

static struct profile lp;
static struct dataset *ld;
static const char *two_urls[] = { "http://127.0.0.1:1/debug/pprof/profile?seconds=1",
                                  "http://127.0.0.1:2/debug/pprof/profile?seconds=1" };

static void live_setup(int nurls, int64_t every, uint32_t keep_steps)
{
    struct live_options o = { .urls = two_urls, .nurls = nurls, .seconds = 1, .every_ns = every,
                              .keep_steps = keep_steps };
    struct load_options lo = { .max_size = 1 << 30 };

    memset(&fk, 0, sizeof fk);
    queued = -1;
    fake_now = 1000 * SEC;
    profile_init(&lp);
    ld = ds_live_new(&lp, &o, &lo, &fake_feed);
    ds_set_clock(ld, fake_clock, NULL);
}

static void live_teardown(void)
{
    ds_free(ld);
    profile_free(&lp);
    for (int i = 0; i < fk.n; i++)
        free(fk.t[i]);
}

static int64_t live_total(const char *type)
{
    struct ds_query q = { .kind = DS_MERGE, .type = profile_find_type(&lp, type), .from = INT64_MIN,
                          .until = INT64_MAX };
    struct ds_req *r = ds_submit(ld, DS_NOSLOT, &q);
    struct ds_result res;
    int64_t g;

    ds_step(ld);
    ck_assert_msg(ds_state(r) == DS_DONE, "%s", ds_error(r));
    ck_assert_int_eq(ds_take(r, &res), 0);
    ck_assert_uint_eq(res.ntotal, lp.trie.count);
    g = res.flat.grand_total;
    ds_result_free(&res);
    ds_release(r);
    return g;
}

/* A fetch starts at once, another every period after the last started; each
 * body is a new step of the data set, labelled with its source; the
 * generation moves on each landing. */
START_TEST(live_fetches_every_period)
{
    char status[256];
    uint64_t gen;

    live_setup(1, 5 * SEC, 0);
    ck_assert_int_eq(ds_next_deadline(ld) <= fake_now, 1);
    ds_step(ld);
    ck_assert_int_eq(fk.n, 1);
    ck_assert_str_eq(fk.t[0]->url, two_urls[0]);
    ds_live_status(ld, status, sizeof status);
    ck_assert_str_eq(status, "fetching 127.0.0.1:1 ... 0.0s");
    fake_now += 1 * SEC + SEC / 2;
    ds_live_status(ld, status, sizeof status);
    ck_assert_str_eq(status, "fetching 127.0.0.1:1 ... 1.5s");
    ds_step(ld);
    ck_assert_int_eq(fk.n, 1);          /* one at a time per URL */
    gen = ds_generation(ld);
    finish(0, "go-cpu.pb.gz", NULL, 0);
    ck_assert_uint_gt(ds_generation(ld), gen);
    ck_assert_uint_eq(ds_live_steps(ld), 1);
    ck_assert_int_eq(live_total("cpu"), expected_top_sum("go-cpu.cpu.top"));
    /* the next one 5 s after the first started: 3.5 s from now */
    ck_assert_int_eq(ds_next_deadline(ld), 1005 * SEC);
    ds_live_status(ld, status, sizeof status);
    ck_assert_str_eq(status, "next fetch in 4s");
    fake_now = 1005 * SEC - 1;
    ds_step(ld);
    ck_assert_int_eq(fk.n, 1);
    fake_now = 1005 * SEC;
    ds_step(ld);
    ck_assert_int_eq(fk.n, 2);
    finish(1, "go-cpu.pb.gz", NULL, 0);
    ck_assert_uint_eq(ds_live_steps(ld), 2);
    ck_assert_int_eq(live_total("cpu"), 2 * expected_top_sum("go-cpu.cpu.top"));
    ck_assert_uint_eq(lp.nsources, 2);
    uint32_t key = strtab_find(&lp.strings, "source", 6), n;
    const struct label *l = profile_set_labels(&lp, lp.samples[0].labels, &n);
    int found = 0;
    for (uint32_t i = 0; i < n; i++)
        if (l[i].key == key)
            found = !strcmp(profile_str(&lp, l[i].str), "127.0.0.1:1");
    ck_assert_msg(found, "no source=\"127.0.0.1:1\" label");
    uint32_t file = strtab_find(&lp.strings, "file", 4);     /* the URL names no file */
    for (size_t s = 0; s < lp.nsamples; s++) {
        l = profile_set_labels(&lp, lp.samples[s].labels, &n);
        for (uint32_t i = 0; i < n; i++)
            ck_assert_uint_ne(l[i].key, file);
    }
    live_teardown();
}
END_TEST

/* Idle time folds the live data set's trie (its local data set's warm),
 * again after a landing grows it; the merges then still give pprof's
 * totals. */
START_TEST(live_folds_in_idle_time)
{
    int calls = 0;

    live_setup(1, 5 * SEC, 0);
    ds_step(ld);
    finish(0, "go-cpu.pb.gz", NULL, 0);
    trie_index(&lp.trie);
    while (ds_warm(ld, 4096, 0))
        calls++;
    ck_assert_int_eq(calls, CHAINS_DONE - 1);
    ck_assert_int_eq(live_total("cpu"), expected_top_sum("go-cpu.cpu.top"));
    fake_now = 1005 * SEC;
    ds_step(ld);
    finish(1, "go-cpu.pb.gz", NULL, 0);
    trie_index(&lp.trie);
    for (calls = 0; ds_warm(ld, 4096, 0);)
        calls++;
    ck_assert_int_eq(calls, CHAINS_DONE - 1);  /* the new samples: built again */
    ck_assert_int_eq(live_total("cpu"), 2 * expected_top_sum("go-cpu.cpu.top"));
    live_teardown();
}
END_TEST

/* Two URLs fetch in parallel, each its own source value. */
START_TEST(live_two_urls_in_parallel)
{
    live_setup(2, 0, 0);
    ds_step(ld);
    ck_assert_int_eq(fk.n, 2);
    ck_assert_int_eq(fk.running, 2);
    finish(1, "go-cpu.pb.gz", NULL, 2000 * SEC);
    finish(0, "go-heap.pb.gz", NULL, 2001 * SEC);
    ck_assert_uint_eq(lp.nsources, 2);
    ck_assert_int_eq(lp.sources[0].time_nanos > 0, 1);
    struct ds_query q = { .kind = DS_LABEL_VALUES, .label = "source" };
    struct ds_req *r = ds_submit(ld, DS_NOSLOT, &q);
    struct ds_result res;
    ds_step(ld);
    ck_assert_int_eq(ds_take(r, &res), 0);
    ck_assert_uint_eq(res.nids, 2);
    ck_assert_str_eq(profile_str(&lp, res.ids[0]), "127.0.0.1:1");
    ck_assert_str_eq(profile_str(&lp, res.ids[1]), "127.0.0.1:2");
    ds_result_free(&res);
    ds_release(r);
    /* --every 0: once, no more */
    fake_now += 3600 * SEC;
    ck_assert_int_eq(ds_next_deadline(ld), DS_NEVER);
    ds_step(ld);
    ck_assert_int_eq(fk.n, 2);
    live_teardown();
}
END_TEST

/* Space: no fetch starts while paused; resuming starts the overdue one. */
START_TEST(live_pause_resume)
{
    char status[256];

    live_setup(1, 2 * SEC, 0);
    ds_step(ld);
    finish(0, "go-cpu.pb.gz", NULL, 0);
    ds_live_pause(ld, 1);
    ck_assert_int_eq(ds_live_paused(ds_live_of(ld)), 1);
    ck_assert_int_eq(ds_next_deadline(ld), DS_NEVER);
    ds_live_status(ld, status, sizeof status);
    ck_assert_str_eq(status, "paused (Space resumes)");
    fake_now += 10 * SEC;
    ds_step(ld);
    ck_assert_int_eq(fk.n, 1);
    ds_live_pause(ld, 0);
    ck_assert_int_eq(ds_next_deadline(ld) <= fake_now, 1);
    ds_step(ld);
    ck_assert_int_eq(fk.n, 2);
    live_teardown();
}
END_TEST

/* --keep-steps 2: the third landing drops the first (its samples go, the
 * total is two profiles'); the default keeps LIVE_DEFAULT_KEEP_STEPS. */
START_TEST(live_keep_steps_drops_oldest)
{
    live_setup(1, SEC, 2);
    for (int i = 0; i < 3; i++) {
        ds_step(ld);
        ck_assert_int_eq(fk.n, i + 1);
        finish(i, i == 0 ? "go-heap.pb.gz" : "go-cpu.pb.gz", NULL, (2000 + i) * SEC);
        fake_now += SEC;
    }
    ck_assert_uint_eq(ds_live_steps(ld), 2);
    ck_assert_uint_eq(lp.nsources, 2);
    ck_assert_int_eq(live_total("cpu"), 2 * expected_top_sum("go-cpu.cpu.top"));
    ck_assert_int_eq(live_total("alloc_space"), 0);     /* the heap step went */
    live_teardown();
}
END_TEST

/* A failing server: the data stays, no step is added (a gap, not a zero),
 * the status bar has the last error, the next period tries again. Garbage
 * is refused the same way. */
START_TEST(live_failures_keep_data)
{
    char status[256];

    live_setup(1, 2 * SEC, 0);
    ds_step(ld);
    finish(0, "go-cpu.pb.gz", NULL, 0);
    fake_now += 2 * SEC;
    ds_step(ld);
    finish(1, NULL, "HTTP 500: boom", 0);
    ck_assert_uint_eq(lp.nsources, 1);
    ck_assert_uint_eq(ds_live_steps(ld), 1);
    ck_assert_int_eq(live_total("cpu"), expected_top_sum("go-cpu.cpu.top"));
    ds_live_status(ld, status, sizeof status);
    ck_assert_str_eq(status, "next fetch in 2s | last error: 127.0.0.1:1: HTTP 500: boom");
    fake_now += 2 * SEC;
    ds_step(ld);
    ck_assert_int_eq(fk.n, 3);
    finish(2, "bad/garbage.bin", NULL, 0);
    ck_assert_uint_eq(lp.nsources, 1);
    ck_assert_int_eq(live_total("cpu"), expected_top_sum("go-cpu.cpu.top"));
    ck_assert_ptr_nonnull(strstr(ds_live_error(ld), "127.0.0.1:1: "));
    live_teardown();
}
END_TEST

/* --keep 90s: a landing drops the steps more than 90 s older than the
 * newest, by the profiles' own times (go tool pprof -raw: the demo's cpu-00
 * is at 19:32:10.438992695, cpu-07 at 19:32:20.938009953). */
START_TEST(live_keep_duration)
{
    struct live_options o = { .urls = two_urls, .nurls = 1, .seconds = 1, .every_ns = SEC,
                              .keep_ns = 90 * SEC };
    struct load_options lo = { .max_size = 1 << 30 };
    int64_t t0, t7;

    memset(&fk, 0, sizeof fk);
    fake_now = 1000 * SEC;
    profile_init(&lp);
    ld = ds_live_new(&lp, &o, &lo, &fake_feed);
    ds_set_clock(ld, fake_clock, NULL);
    ds_step(ld);
    finish(0, "../../src/demo/profiles/cpu-00.pb.gz", NULL, 0);
    t0 = lp.sources[0].time_nanos;
    fake_now += SEC;
    ds_step(ld);
    finish(1, "../../src/demo/profiles/cpu-07.pb.gz", NULL, 0);
    t7 = lp.sources[1].time_nanos;
    ck_assert_int_eq(t7 - t0, 10499017258LL);  /* 20.938009953 - 10.438992695 s: both kept */
    ck_assert_uint_eq(lp.nsources, 2);
    fake_now += SEC;
    ds_step(ld);
    /* a profile without a time of its own is dated by its fetch's end:
     * 100 s after cpu-07, so both demo steps are past --keep */
    finish(2, "folded-small.txt", NULL, t7 + 100 * SEC);
    ck_assert_uint_eq(lp.nsources, 1);
    ck_assert_int_eq(lp.sources[0].time_nanos, t7 + 100 * SEC);
    ck_assert_uint_eq(ds_live_steps(ld), 1);
    live_teardown();
}
END_TEST

/* --record: a body that loads is written as received; a folder that
 * cannot be written is the last error and the profile stays in memory. */
START_TEST(live_record)
{
    char dir[] = "/tmp/ember-live-XXXXXX", cmd[600];
    struct live_options o = { .urls = two_urls, .nurls = 1, .seconds = 1, .record_dir = dir };
    struct load_options lo = { .max_size = 1 << 30 };
    size_t len;
    uint8_t *body = read_fixture("go-cpu.pb.gz", &len);

    ck_assert_ptr_nonnull(mkdtemp(dir));
    memset(&fk, 0, sizeof fk);
    profile_init(&lp);
    ld = ds_live_new(&lp, &o, &lo, &fake_feed);
    ds_step(ld);
    finish(0, "go-cpu.pb.gz", NULL, 0);
    ck_assert_str_eq(ds_live_error(ld), "");
    snprintf(cmd, sizeof cmd, "cmp -s %s/* %s/go-cpu.pb.gz", dir, TEST_DATA);
    ck_assert_int_eq(system(cmd), 0);       /* exactly as received */
    live_teardown();
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);

    o.record_dir = "/nonexistent/ember-live";
    memset(&fk, 0, sizeof fk);
    profile_init(&lp);
    ld = ds_live_new(&lp, &o, &lo, &fake_feed);
    ds_step(ld);
    finish(0, "go-cpu.pb.gz", NULL, 0);
    ck_assert_ptr_nonnull(strstr(ds_live_error(ld), "--record /nonexistent/ember-live: "));
    ck_assert_uint_eq(lp.nsources, 1);
    ck_assert_int_eq(live_total("cpu"), expected_top_sum("go-cpu.cpu.top"));
    live_teardown();
    free(body);
}
END_TEST

/* Held (the explorer asking in the middle of a draw), a step answers
 * requests but lands nothing and starts nothing; released, it lands. */
START_TEST(live_hold)
{
    live_setup(1, SEC, 0);
    ds_step(ld);
    ck_assert_int_eq(fk.n, 1);
    queued = 0;
    queued_fixture = "go-cpu.pb.gz";
    ds_live_hold(ld, 1);
    ck_assert_uint_eq(lp.nsources, 0);
    ds_step(ld);
    ck_assert_uint_eq(lp.nsources, 0);
    ds_live_hold(ld, 0);
    ds_step(ld);
    ck_assert_uint_eq(lp.nsources, 1);
    fake_now += 5 * SEC;
    ds_live_hold(ld, 1);
    ds_step(ld);
    ck_assert_int_eq(fk.n, 1);          /* overdue, but held */
    ds_live_hold(ld, 0);
    ds_step(ld);
    ck_assert_int_eq(fk.n, 2);
    live_teardown();
}
END_TEST

/* Heap and mutex snapshots fetched one after another are a series per
 * URL, as the files of a folder are: cumulative types become deltas, the
 * in-use memory is averaged over the steps, not summed. Fetching the
 * embersnap series (tests/data/snapshots) from two URLs gives the numbers
 * of ember on the folder, and alloc_space telescopes to each run's last
 * snapshot (go tool pprof -top, tests/data/snapshots/pprof.txt): heap-04's
 * 29251352 + heap-06's 8877936 = 38129288 (heap-05 starts a second run). */
START_TEST(live_snapshots_are_a_series)
{
    static const char *types[] = { "alloc_space", "alloc_objects", "inuse_space", "inuse_objects",
                                   "contentions", "delay" };
    struct profile folder;
    char name[64];

    live_setup(2, SEC, 0);
    for (int i = 1; i <= 6; i++) {
        ds_step(ld);
        ck_assert_int_eq(fk.n, 2 * i);
        snprintf(name, sizeof name, "snapshots/series/heap-%02d.pb.gz", i);
        finish(2 * i - 2, name, NULL, 0);
        snprintf(name, sizeof name, "snapshots/series/mutex-%02d.pb.gz", i);
        finish(2 * i - 1, name, NULL, 0);
        fake_now += SEC;
    }
    ck_assert_uint_eq(lp.nsources, 12);
    profile_init(&folder);
    load_into(&folder, "snapshots/series");
    for (int t = 0; t < 6; t++)
        ck_assert_msg(live_total(types[t]) == total_of(&folder, types[t]), "%s: %lld live, %lld folder",
                      types[t], (long long)live_total(types[t]), (long long)total_of(&folder, types[t]));
    /* heap-01 is the baseline (snapshot.h): 38129288 - 5247368 */
    ck_assert_int_eq(live_total("alloc_space"), 32881920);
    profile_free(&folder);
    live_teardown();
}
END_TEST

/* Esc cancels a running fetch at once; the period goes on. */
START_TEST(live_cancel_running)
{
    live_setup(1, 3 * SEC, 0);
    ds_step(ld);
    ck_assert_int_eq(fk.running, 1);
    ds_live_cancel(ds_live_of(ld));
    ck_assert_int_eq(fk.running, 0);
    ck_assert_int_eq(fk.t[0]->cancelled, 1);
    ck_assert_int_eq(ds_next_deadline(ld), 1003 * SEC);
    live_teardown();
}
END_TEST

/* --- the explorer on the live data set --- */

static struct fx vf;

/* The explorer opened on nothing yet, its data set live on the fake feed:
 * one URL every 2 s. */
static void explorer_live(int64_t every)
{
    struct live_options o = { .urls = two_urls, .nurls = 1, .seconds = 1, .every_ns = every };
    struct load_options lo = { .max_size = 1 << 30 };

    memset(&fk, 0, sizeof fk);
    fake_now = 1000 * SEC;
    fx_begin(&vf);
    fx_start(&vf, 0, NULL, "127.0.0.1:1", 140, 30);
    app_live(&vf.a, &o, &lo, &fake_feed);
    ds_set_clock(vf.a.ds, fake_clock, NULL);
    app_tick(&vf.a);
    fx_render(&vf);
}

static void explorer_close(void)
{
    fx_close(&vf);
    for (int i = 0; i < fk.n; i++)
        free(fk.t[i]);
}

/* Transfer i lands demo profile cpu-0N; the loop's tick hands it over. */
static void land_demo(int i, int n)
{
    char name[64];

    snprintf(name, sizeof name, "../../src/demo/profiles/cpu-%02d.pb.gz", n);
    finish(i, name, NULL, 0);
    app_tick(&vf.a);
    fx_render(&vf);
}

/* The status bar says what runs; the first profile fills the views, the
 * second makes a timeline of two steps; the selection and the zoom stay
 * across a landing; Space pauses and says so; keys are answered while a
 * fetch runs. */
START_TEST(explorer_grows_with_each_fetch)
{
    struct side *a = &vf.a.side[0];

    explorer_live(2 * SEC);
    ck_assert_int_eq(fk.n, 1);
    ck_assert_ptr_nonnull(strstr(fx_status(&vf), "fetching 127.0.0.1:1 ... 0.0s"));
    fake_now += SEC;
    ck_assert_int_ne(app_tick(&vf.a) & R_REDRAW, 0);     /* the clock on the status bar */
    fx_render(&vf);
    ck_assert_ptr_nonnull(strstr(fx_status(&vf), "fetching 127.0.0.1:1 ... 1.0s"));
    fx_key(&vf, '2');                                   /* a key while fetching */
    ck_assert_ptr_nonnull(strstr(vf.rows[0], "[Table]"));
    land_demo(0, 0);
    ck_assert_uint_eq(vf.p.nsources, 1);
    ck_assert_int_gt(a->flat.grand_total, 0);
    ck_assert_uint_eq(a->ntotal, vf.p.trie.count);
    int64_t one = a->flat.grand_total;
    ck_assert_ptr_nonnull(strstr(fx_status(&vf), "next fetch in 1s"));
    fx_key(&vf, '1');
    fx_key(&vf, 'j');
    fx_key(&vf, K_ENTER);                               /* zoom on a child of the root */
    uint32_t zoom_frame = vf.a.side[0].flame.tree.node[vf.a.side[0].flame.zoom].frame;
    uint32_t sel = vf.a.sel_frame;
    ck_assert_uint_ne(vf.a.side[0].flame.zoom, 0);
    fake_now += SEC;
    app_tick(&vf.a);
    ck_assert_int_eq(fk.n, 2);
    uint32_t frames_before = vf.p.nframes;
    land_demo(1, 1);
    ck_assert_uint_eq(vf.p.nsources, 2);
    ck_assert_uint_eq(a->ntotal, vf.p.trie.count);
    ck_assert_uint_gt(vf.p.nframes, frames_before);     /* new functions came */
    for (uint32_t fr = 0; fr < vf.p.nframes; fr++) {    /* the hue cache followed them */
        size_t len;
        const char *name = app_frame_name(&vf.a, fr, &len);

        ck_assert_int_eq(app_frame_hue(&vf.a, fr), theme_hue(name, len));
    }
    ck_assert_int_gt(a->flat.grand_total, one);
    ck_assert_uint_eq(vf.a.tl.buckets, 2);              /* two captures, two steps */
    ck_assert_uint_eq(vf.a.sel_frame, sel);
    ck_assert_uint_ne(vf.a.side[0].flame.zoom, 0);
    ck_assert_uint_eq(vf.a.side[0].flame.tree.node[vf.a.side[0].flame.zoom].frame, zoom_frame);
    fx_key(&vf, ' ');
    ck_assert_ptr_nonnull(strstr(fx_status(&vf), "paused"));
    fake_now += 10 * SEC;
    app_tick(&vf.a);
    ck_assert_int_eq(fk.n, 2);                          /* none while paused */
    fx_key(&vf, ' ');
    ck_assert_int_eq(fk.n, 3);                          /* overdue: at once */
    explorer_close();
}
END_TEST

/* The tag explorer grouped by source follows each landing: its rows, the
 * timeline's steps per source (sized for the sources before the landing
 * until the core follows the data: never read past them). */
START_TEST(explorer_tags_follow)
{
    explorer_live(2 * SEC);
    land_demo(0, 3);
    fx_key(&vf, '5');
    ck_assert_int_eq(tags_group_by(&vf.a, "source"), 0);
    fx_render(&vf);
    for (int i = 1; i < 4; i++) {
        fake_now += 2 * SEC;
        app_tick(&vf.a);
        ck_assert_int_eq(fk.n, i + 1);
        land_demo(i, 3 + i);
        ck_assert_uint_eq(vf.a.tl.buckets, (uint32_t)i + 1);   /* one step a capture */
    }
    ck_assert_int_ge(fx_row_with(&vf, "127.0.0.1:1"), 0);
    ck_assert_uint_eq(vf.p.nsources, 4);
    explorer_close();
}
END_TEST

/* Esc cancels the running fetch at once and says so; a failure's message
 * stays on the status bar and the numbers stay. */
START_TEST(explorer_esc_and_failures)
{
    explorer_live(2 * SEC);
    ck_assert_int_eq(fk.running, 1);
    fx_key(&vf, K_ESC);
    ck_assert_int_eq(fk.running, 0);
    ck_assert_ptr_nonnull(strstr(fx_status(&vf), "cancelled"));
    fake_now += 2 * SEC;
    app_tick(&vf.a);
    land_demo(1, 2);
    int64_t total = vf.a.side[0].flat.grand_total;
    fake_now += 2 * SEC;
    app_tick(&vf.a);
    finish(2, NULL, "connection refused", 0);
    app_tick(&vf.a);
    fx_render(&vf);
    ck_assert_ptr_nonnull(strstr(fx_status(&vf), "last error: 127.0.0.1:1: connection refused"));
    ck_assert_int_eq(vf.a.side[0].flat.grand_total, total);
    ck_assert_uint_eq(vf.p.nsources, 1);
    explorer_close();
}
END_TEST

Suite *live_suite(void)
{
    Suite *s = suite_create("live");
    TCase *tc = tcase_create("live");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, append_equals_loading_together);
    tcase_add_test(tc, incremental_index_equals_full);
    tcase_add_test(tc, incremental_index_random_batches);
    tcase_add_test(tc, drop_sources_keeps_the_rest);
    tcase_add_test(tc, live_fetches_every_period);
    tcase_add_test(tc, live_folds_in_idle_time);
    tcase_add_test(tc, live_two_urls_in_parallel);
    tcase_add_test(tc, live_pause_resume);
    tcase_add_test(tc, live_keep_steps_drops_oldest);
    tcase_add_test(tc, live_failures_keep_data);
    tcase_add_test(tc, live_cancel_running);
    tcase_add_test(tc, live_hold);
    tcase_add_test(tc, live_snapshots_are_a_series);
    tcase_add_test(tc, live_keep_duration);
    tcase_add_test(tc, live_record);
    tcase_add_test(tc, explorer_grows_with_each_fetch);
    tcase_add_test(tc, explorer_esc_and_failures);
    tcase_add_test(tc, explorer_tags_follow);
    suite_add_tcase(s, tc);
    return s;
}
