/* The data-set interface: the local source answers what the query
 * functions compute, on the first step; the test sources delay (on a fake
 * clock, no sleeping) and fail; cancel and a superseding request drop the
 * older answer. Totals are checked against go tool pprof's tables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "dataset.h"
#include "source.h"
#include "xalloc.h"

#define EU "{region=\"eu-north\"}"
#define MS 1000000LL

static struct profile prof;
static int64_t fake_now;
static int notified;
static struct ds_req *last_notified;

static int64_t fake_clock(void *ctx)
{
    (void)ctx;
    return fake_now;
}

static void on_answer(void *ctx, struct ds_req *r)
{
    (void)ctx;
    notified++;
    last_notified = r;
}

static void load(const char *file)
{
    char path[512], err[SOURCE_ERR_MAX];
    struct load_options o = { .max_size = 1 << 30 };

    snprintf(path, sizeof path, "%s/%s", TEST_DATA, file);
    profile_init(&prof);
    ck_assert_msg(!source_load_path(&prof, path, &o, err), "%s", err);
    profile_finish(&prof);
    fake_now = 0;
    notified = 0;
    last_notified = NULL;
}

static struct ds_query merge(const char *query)
{
    return (struct ds_query){ .kind = DS_MERGE, .type = profile_find_type(&prof, "cpu"),
                              .query = query, .from = INT64_MIN, .until = INT64_MAX,
                              .notify = on_answer };
}

/* Submits q to d, steps once and returns the answer, which must be done. */
static struct ds_result ask(struct dataset *d, const struct ds_query *q)
{
    struct ds_req *r = ds_submit(d, DS_NOSLOT, q);
    struct ds_result res;

    ck_assert_int_eq(ds_state(r), DS_PENDING);   /* never answered inside submit */
    ds_step(d);
    ck_assert_msg(ds_state(r) == DS_DONE, "state %d: %s", ds_state(r), ds_error(r));
    ck_assert_int_eq(ds_take(r, &res), 0);
    ck_assert_int_eq(ds_take(r, &res), -1);      /* taken once */
    ds_release(r);
    return res;
}

/* The local source's merge is query_totals_flat's, and its total is pprof's
 * for -tagfocus=region=^eu-north$ (1.51s). */
START_TEST(local_merge_equals_query)
{
    struct dataset *d;
    struct ds_query q;
    struct ds_result res;
    struct selector sel;
    struct filter f;
    struct flat flat;
    int64_t *total;
    char err[SELECTOR_ERR_MAX];

    load("go-cpu.pb.gz");
    d = ds_local_new(&prof);
    q = merge(EU);
    res = ask(d, &q);
    ck_assert_int_eq(notified, 1);
    ck_assert_int_eq(expected_top_sum("go-cpu.cpu.q-eu-north.top"), 1510000000);
    ck_assert_int_eq(res.flat.grand_total, expected_top_sum("go-cpu.cpu.q-eu-north.top"));
    ck_assert_int_eq(selector_parse(EU, &sel, err), 0);
    filter_build(&f, &sel, &prof);
    total = xcalloc(prof.trie.count, sizeof *total);
    query_totals_flat(&prof, q.type, &f, total, &flat);
    ck_assert_uint_eq(res.ntotal, prof.trie.count);
    ck_assert_int_eq(memcmp(res.total, total, prof.trie.count * sizeof *total), 0);
    ck_assert_uint_eq(res.flat.count, flat.count);
    for (uint32_t i = 0; i < flat.count; i++) {
        ck_assert_uint_eq(res.flat.rows[i].frame, flat.rows[i].frame);
        ck_assert_int_eq(res.flat.rows[i].self, flat.rows[i].self);
        ck_assert_int_eq(res.flat.rows[i].total, flat.rows[i].total);
    }
    ck_assert_uint_eq(res.type, q.type);
    flat_free(&flat);
    free(total);
    filter_free(&f);
    selector_free(&sel);
    ds_result_free(&res);
    q = merge("{}");            /* every sample: pprof's "Total samples = 2.95s" */
    res = ask(d, &q);
    ck_assert_int_eq(res.flat.grand_total, expected_top_sum("go-cpu.cpu.top"));
    ck_assert_int_eq(res.flat.grand_total, 2950000000);
    ds_result_free(&res);
    ds_free(d);
    profile_free(&prof);
}
END_TEST

/* Types, label names and values, a series and the grouped series are what
 * the query functions return. */
