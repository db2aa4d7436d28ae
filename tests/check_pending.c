/* Every view while an answer is pending, done, cancelled, failed and
 * superseded: the explorer's data set behind a test source that answers
 * 800 ms after each request on a fake clock (no sleeping), or fails.
 *
 * The numbers are pprof's: go-cpu's total is 2.95s ("Total samples" of
 * go tool pprof -top), {region="eu-north"} 1.51s (-tagfocus=region=^eu-north$)
 * and {region="us-east", worker!="a"} the sum of its -tagfocus/-tagignore
 * table (tests/data/expected, read with expected_top_sum). */
#include <stdio.h>
#include <string.h>

#include "check_suites.h"
#include "dataset.h"
#include "units.h"
#include "view_fx.h"

#define MS 1000000LL
#define EU "{region=\"eu-north\"}"
#define US "{region=\"us-east\", worker!=\"a\"}"

static int64_t fake_now;

static int64_t fake_clock(void *ctx)
{
    (void)ctx;
    return fake_now;
}

struct view_case {
    int key;                    /* opens it */
    const char *name;           /* the header's [Name] */
    int two;                    /* the header shows "A x  B y" */
};

static const struct view_case cases[] = {
    { '1', "[Flamegraph]", 0 }, { '2', "[Table]", 0 }, { '3', "[Both]", 0 },
    { '4', "[Sandwich]", 0 }, { '5', "[Tags]", 0 }, { '6', "[Comparison]", 1 },
    { '7', "[Diff]", 1 }, { 'I', "[Metadata]", 0 },
};

/* go-cpu in view c, its data set then behind a test source on the fake
 * clock: delay ms, every fail_every-th request failing (0: none). */
static void open_on(struct fx *f, const struct view_case *c, int64_t delay, unsigned fail_every,
                    const char *type)
{
    fx_begin(f);
    fx_add_file(f, "go-cpu.pb.gz");
    fx_start(f, profile_find_type(&f->p, type), NULL, "go-cpu", 140, 30);
    fx_key(f, c->key);
    ck_assert_msg(strstr(f->rows[0], c->name), "%s: header %s", c->name, f->rows[0]);
    fake_now = 0;
    app_test_source(&f->a, delay * MS, fail_every, "server said no");
    ds_set_clock(f->a.ds, fake_clock, NULL);
    fx_render(f);
}

static void open_view(struct fx *f, const struct view_case *c, int64_t delay, unsigned fail_every)
{
    open_on(f, c, delay, fail_every, "cpu");
}

/* The clock moves ms on; the loop's tick hands over what came. */
static void advance(struct fx *f, int64_t ms)
{
    fake_now += ms * MS;
    app_tick(&f->a);
    fx_render(f);
}

/* Until nothing is pending (an answer may bring another request: the tag
 * rows follow side A's values). */
static void finish(struct fx *f)
{
    for (int i = 0; i < 10 && app_pending(&f->a); i++)
        advance(f, 800);
    ck_assert_int_eq(app_pending(&f->a), 0);
}

/* The header's total of side A is v (pprof's number, in ember's units). */
static int shows_total(struct fx *f, const struct view_case *c, int64_t v)
{
    char num[UNITS_BUF], want[UNITS_BUF + 16];

    app_format(&f->a, v, num, sizeof num);
    snprintf(want, sizeof want, c->two ? "A %s " : "total %s ", num);
    return strstr(f->rows[0], want) != NULL;
}

static void query(struct fx *f, const char *q)
{
    fx_key(f, ':');
    fx_key(f, K_CTRL('u'));     /* the prompt opens on the side's query */
    fx_type(f, q);
    fx_key(f, K_ENTER);
}

#define HEADER_HAS(f, c, v) \
    ck_assert_msg(shows_total(f, c, v), "%s: header %s", (c)->name, (f)->rows[0])

static const int64_t ALL = 2950000000, EUV = 1510000000;

/* Pending: the previous numbers stay and the status bar names what is
 * awaited with its elapsed time; done: the new numbers. */
