/* Fitting names into columns: a name too wide keeps its end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canvas.h"
#include "check_suites.h"
#include "text.h"

/* The text a column of w shows for s: "…" + the kept tail, or s whole. */
static const char *fit(const char *s, int w, int utf8)
{
    static char out[256];
    int cut;
    size_t at = text_fit_tail(s, strlen(s), w, utf8, &cut);

    snprintf(out, sizeof out, "%s%s", cut ? "\u2026" : "", s + at);
    return out;
}

START_TEST(a_name_that_fits_is_whole)
{
    ck_assert_str_eq(fit("sort.partition", 14, 1), "sort.partition");
    ck_assert_str_eq(fit("sort.partition", 40, 1), "sort.partition");
    ck_assert_str_eq(fit("", 0, 1), "");
}
END_TEST

START_TEST(a_long_name_keeps_its_end)
{
    /* 24 columns into 15: the ellipsis and the last 14 */
    ck_assert_str_eq(fit("lib/utilities/foo.py:bar", 15, 1), "\u2026ies/foo.py:bar");
    ck_assert_str_eq(fit("github.com/x/y/pkg.(*T).Method", 16, 1), "\u2026pkg.(*T).Method");
    ck_assert_str_eq(fit("sort.partition", 13, 1), "\u2026rt.partition");   /* 14 into 13 */
    ck_assert_str_eq(fit("abc", 1, 1), "\u2026");
    ck_assert_str_eq(fit("abc", 0, 1), "");
}
END_TEST

START_TEST(wide_and_escaped_characters_are_never_split)
{
    /* 関数名 is three two-column characters: 6 columns */
    ck_assert_int_eq(text_width("関数名", strlen("関数名"), 1), 6);
    /* into 4: the ellipsis, then one wide character (3 columns would split one) */
    ck_assert_str_eq(fit("関数名", 4, 1), "\u2026名");
    ck_assert_str_eq(fit("関数名", 5, 1), "\u2026数名");
    /* an escaped control takes four columns (\x1b): it goes whole */
    ck_assert_int_eq(text_width("a\x1b" "bc", 4, 1), 7);
    ck_assert_str_eq(fit("a\x1b" "bc", 5, 1), "\u2026bc");
    /* not UTF-8: each byte of é is escaped, so it counts eight columns */
    ck_assert_int_eq(text_width("\xc3\xa9", 2, 0), 8);
}
END_TEST

START_TEST(canvas_writes_the_tail_after_an_ellipsis)
{
    struct canvas c;
    char *row;

    canvas_init(&c, 16, 2, 1);
    ck_assert_int_eq(canvas_name(&c, 0, 0, 15, "lib/utilities/foo.py:bar", 24, ROLE_NORMAL, 0), 15);
    row = canvas_row(&c, 0);
    ck_assert_str_eq(row, "\u2026ies/foo.py:bar ");
    free(row);
    /* clipped by the canvas edge, not only by maxw */
    ck_assert_int_eq(canvas_name(&c, 10, 1, 40, "pkg.Method", 10, ROLE_NORMAL, 0), 6);
    row = canvas_row(&c, 1);
    ck_assert_str_eq(row, "          \u2026ethod");
    free(row);
    canvas_free(&c);
    canvas_init(&c, 8, 1, 0);               /* ASCII terminals: a tilde */
    canvas_name(&c, 0, 0, 8, "pkg.(*T).Method", 15, ROLE_NORMAL, 0);
    row = canvas_row(&c, 0);
    ck_assert_str_eq(row, "~.Method");
    free(row);
    canvas_free(&c);
}
END_TEST

Suite *textfit_suite(void)
{
    Suite *s = suite_create("textfit");
    TCase *tc = tcase_create("fit");

    tcase_add_test(tc, a_name_that_fits_is_whole);
    tcase_add_test(tc, a_long_name_keeps_its_end);
    tcase_add_test(tc, wide_and_escaped_characters_are_never_split);
    tcase_add_test(tc, canvas_writes_the_tail_after_an_ellipsis);
    suite_add_tcase(s, tc);
    return s;
}