START_TEST(local_other_answers)
{
    struct dataset *d;
    struct ds_query q = { .from = INT64_MIN, .until = INT64_MAX, .query = "{}" };
    struct ds_result res;
    struct timeline t;
    int64_t tot[PROFILE_MAX_TYPES], series[8];
    uint32_t n, *ids, key;
    struct tag_row *rows;
    int eu = 0;

    load("go-cpu.pb.gz");
    d = ds_local_new(&prof);
    q.kind = DS_TYPES;
    res = ask(d, &q);
    query_type_totals(&prof, tot);
    ck_assert_uint_eq(res.ntypes, prof.ntypes);
    ck_assert_int_eq(memcmp(res.type_totals, tot, prof.ntypes * sizeof *tot), 0);
    ck_assert_int_eq(memcmp(res.types, prof.types, prof.ntypes * sizeof *prof.types), 0);
    ck_assert_int_eq(res.type_totals[profile_find_type(&prof, "cpu")], 2950000000);
    ds_result_free(&res);

    q.kind = DS_LABEL_NAMES;
    q.type = profile_find_type(&prof, "cpu");
    res = ask(d, &q);
    ids = tags_names(&prof, &n);
    ck_assert_uint_eq(res.nids, n);
    ck_assert_int_eq(memcmp(res.ids, ids, n * sizeof *ids), 0);
    free(ids);
    ds_result_free(&res);

    q.kind = DS_LABEL_VALUES;
    q.label = "region";
    res = ask(d, &q);
    ck_assert_uint_gt(res.nids, 1);
    for (uint32_t i = 0; i < res.nids; i++) {
        eu += !strcmp(profile_str(&prof, res.ids[i]), "eu-north");
        if (i)                  /* sorted, distinct */
            ck_assert_int_lt(strcmp(profile_str(&prof, res.ids[i - 1]),
                                    profile_str(&prof, res.ids[i])), 0);
    }
    ck_assert_int_eq(eu, 1);
    ds_result_free(&res);

    q.kind = DS_SERIES;
    q.buckets = 8;
    res = ask(d, &q);
    timeline_init(&t, &prof, q.type, 8);
    timeline_series(&t, &prof, q.type, NULL, series);
    ck_assert_uint_eq(res.nseries, t.buckets ? t.buckets : 1);
    ck_assert_int_eq(memcmp(res.series, series, res.nseries * sizeof *series), 0);
    ds_result_free(&res);

    q.kind = DS_GROUP;
    q.query = EU;
    res = ask(d, &q);
    {
        struct selector sel;
        struct filter f;
        char err[SELECTOR_ERR_MAX];

        ck_assert_int_eq(selector_parse(EU, &sel, err), 0);
        filter_build(&f, &sel, &prof);
        key = strtab_find(&prof.strings, "region", 6);
        rows = tags_group(&prof, q.type, &f, key, &t, &n);
        filter_free(&f);
        selector_free(&sel);
    }
    ck_assert_uint_eq(res.nrows, n);
    ck_assert_uint_eq(n, 1);    /* only eu-north passes the query */
    ck_assert_str_eq(profile_str(&prof, res.rows[0].value), "eu-north");
    ck_assert_int_eq(res.rows[0].total, rows[0].total);
    ck_assert_int_eq(res.rows[0].total, 1510000000);
    tags_free_rows(rows, n);
    timeline_free(&t);
    ds_result_free(&res);
    ds_free(d);
    profile_free(&prof);
}
END_TEST

/* A bad query or an unknown type fails with a message, not a crash. */
START_TEST(local_bad_query_fails)
{
    struct dataset *d;
    struct ds_query q;
    struct ds_req *r;

    load("go-cpu.pb.gz");
    d = ds_local_new(&prof);
    q = merge("{region=}");
    r = ds_submit(d, DS_NOSLOT, &q);
    ds_step(d);
    ck_assert_int_eq(ds_state(r), DS_FAILED);
    ck_assert_msg(!strncmp(ds_error(r), "query: column", 13), "%s", ds_error(r));
    ck_assert_int_eq(notified, 1);
    ds_release(r);
    q = merge("walltime{}");
    r = ds_submit(d, DS_NOSLOT, &q);
    ds_step(d);
    ck_assert_int_eq(ds_state(r), DS_FAILED);
    ck_assert_str_eq(ds_error(r), "query: no sample type 'walltime'");
    ds_release(r);
    ds_free(d);
    profile_free(&prof);
}
END_TEST

