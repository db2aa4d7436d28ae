#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "diff.h"
#include "source.h"
#include "timeline.h"

/* Four profiles at t = 0, 10, 20, 30 s, labelled region a/b, values known. */
static void dataset(struct profile *p)
{
    static const char *stacks[] = { "m;x 2\n", "m;x 4\n", "m;y 6\n", "m;y 8\n" };
    char err[SOURCE_ERR_MAX];

    profile_init(p);
    for (int i = 0; i < 4; i++) {
        size_t first = p->nsamples;
        struct label l = { .key = profile_intern(p, "region", 6),
                           .str = profile_intern(p, i < 2 ? "a" : "b", 1) };
        uint32_t set = profile_labelset(p, &l, 1);

        ck_assert_int_eq(folded_load(p, 0, (const uint8_t *)stacks[i], strlen(stacks[i]), err), 0);
        p->sources[p->nsources - 1].time_nanos = (int64_t)i * 10 * 1000000000LL;
        for (size_t s = first; s < p->nsamples; s++)
            p->samples[s].labels = set;
    }
    profile_finish(p);
}

START_TEST(buckets_follow_profile_times)
{
    struct profile p;
    struct timeline t;
    int64_t series[4];

    dataset(&p);
    timeline_init(&t, &p, 0, 4);
    ck_assert_uint_eq(t.buckets, 4);
    for (uint32_t s = 0; s < 4; s++)
        ck_assert_uint_eq(t.bucket_of[s], s);
    timeline_series(&t, &p, 0, NULL, series);
    ck_assert_int_eq(series[0], 2);
    ck_assert_int_eq(series[3], 8);
    ck_assert_int_eq(timeline_time(&t, 2), 15 * 1000000000LL);
    timeline_free(&t);
    timeline_init(&t, &p, 0, 2);          /* two buckets: 0,10 | 20,30 */
    timeline_series(&t, &p, 0, NULL, series);
    ck_assert_int_eq(series[0], 6);
    ck_assert_int_eq(series[1], 14);
    timeline_free(&t);
    profile_free(&p);
}
END_TEST

START_TEST(one_instant_has_no_timeline)
{
    struct profile p;
    struct timeline t;
    char err[SOURCE_ERR_MAX];

    profile_init(&p);
    ck_assert_int_eq(folded_load(&p, 0, (const uint8_t *)"a 1\n", 4, err), 0);
    timeline_init(&t, &p, 0, 10);
    ck_assert_uint_eq(t.buckets, 0);
    timeline_free(&t);
    profile_free(&p);
}
END_TEST

START_TEST(tag_statistics)
{
    struct profile p;
    struct timeline t;
    struct tag_row *rows;
    uint32_t n, nkeys, *keys;

    dataset(&p);
    timeline_init(&t, &p, 0, 4);
    keys = tags_names(&p, &nkeys);
    ck_assert_uint_eq(nkeys, 1);
    rows = tags_group(&p, 0, NULL, keys[0], &t, &n);
    ck_assert_uint_eq(n, 2);
    for (uint32_t i = 0; i < n; i++) {
        const char *v = profile_str(&p, rows[i].value);

        if (!strcmp(v, "a")) {          /* series 2 4 0 0 */
            ck_assert_int_eq(rows[i].total, 6);
            ck_assert(fabs(rows[i].mean - 1.5) < 1e-9);
            ck_assert(fabs(rows[i].stddev - sqrt(((0.5 * 0.5) + (2.5 * 2.5) + 2 * 1.5 * 1.5) / 4)) < 1e-9);
        } else {                        /* series 0 0 6 8 */
            ck_assert_str_eq(v, "b");
            ck_assert_int_eq(rows[i].total, 14);
            ck_assert(fabs(rows[i].mean - 3.5) < 1e-9);
            ck_assert(fabs(rows[i].stddev - sqrt((3.5 * 3.5 * 2 + 2.5 * 2.5 + 4.5 * 4.5) / 4)) < 1e-9);
        }
    }
    tags_free_rows(rows, n);
    free(keys);
    timeline_free(&t);
    profile_free(&p);
}
END_TEST

START_TEST(diff_is_normalized_and_clamped)
{
    /* 10% of 1000 then 20% of 500: the share doubled */
    ck_assert(fabs(diff_change(100, 1000, 100, 500) - 100) < 1e-9);
    /* same share with four times the samples: no change */
    ck_assert(fabs(diff_change(100, 1000, 400, 4000)) < 1e-9);
    ck_assert(fabs(diff_change(100, 1000, 50, 1000) + 50) < 1e-9);
    ck_assert(fabs(diff_change(0, 1000, 5, 1000) - 100) < 1e-9);   /* new */
    ck_assert(fabs(diff_change(5, 1000, 0, 1000) + 100) < 1e-9);   /* removed */
    ck_assert(fabs(diff_change(10, 1000, 90, 1000) - 100) < 1e-9); /* clamped */
    ck_assert(fabs(diff_change(0, 1000, 0, 1000)) < 1e-9);
    ck_assert(fabs(diff_change(5, 0, 5, 0)) < 1e-9);
}
END_TEST

START_TEST(diff_levels)
{
    ck_assert_int_eq(diff_level(0), 0);
    ck_assert_int_eq(diff_level(9.9), 0);
    ck_assert_int_eq(diff_level(-9.9), 0);
    ck_assert_int_eq(diff_level(10), 1);
    ck_assert_int_eq(diff_level(30), 2);
    ck_assert_int_eq(diff_level(-50), -3);
    ck_assert_int_eq(diff_level(70), 4);
    ck_assert_int_eq(diff_level(100), DIFF_LEVELS);
    ck_assert_int_eq(diff_level(-100), -DIFF_LEVELS);
}
END_TEST

Suite *timeline_suite(void)
{
    Suite *s = suite_create("timeline");
    TCase *tc = tcase_create("time");

    tcase_add_test(tc, buckets_follow_profile_times);
    tcase_add_test(tc, one_instant_has_no_timeline);
    tcase_add_test(tc, tag_statistics);
    tcase_add_test(tc, diff_is_normalized_and_clamped);
    tcase_add_test(tc, diff_levels);
    suite_add_tcase(s, tc);
    return s;
}
