/* The review's findings on --base / --diff-base (issue 13, basefix).
 * The fixture, by hand (as check_base.c's): the profile (source 0) is
 *   main;grow 10, main;shrink 2, main 1, other 3, x;y 3
 * and the base (source 1) is
 *   main;grow 4, main;shrink 7, main 1, other 3, x;z 3
 * merged by stack: grow +6, shrink -5, main 0, other 0, y +3, z -3; pprof's
 * total (computeTotal, the sum of |v|) is 6 + 5 + 3 + 3 = 17, the net 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "check_suites.h"
#include "query.h"
#include "source.h"
#include "view_fx.h"
#include "view_tags.h"

static const char profile_txt[] = "main;grow 10\nmain;shrink 2\nmain 1\nother 3\nx;y 3\n";
static const char base_txt[] = "main;grow 4\nmain;shrink 7\nmain 1\nother 3\nx;z 3\n";

static void open_based(struct fx *f, enum base_kind kind)
{
    char err[SOURCE_ERR_MAX];

    fx_begin(f);
    fx_add_folded(f, profile_txt, 0);
    fx_add_folded(f, base_txt, 0);
    ck_assert_uint_eq(f->p.nsources, 2);
    ck_assert_int_eq(base_check(&f->p, 1, err, sizeof err), 0);
    base_mark(&f->p, 1, kind);
    fx_start(f, 0, NULL, "based", 120, 30);
    fx_render(f);
}

/* Point 1: focus on grow keeps its +6: pprof's "accounting for 6, 35.29%
 * of 17 total" (6 / 17 = 0.3529); it said 6 of the net 1 (600%). */
START_TEST(focus_header_is_of_pprofs_total)
{
    struct fx f;
    int r;

    open_based(&f, BASE_SUBTRACT);
    fx_key(&f, '2');                    /* the table: grow (|6|) first */
    r = fx_row_with(&f, "grow");
    ck_assert_int_ge(r, 0);
    fx_key(&f, 'f');
    ck_assert_msg(strstr(f.rows[0], "focus=^grow$  showing 6, 35.29% of 17 total"),
                  "header: %s", f.rows[0]);
    /* point 8: the profile minus its base, not their sum */
    ck_assert_msg(strstr(f.rows[0], "difference of 2 profiles"), "header: %s", f.rows[0]);
    fx_close(&f);
}
END_TEST

/* Point 3: the flamegraph draws main as wide as what grew below it (grow's
 * 6); the status bar says main's signed values, as the table and pprof:
 * self 0, total 6 - 5 + 0 = 1, 1 / 17 = 5.88%. */
START_TEST(flame_status_is_signed)
{
    struct fx f;

    open_based(&f, BASE_SUBTRACT);
    fx_key(&f, '1');
    fx_key(&f, 'j');                    /* the root's largest child: main */
    ck_assert_msg(strstr(fx_status(&f), "main"), "status: %s", fx_status(&f));
    ck_assert_msg(strstr(fx_status(&f), " self 0 (0.00%)  total 1 (5.88%)"), "status: %s",
                  fx_status(&f));
    fx_key(&f, 'j');                    /* grow: +6 either way */
    ck_assert_msg(strstr(fx_status(&f), " self 6 (35.29%)  total 6 (35.29%)"), "status: %s",
                  fx_status(&f));
    fx_close(&f);
}
END_TEST

/* Point 6: per region, profile minus base, by hand: a 10 - 30 = -20,
 * b 2 - 442 = -440, c 100 - 0 = +100; by size b, c, a (signed it was c,
 * a, b); shares of 440 + 100 + 20 = 560: b -78.57%, c 17.86%, a -3.57%. */
START_TEST(tags_sort_by_size)
{
    struct fx f;
    char err[SOURCE_ERR_MAX];
    int rb, rc, ra;

    fx_begin(&f);
    fx_add_folded(&f, "main;x 10\n", fx_labelset(&f, "region", "a"));
    fx_add_folded(&f, "main;y 2\n", fx_labelset(&f, "region", "b"));
    fx_add_folded(&f, "main;z 100\n", fx_labelset(&f, "region", "c"));
    fx_add_folded(&f, "main;x 30\n", fx_labelset(&f, "region", "a"));
    fx_add_folded(&f, "main;y 442\n", fx_labelset(&f, "region", "b"));
    ck_assert_int_eq(base_check(&f.p, 3, err, sizeof err), 0);
    base_mark(&f.p, 3, BASE_SUBTRACT);
    fx_start(&f, 0, NULL, "tags", 140, 30);
    app_set_view(&f.a, VIEW_TAGS);
    fx_render(&f);
    ck_assert_int_eq(tags_group_by(&f.a, "region"), 0);
    fx_render(&f);
    rb = fx_row_with(&f, "-78.57%");
    rc = fx_row_with(&f, "17.86%");
    ra = fx_row_with(&f, "-3.57%");
    ck_assert_int_ge(rb, 0);
    ck_assert_int_gt(rc, rb);
    ck_assert_int_gt(ra, rc);
    ck_assert_msg(strstr(f.rows[rb], " b "), "%s", f.rows[rb]);
    ck_assert_msg(strstr(f.rows[ra], " a "), "%s", f.rows[ra]);
    fx_close(&f);
}
END_TEST

Suite *basefix_suite(void)
{
    Suite *s = suite_create("basefix");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, focus_header_is_of_pprofs_total);
    tcase_add_test(tc, flame_status_is_signed);
    tcase_add_test(tc, tags_sort_by_size);
    suite_add_tcase(s, tc);
    return s;
}