/* The slow source: pending until its delay has passed on the clock, with a
 * deadline that says when; then the local source's very answer. */
START_TEST(slow_pending_then_done)
{
    struct dataset *d;
    struct ds_query q;
    struct ds_req *r;
    struct ds_result res;

    load("go-cpu.pb.gz");
    d = ds_test_new(ds_local_new(&prof), 500 * MS, 0, NULL);
    ds_set_clock(d, fake_clock, NULL);
    fake_now = 1000 * MS;
    q = merge(EU);
    r = ds_submit(d, 0, &q);
    ck_assert_int_eq(ds_started(r), 1000 * MS);
    ck_assert_int_le(ds_next_deadline(d), fake_now);    /* the inner one works now */
    ds_step(d);
    ck_assert_int_eq(ds_state(r), DS_PENDING);
    ck_assert_int_eq(ds_next_deadline(d), 1500 * MS);   /* then waits for its time */
    fake_now = 1499 * MS;
    ds_step(d);
    ck_assert_int_eq(ds_state(r), DS_PENDING);
    ck_assert_int_eq(notified, 0);
    ck_assert_uint_eq(ds_pending(d), 1);
    fake_now = 1500 * MS;
    ds_step(d);
    ck_assert_int_eq(ds_state(r), DS_DONE);
    ck_assert_int_eq(notified, 1);
    ck_assert_ptr_eq(last_notified, r);
    ck_assert_int_eq(ds_next_deadline(d), DS_NEVER);
    ck_assert_uint_eq(ds_pending(d), 0);
    ck_assert_int_eq(ds_take(r, &res), 0);
    ck_assert_int_eq(res.flat.grand_total, 1510000000);
    ds_result_free(&res);
    ds_release(r);
    ds_free(d);
    profile_free(&prof);
}
END_TEST

/* A cancelled request never answers, and its result is never kept. */
START_TEST(cancel_drops_answer)
{
    struct dataset *d;
    struct ds_query q;
    struct ds_req *r;
    struct ds_result res;

    load("go-cpu.pb.gz");
    d = ds_test_new(ds_local_new(&prof), 500 * MS, 0, NULL);
    ds_set_clock(d, fake_clock, NULL);
    q = merge(EU);
    r = ds_submit(d, 0, &q);
    ds_step(d);                 /* the inner answer is in, waiting */
    ds_cancel(r);
    ck_assert_int_eq(ds_state(r), DS_CANCELLED);
    ck_assert_str_eq(ds_error(r), "cancelled");
    ck_assert_int_eq(ds_next_deadline(d), DS_NEVER);
    fake_now = 2000 * MS;
    ds_step(d);
    ck_assert_int_eq(ds_state(r), DS_CANCELLED);
    ck_assert_int_eq(ds_take(r, &res), -1);
    ck_assert_int_eq(notified, 0);
    ds_release(r);
    /* on the local source too, before its first step */
    ds_free(d);
    d = ds_local_new(&prof);
    r = ds_submit(d, 0, &q);
    ds_cancel(r);
    ds_step(d);
    ck_assert_int_eq(ds_state(r), DS_CANCELLED);
    ck_assert_int_eq(notified, 0);
    ds_release(r);
    ds_free(d);
    profile_free(&prof);
}
END_TEST

/* A newer request for a slot drops the older one's late answer; other
 * slots are left alone. */
START_TEST(newer_supersedes_older)
{
    struct dataset *d;
    struct ds_query qa, qb;
    struct ds_req *old, *other, *newer;
    struct ds_result res;

    load("go-cpu.pb.gz");
    d = ds_test_new(ds_local_new(&prof), 500 * MS, 0, NULL);
    ds_set_clock(d, fake_clock, NULL);
    qa = merge(EU);
    qb = merge("{}");
    old = ds_submit(d, 0, &qa);
    other = ds_submit(d, 1, &qa);
    ds_step(d);
    fake_now = 100 * MS;
    newer = ds_submit(d, 0, &qb);
    ck_assert_int_eq(ds_state(old), DS_CANCELLED);
    ck_assert_str_eq(ds_error(old), "superseded");
    fake_now = 500 * MS;        /* old's time: only slot 1 answers */
    ds_step(d);
    ck_assert_int_eq(ds_state(other), DS_DONE);
    ck_assert_int_eq(ds_state(newer), DS_PENDING);
    ck_assert_int_eq(notified, 1);
    fake_now = 600 * MS;
    ds_step(d);
    ck_assert_int_eq(ds_state(newer), DS_DONE);
    ck_assert_int_eq(notified, 2);
    ck_assert_ptr_eq(last_notified, newer);
    ck_assert_int_eq(ds_take(old, &res), -1);
    ck_assert_int_eq(ds_take(newer, &res), 0);
    ck_assert_int_eq(res.flat.grand_total, 2950000000);
    ds_result_free(&res);
    ds_release(old);
    ds_release(other);          /* its result, not taken, goes with it */
    ds_release(newer);
    ds_free(d);
    profile_free(&prof);
}
END_TEST