START_TEST(pending_then_done)
{
    const struct view_case *c = &cases[_i];
    struct fx f;

    ck_assert_int_eq(expected_top_sum("go-cpu.cpu.top"), ALL);
    ck_assert_int_eq(expected_top_sum("go-cpu.cpu.q-eu-north.top"), EUV);
    open_view(&f, c, 800, 0);
    HEADER_HAS(&f, c, ALL);
    query(&f, EU);
    ck_assert_msg(strstr(fx_status(&f), "loading " EU " ... 0.0s"), "%s: %s", c->name,
                  fx_status(&f));
    HEADER_HAS(&f, c, ALL);
    advance(&f, 300);
    ck_assert_msg(strstr(fx_status(&f), "loading " EU " ... 0.3s"), "%s: %s", c->name,
                  fx_status(&f));
    HEADER_HAS(&f, c, ALL);
    if (c->key == '5')          /* the rows shown are still of every region */
        ck_assert_int_gt(fx_rows_with(&f, "us-east"), 0);
    advance(&f, 500);
    HEADER_HAS(&f, c, EUV);
    finish(&f);
    ck_assert_ptr_null(strstr(fx_status(&f), "loading"));
    HEADER_HAS(&f, c, EUV);
    if (c->key == '5')          /* now only eu-north's */
        ck_assert_int_eq(fx_rows_with(&f, "us-east"), 0);
    fx_close(&f);
}
END_TEST

/* Esc while pending: the previous numbers and query stay, `cancelled`, and
 * the answer that would have come later never shows. */
START_TEST(cancelled)
{
    const struct view_case *c = &cases[_i];
    struct fx f;

    open_view(&f, c, 800, 0);
    query(&f, EU);
    advance(&f, 400);
    fx_key(&f, K_ESC);
    ck_assert_msg(strstr(fx_status(&f), "cancelled"), "%s: %s", c->name, fx_status(&f));
    ck_assert_ptr_null(strstr(fx_status(&f), "loading"));
    HEADER_HAS(&f, c, ALL);
    ck_assert_str_eq(f.a.side[0].query, "{}");  /* what the numbers are of */
    advance(&f, 2000);
    HEADER_HAS(&f, c, ALL);
    ck_assert_int_eq(app_pending(&f.a), 0);
    fx_close(&f);
}
END_TEST

/* A failure: the previous numbers stay, the source's message shows. */
START_TEST(failed)
{
    const struct view_case *c = &cases[_i];
    struct fx f;

    open_view(&f, c, 800, 1);
    query(&f, EU);
    ck_assert(strstr(fx_status(&f), "loading " EU));
    advance(&f, 800);
    ck_assert_msg(strstr(fx_status(&f), "server said no"), "%s: %s", c->name, fx_status(&f));
    HEADER_HAS(&f, c, ALL);
    ck_assert_str_eq(f.a.side[0].query, "{}");
    fx_close(&f);
}
END_TEST

/* Two queries in a row: the first's answer, due first, never shows; the
 * second's does. */
START_TEST(superseded)
{
    const struct view_case *c = &cases[_i];
    int64_t us = expected_top_sum("go-cpu.cpu.q-us-east-not-a.top");
    struct fx f;

    open_view(&f, c, 800, 0);
    query(&f, EU);
    advance(&f, 400);
    query(&f, US);
    advance(&f, 500);           /* EU's answer was due at 800 */
    HEADER_HAS(&f, c, ALL);
    ck_assert_msg(!shows_total(&f, c, EUV), "%s: %s", c->name, f.rows[0]);
    ck_assert(strstr(fx_status(&f), "loading {region=\"us-east\""));
    advance(&f, 300);
    HEADER_HAS(&f, c, us);
    finish(&f);
    HEADER_HAS(&f, c, us);
    fx_close(&f);
}
END_TEST

/* The type picker's totals (DS_TYPES) while pending: "..." rather than a
 * number or "(empty)"; then go-cpu's (go tool pprof -sample_index=samples
 * -top: "Total samples = 295"; cpu 2.95s). */
