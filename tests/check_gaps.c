/* Gaps on the timeline (timeline.h in_bucket, widget_timeline.c): a step
 * with no profile (a failed fetch, a server that stopped) is no data, drawn
 * apart from a step whose value is zero. */
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "source.h"
#include "timeline.h"
#include "view_fx.h"

#define SEC 1000000000LL

/* CPU profiles at 0, 10, 20, 30 and 90 s: on 5 buckets of 18 s, bucket
 * floor(t / 90 * 5): 0, 0, 1, 1, 4; buckets 2 and 3 hold none. */
static const int64_t at[5] = { 0, 10, 20, 30, 90 };

static void hole(struct profile *p)
{
    char err[SOURCE_ERR_MAX];

    profile_init(p);
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(folded_load(p, 0, (const uint8_t *)"m;x 5\n", 6, err), 0);
        p->sources[i].time_nanos = at[i] * SEC;
    }
    profile_finish(p);
}

START_TEST(buckets_count_their_profiles)
{
    static const uint32_t want[5] = { 2, 2, 0, 0, 1 };
    struct profile p;
    struct timeline t;
    int64_t series[5];

    hole(&p);
    timeline_init(&t, &p, 0, 5);
    timeline_series(&t, &p, 0, NULL, series);
    for (int b = 0; b < 5; b++)
        ck_assert_uint_eq(t.in_bucket[b], want[b]);
    ck_assert_int_eq(series[2], 0);         /* the value alone reads as idle */
    ck_assert_int_eq(series[4], 5);
    timeline_free(&t);
    ck_assert_ptr_null(t.in_bucket);
    timeline_init(&t, &p, 0, 0);            /* no buckets: nothing to count */
    ck_assert_ptr_null(t.in_bucket);
    timeline_free(&t);
    profile_free(&p);
}
END_TEST

/* The explorer's timeline, 5 steps over 100 columns: columns 40..79 are
 * buckets 2 and 3, the gap (a middle dot each); the others are bars. */
START_TEST(timeline_draws_a_gap)
{
    struct fx f;
    const char *row;
    int y;

    fx_begin(&f);
    for (int i = 0; i < 5; i++)
        fx_add_folded(&f, "m;x 5\n", 0);
    for (int i = 0; i < 5; i++)
        f.p.sources[i].time_nanos = at[i] * SEC;
    fx_start(&f, 0, NULL, "gaps", 100, 30);
    ck_assert_uint_eq(f.a.tl.buckets, 5);
    fx_render(&f);
    y = fx_row_with(&f, "\u00b7\u00b7\u00b7");
    ck_assert_int_ge(y, 0);
    row = f.rows[y];
    /* 40 dots, and nothing else of the row is one */
    {
        int dots = 0;

        for (const char *c = row; (c = strstr(c, "\u00b7")); c += 2)
            dots++;
        ck_assert_int_eq(dots, 40);
    }
    fx_close(&f);
}
END_TEST

Suite *gaps_suite(void)
{
    Suite *s = suite_create("gaps");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, buckets_count_their_profiles);
    tcase_add_test(tc, timeline_draws_a_gap);
    suite_add_tcase(s, tc);
    return s;
}