/* The failing source: every request, or every Nth, fails with its message. */
START_TEST(failure_carries_message)
{
    struct dataset *d;
    struct ds_query q;
    struct ds_req *r[4];

    load("go-cpu.pb.gz");
    q = merge(EU);
    d = ds_test_new(ds_local_new(&prof), 0, 1, "server said no");
    r[0] = ds_submit(d, DS_NOSLOT, &q);
    ds_step(d);
    ck_assert_int_eq(ds_state(r[0]), DS_FAILED);
    ck_assert_str_eq(ds_error(r[0]), "server said no");
    ck_assert_int_eq(notified, 1);
    ds_release(r[0]);
    ds_free(d);
    d = ds_test_new(ds_local_new(&prof), 0, 2, NULL);
    for (int i = 0; i < 4; i++)
        r[i] = ds_submit(d, DS_NOSLOT, &q);
    ds_step(d);
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(ds_state(r[i]), i % 2 ? DS_FAILED : DS_DONE);
        ck_assert_str_eq(ds_error(r[i]), i % 2 ? "test failure" : "");
        ds_release(r[i]);
    }
    /* an inner failure comes through a slow wrapper with its own message */
    ds_free(d);
    d = ds_test_new(ds_test_new(ds_local_new(&prof), 0, 1, "inner no"), 300 * MS, 0, NULL);
    ds_set_clock(d, fake_clock, NULL);
    r[0] = ds_submit(d, DS_NOSLOT, &q);
    ds_step(d);
    ck_assert_int_eq(ds_state(r[0]), DS_PENDING);
    ck_assert_int_eq(ds_next_deadline(d), 300 * MS);
    fake_now = 300 * MS;
    ds_step(d);
    ck_assert_int_eq(ds_state(r[0]), DS_FAILED);
    ck_assert_str_eq(ds_error(r[0]), "inner no");
    ds_release(r[0]);
    ds_free(d);
    profile_free(&prof);
}
END_TEST

/* A notify may submit again (the UI re-queries from there); handles that
 * outlive their data set are still released cleanly. */
static struct dataset *again_d;
static struct ds_req *again_r;

static void submit_again(void *ctx, struct ds_req *r)
{
    struct ds_query q = *ds_req_query(r);

    (void)ctx;
    notified++;
    q.notify = NULL;
    again_r = ds_submit(again_d, 0, &q);
}

START_TEST(notify_may_submit)
{
    struct ds_query q;
    struct ds_req *r, *left;

    load("go-cpu.pb.gz");
    again_d = ds_local_new(&prof);
    q = merge(EU);
    q.notify = submit_again;
    r = ds_submit(again_d, 0, &q);
    ds_step(again_d);
    ck_assert_int_eq(notified, 1);
    ck_assert_int_eq(ds_state(r), DS_DONE);
    ck_assert_int_eq(ds_state(again_r), DS_PENDING);
    left = ds_submit(again_d, 1, &q);
    ds_free(again_d);           /* cancels what is pending */
    ck_assert_int_eq(ds_state(again_r), DS_CANCELLED);
    ck_assert_int_eq(ds_state(left), DS_CANCELLED);
    ds_release(r);
    ds_release(again_r);
    ds_release(left);
    profile_free(&prof);
}
END_TEST

/* An answer given back lends its per-node array to the next merge, whose
 * values are still the query's own (1.51s for eu-north, as pprof). */