START_TEST(types_pending)
{
    struct fx f;

    open_view(&f, &cases[0], 800, 0);   /* cpu, the default: no note asked the totals */
    fx_key(&f, 't');
    ck_assert_msg(strstr(fx_status(&f), "loading the sample types' totals"), "%s", fx_status(&f));
    ck_assert_int_eq(fx_rows_with(&f, "cpu (nanoseconds)"), 2);     /* header and menu */
    ck_assert_int_eq(fx_rows_with(&f, "samples (count)"), 1);
    ck_assert_int_eq(fx_rows_with(&f, "..."), 2);
    ck_assert_int_eq(fx_rows_with(&f, "(empty)"), 0);
    advance(&f, 800);
    ck_assert_int_eq(fx_rows_with(&f, "..."), 0);
    ck_assert_int_gt(fx_row_with(&f, "samples (count)"), 0);
    ck_assert(strstr(f.rows[fx_row_with(&f, "samples (count)")], " 295"));
    ck_assert(strstr(f.rows[fx_row_with(&f, "* cpu (nanoseconds)")], " 2.95s"));
    fx_close(&f);
}
END_TEST

/* The tag explorer's next label (DS_GROUP): the rows and their label stay
 * until the new rows come; Esc keeps them. */
START_TEST(tags_label_pending)
{
    struct fx f;
    char first[64];

    open_view(&f, &cases[4], 800, 0);
    snprintf(first, sizeof first, "group by %s ", tags_label(&f.a));
    ck_assert_int_gt(fx_row_with(&f, first), 0);
    fx_key(&f, 'l');
    ck_assert(strstr(fx_status(&f), "grouped by"));
    ck_assert_int_gt(fx_row_with(&f, first), 0);        /* still the rows shown */
    fx_key(&f, K_ESC);
    ck_assert(strstr(fx_status(&f), "cancelled"));
    advance(&f, 1000);
    ck_assert_int_gt(fx_row_with(&f, first), 0);
    fx_key(&f, 'l');
    advance(&f, 800);
    ck_assert_int_lt(fx_row_with(&f, first), 0);        /* the next label's rows */
    fx_close(&f);
}
END_TEST

/* The diff opened before B's values came: it says it waits (no diff of A
 * against nothing), the note that both sides select the same samples comes
 * with B's values, then the diff table. Likewise the comparison draws B's
 * pane once its values came. */
START_TEST(side_b_unknown_yet)
{
    struct fx f;
    int y;

    open_view(&f, &cases[0], 800, 0);
    fx_key(&f, '7');
    ck_assert_int_gt(fx_row_with(&f, "(waiting for B's values)"), 0);
    ck_assert(strstr(fx_status(&f), "loading B {}"));
    ck_assert_int_lt(fx_row_with(&f, "A and B select the same samples"), 0);
    advance(&f, 800);
    ck_assert_int_lt(fx_row_with(&f, "(waiting for B's values)"), 0);
    ck_assert_msg(strstr(fx_status(&f), "A and B select the same samples: to set B"), "%s",
                  fx_status(&f));
    ck_assert_int_gt(fx_row_with(&f, "Function"), 0);   /* the diff table */
    ck_assert(strstr(f.rows[0], "A 2.95s  B 2.95s"));
    fx_close(&f);

    open_view(&f, &cases[0], 800, 0);
    fx_key(&f, '6');
    y = fx_row_with(&f, "runtime/pprof.Do");
    ck_assert_int_gt(y, 0);
    ck_assert_ptr_null(strstr(strstr(f.rows[y], "runtime/pprof.Do") + 1, "runtime/pprof.Do"));
    ck_assert_int_gt(fx_row_with(&f, "B {}  total ..."), 0);        /* not "0ns" */
    advance(&f, 800);
    ck_assert(strstr(strstr(f.rows[y], "runtime/pprof.Do") + 1, "runtime/pprof.Do"));  /* both */
    ck_assert_int_gt(fx_row_with(&f, "B {}  total 2.95s"), 0);
    fx_close(&f);
}
END_TEST

/* The tag explorer's first label names pending: it says it waits, not
 * that the profiles have no labels; then go-cpu's own label (region,
 * chosen over file: `go tool pprof -tags` lists region and worker). */
START_TEST(tags_names_pending)
{
    struct fx f;

    open_view(&f, &cases[0], 800, 0);
    fx_key(&f, '5');
    ck_assert_int_gt(fx_row_with(&f, "(waiting for the label names)"), 0);
    ck_assert_int_lt(fx_row_with(&f, "no labels"), 0);
    ck_assert(strstr(fx_status(&f), "loading the label names"));
    finish(&f);
    ck_assert_int_gt(fx_row_with(&f, "group by region "), 0);
    ck_assert_int_gt(fx_row_with(&f, "eu-north"), 0);
    fx_close(&f);
}
END_TEST

