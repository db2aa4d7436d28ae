/* The table pane that the table (2) and both (3) views share, in its own
 * room (widget_table.c): a new sort keeps the selection. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "check_suites.h"
#include "keys.h"
#include "view_fx.h"

/* main calls fn00..fn39 with self 41..2, then hit_a, hit_b, hit_c with self
 * 1: main's total is 41 + ... + 2 + 3 = 860 + 3 = 863, the largest. */
static const char *many(void)
{
    static char buf[4096];
    size_t at = 0;

    for (int i = 0; i < 40; i++)
        at += (size_t)snprintf(buf + at, sizeof buf - at, "main;fn%02d %d\n", i, 41 - i);
    snprintf(buf + at, sizeof buf - at, "main;hit_a 1\nmain;hit_b 1\nmain;hit_c 1\n");
    return buf;
}

/* The first row of the table's body (row 1 is its header: no timeline). */
static const char *first_row(struct fx *f)
{
    return f->rows[2];
}

/* A new sort keeps the selected function, as htop keeps the selected
 * process: the selection is every view's, so sorting the table must not
 * move the flamegraph's. The cursor row follows it into view. */
START_TEST(a_new_sort_keeps_the_selection)
{
    struct fx f;

    fx_open_folded(&f, many(), "many", 80, 20);
    app_set_view(&f.a, VIEW_TABLE);
    fx_render(&f);
    ck_assert_ptr_nonnull(strstr(first_row(&f), " fn00"));   /* by self: 41 */
    fx_key(&f, 'G');
    fx_key(&f, 'k');                        /* hit_c, near the end (self 1) */
    ck_assert_ptr_nonnull(strstr(fx_status(&f), " hit_c "));
    fx_key(&f, 's');                        /* by total: main (863) first */
    ck_assert_ptr_nonnull(strstr(f.rows[1], "\u25bcTotal"));
    ck_assert_ptr_nonnull(strstr(fx_status(&f), " hit_c "));
    ck_assert_int_eq(fx_rows_with(&f, "hit_c"), 1);     /* still in view */
    fx_key(&f, 'S');                        /* smallest total first */
    ck_assert_ptr_nonnull(strstr(f.rows[1], "\u25b2Total"));
    ck_assert_ptr_nonnull(strstr(fx_status(&f), " hit_c "));
    ck_assert_int_eq(fx_rows_with(&f, "hit_c"), 1);
    fx_close(&f);
}
END_TEST

/* The both view shows the same table: the sort made in 2 is there in 3. */
START_TEST(both_shares_the_table_and_its_sort)
{
    struct fx f;

    fx_open_folded(&f, many(), "many", 80, 30);
    app_set_view(&f.a, VIEW_TABLE);
    fx_key(&f, 's');                        /* by total; fn00 (first by self) stays selected */
    app_set_view(&f.a, VIEW_BOTH);
    fx_key(&f, K_TAB);                      /* the table has the keys */
    ck_assert_ptr_nonnull(strstr(fx_status(&f), " fn00 "));
    ck_assert_int_ge(fx_row_with(&f, "\u25bcTotal"), 0);
    fx_key(&f, 's');                        /* by name: A to Z, fn00 first */
    ck_assert_int_ge(fx_row_with(&f, "Function\u25b2"), 0);
    ck_assert_ptr_nonnull(strstr(fx_status(&f), " fn00 "));
    app_set_view(&f.a, VIEW_TABLE);
    fx_render(&f);
    ck_assert_ptr_nonnull(strstr(f.rows[1], "Function\u25b2"));
    ck_assert_ptr_nonnull(strstr(first_row(&f), " fn00"));
    fx_close(&f);
}
END_TEST

Suite *rooms_suite(void)
{
    Suite *s = suite_create("rooms");
    TCase *tc = tcase_create("table");

    tcase_add_test(tc, a_new_sort_keeps_the_selection);
    tcase_add_test(tc, both_shares_the_table_and_its_sort);
    suite_add_tcase(s, tc);
    return s;
}