START_TEST(recycled_merge_reuses_memory)
{
    struct dataset *d;
    struct ds_query q;
    struct ds_result first, second, third;
    int64_t *mem;

    load("go-cpu.pb.gz");
    d = ds_test_new(ds_local_new(&prof), 0, 0, NULL);
    q = merge("{}");
    first = ask(d, &q);
    mem = first.total;
    ds_recycle(d, &first);
    ck_assert_ptr_null(first.total);
    q = merge(EU);
    second = ask(d, &q);
    ck_assert_ptr_eq(second.total, mem);
    ck_assert_int_eq(second.flat.grand_total, 1510000000);
    ck_assert_int_eq(second.total[0], 1510000000);      /* the root */
    third = ask(d, &q);         /* nothing given back: new memory */
    ck_assert_ptr_ne(third.total, mem);
    ds_result_free(&second);
    ds_recycle(d, &third);      /* kept until the data set goes */
    ds_free(d);
    profile_free(&prof);
}
END_TEST

/* poll's timeout follows the deadline on the data set's clock. */
START_TEST(poll_timeout_follows_deadline)
{
    struct dataset *d;
    struct ds_query q;
    struct ds_req *r;

    load("go-cpu.pb.gz");
    d = ds_test_new(ds_local_new(&prof), 500 * MS, 0, NULL);
    ds_set_clock(d, fake_clock, NULL);
    ck_assert_int_eq(ds_poll_timeout(d, -1), -1);       /* nothing to wait for */
    ck_assert_int_eq(ds_poll_timeout(d, 100), 100);
    q = merge(EU);
    r = ds_submit(d, 0, &q);
    ck_assert_int_eq(ds_poll_timeout(d, -1), 0);        /* the local answer is due */
    ds_step(d);
    ck_assert_int_eq(ds_poll_timeout(d, -1), 500);
    ck_assert_int_eq(ds_poll_timeout(d, 100), 100);     /* a frame's cap */
    fake_now = 499 * MS + 1;    /* 0.999999 ms left: rounded up */
    ck_assert_int_eq(ds_poll_timeout(d, -1), 1);
    fake_now = 600 * MS;
    ck_assert_int_eq(ds_poll_timeout(d, -1), 0);
    ds_step(d);
    ck_assert_int_eq(ds_state(r), DS_DONE);
    ds_release(r);
    ds_free(d);
    profile_free(&prof);
}
END_TEST

START_TEST(test_spec_parse)
{
    struct ds_test_spec s;
    char err[128];

    ck_assert_int_eq(ds_test_parse("slow:500ms", &s, err, sizeof err), 0);
    ck_assert_int_eq(s.delay_ns, 500 * MS);
    ck_assert_uint_eq(s.fail_every, 0);
    ck_assert_int_eq(ds_test_parse("fail", &s, err, sizeof err), 0);
    ck_assert_uint_eq(s.fail_every, 1);
    ck_assert_int_eq(s.delay_ns, 0);
    ck_assert_int_eq(ds_test_parse("slow:2s,fail:3", &s, err, sizeof err), 0);
    ck_assert_int_eq(s.delay_ns, 2000 * MS);
    ck_assert_uint_eq(s.fail_every, 3);
    ck_assert_int_eq(ds_test_parse("slow:250", &s, err, sizeof err), 0);
    ck_assert_int_eq(s.delay_ns, 250 * MS);
    ck_assert_int_eq(ds_test_parse("slow:", &s, err, sizeof err), -1);
    ck_assert_str_eq(err, "'slow:': expected slow:DURATION, fail or fail:N");
    ck_assert_int_eq(ds_test_parse("fail:0", &s, err, sizeof err), -1);
    ck_assert_int_eq(ds_test_parse("slow:5h", &s, err, sizeof err), -1);
    ck_assert_int_eq(ds_test_parse("fast", &s, err, sizeof err), -1);
    ck_assert_int_eq(ds_test_parse("", &s, err, sizeof err), -1);
}
END_TEST

Suite *dataset_suite(void)
{
    Suite *s = suite_create("dataset");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, local_merge_equals_query);
    tcase_add_test(tc, local_other_answers);
    tcase_add_test(tc, local_bad_query_fails);
    tcase_add_test(tc, slow_pending_then_done);
    tcase_add_test(tc, cancel_drops_answer);
    tcase_add_test(tc, newer_supersedes_older);
    tcase_add_test(tc, failure_carries_message);
    tcase_add_test(tc, notify_may_submit);
    tcase_add_test(tc, recycled_merge_reuses_memory);
    tcase_add_test(tc, poll_timeout_follows_deadline);
    tcase_add_test(tc, test_spec_parse);
    suite_add_tcase(s, tc);
    return s;
}