/* A time range change cancelled: the range on the timeline goes back to
 * the one the numbers are of, and so do the numbers. */
START_TEST(range_cancelled)
{
    struct fx f;
    char header[512];

    fx_begin(&f);
    fx_add_path(&f, "src/demo/profiles");       /* eight CPU profiles: eight steps */
    fx_start(&f, f.p.default_type, NULL, "demo", 140, 30);
    fx_key(&f, '1');
    fake_now = 0;
    app_test_source(&f.a, 800 * MS, 0, NULL);
    ds_set_clock(f.a.ds, fake_clock, NULL);
    fx_render(&f);
    snprintf(header, sizeof header, "%s", f.rows[0]);
    ck_assert_int_gt(fx_row_with(&f, "all 8 steps"), 0);
    fx_key(&f, ']');            /* the range starts a step later */
    ck_assert_msg(strstr(fx_status(&f), "loading {} (a time range) ... 0.0s"), "%s",
                  fx_status(&f));
    ck_assert_str_eq(f.rows[0], header);
    ck_assert_uint_eq(f.a.side[0].lo, 1);
    fx_key(&f, K_ESC);
    ck_assert(strstr(fx_status(&f), "cancelled"));
    ck_assert_uint_eq(f.a.side[0].lo, 0);
    ck_assert_int_gt(fx_row_with(&f, "all 8 steps"), 0);
    ck_assert(f.a.side[0].sel.from == INT64_MIN);
    advance(&f, 1000);
    ck_assert_str_eq(f.rows[0], header);
    fx_key(&f, ']');            /* and when it comes: a smaller total */
    finish(&f);
    ck_assert_str_ne(f.rows[0], header);
    ck_assert_int_gt(fx_row_with(&f, "range "), 0);
    fx_close(&f);
}
END_TEST

/* A sample type change (t) pending: the header keeps the type and unit of
 * the numbers shown; Esc goes back to it; done: go-cpu's samples, 295
 * (go tool pprof -sample_index=samples -top: "Total samples = 295"). */
START_TEST(type_cancelled)
{
    struct fx f;
    uint32_t cpu, samples;

    open_view(&f, &cases[0], 800, 0);
    cpu = profile_find_type(&f.p, "cpu");
    samples = profile_find_type(&f.p, "samples");
    for (int round = 0; round < 2; round++) {
        fx_key(&f, 't');
        finish(&f);             /* the picker's totals */
        for (int i = (((int)samples - (int)f.a.type) % (int)f.p.ntypes + (int)f.p.ntypes) %
                     (int)f.p.ntypes; i > 0; i--)
            fx_key(&f, 'j');    /* the picker's cursor, from the current type down */
        fx_key(&f, K_ENTER);
        ck_assert(strstr(fx_status(&f), "loading {}"));
        ck_assert(strstr(f.rows[0], "cpu (nanoseconds)  total 2.95s"));
        if (round == 0) {
            fx_key(&f, K_ESC);
            ck_assert_uint_eq(f.a.type, cpu);
            ck_assert(strstr(f.rows[0], "cpu (nanoseconds)  total 2.95s"));
        }
    }
    finish(&f);
    ck_assert_uint_eq(f.a.type, samples);
    ck_assert_msg(strstr(f.rows[0], "samples (count)  total 295 "), "%s", f.rows[0]);
    fx_close(&f);
}
END_TEST

Suite *pending_suite(void)
{
    Suite *s = suite_create("pending");
    TCase *tc = tcase_create("pending");
    int n = (int)(sizeof cases / sizeof *cases);

    tcase_add_loop_test(tc, pending_then_done, 0, n);
    tcase_add_loop_test(tc, cancelled, 0, n);
    tcase_add_loop_test(tc, failed, 0, n);
    tcase_add_loop_test(tc, superseded, 0, n);
    tcase_add_test(tc, types_pending);
    tcase_add_test(tc, tags_label_pending);
    tcase_add_test(tc, side_b_unknown_yet);
    tcase_add_test(tc, tags_names_pending);
    tcase_add_test(tc, range_cancelled);
    tcase_add_test(tc, type_cancelled);
    suite_add_tcase(s, tc);
    return s;
}
