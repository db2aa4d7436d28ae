/* The explorer's speed work in the query helper's part (issue 14): what
 * the views skip or defer must leave the screen as it was. */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "check_suites.h"
#include "view_fx.h"

/* Self: c 7; B, a and b 5 each (byte order: B < a < b); d 1; r 0. */
static const char *ties = "r;b 5\nr;a 5\nr;c 7\nr;B 5\nr;d 1\n";

/* The names down the table's body, one a row, from row 2. */
static void table_names(struct fx *f, char *out, size_t n)
{
    out[0] = '\0';
    for (int y = 2; y < f->c.h - 2; y++) {
        char row[256];
        size_t len = strlen(f->rows[y]) < sizeof row - 1 ? strlen(f->rows[y]) : sizeof row - 1;
        const char *name;

        memcpy(row, f->rows[y], len);
        while (len && row[len - 1] == ' ')
            len--;
        row[len] = '\0';
        if (!len || !(name = strrchr(row, ' ')) || strlen(out) + strlen(name) + 1 >= n)
            continue;
        strcat(out, name + 1);
        strcat(out, ",");
    }
}

/* The default order is the flat table's own, not sorted again: by |self|
 * largest first, then name, whether the search filters it or not, and
 * again after s went round every column. */
START_TEST(table_default_order_is_the_flat_order)
{
    struct fx f;
    char names[256];

    fx_open_folded(&f, ties, "ties", 60, 14);
    app_set_view(&f.a, VIEW_TABLE);
    fx_render(&f);
    table_names(&f, names, sizeof names);
    ck_assert_str_eq(names, "c,B,a,b,d,r,");
    ck_assert_int_eq(app_set_search(&f.a, "a|b|B|d"), 0);
    fx_render(&f);
    table_names(&f, names, sizeof names);
    ck_assert_str_eq(names, "B,a,b,d,");
    ck_assert_int_eq(app_set_search(&f.a, ""), 0);
    fx_key(&f, 's');                          /* by total: r (23) first */
    table_names(&f, names, sizeof names);
    ck_assert_str_eq(names, "r,c,B,a,b,d,");
    fx_key(&f, 's');                          /* by name */
    table_names(&f, names, sizeof names);
    ck_assert_str_eq(names, "B,a,b,c,d,r,");
    fx_key(&f, 's');                          /* by self again */
    table_names(&f, names, sizeof names);
    ck_assert_str_eq(names, "c,B,a,b,d,r,");
    fx_key(&f, 'S');                          /* reversed: the same read backwards */
    table_names(&f, names, sizeof names);
    ck_assert_str_eq(names, "r,d,b,a,B,c,");
    fx_key(&f, 's');                          /* by total (s forgets the reversal) */
    table_names(&f, names, sizeof names);
    ck_assert_str_eq(names, "r,c,B,a,b,d,");
    fx_key(&f, 'S');                          /* by total, reversed */
    table_names(&f, names, sizeof names);
    ck_assert_str_eq(names, "d,b,a,B,c,r,");
    fx_close(&f);
}
END_TEST

/* Names a plain string search might get wrong: case, bytes above 0x7f (é,
 * the Kelvin sign, which REG_ICASE folds to k), invalid UTF-8, regex
 * operators taken literally or not. */
static const char *names =
    "root;Render 1\nroot;render 1\nroot;RENDER 1\nroot;xrendery 1\n"
    "root;\xc3\xa9t\xc3\xa9" "Render 1\nroot;\xe2\x84\xaa" "elvin 1\nroot;kelvin 1\nroot;Kelvin 1\n"
    "root;bad\xff\xfe" "render 1\nroot;a.b 1\nroot;axb 1\nroot;ren 1\nroot;re 1\n"
    "root;main.(*T).Render 1\nroot;R 1\n";

/* The search's match of every function is regexec's, whether the pattern
 * takes the literal fast path (no operator, ASCII) or not. */
START_TEST(search_matches_what_regexec_matches)
{
    static const char *patterns[] = { "Render", "render", "ren", "Ren", "kelvin", "Kelvin",
                                      "elvin", "a.b", "a\\.b", "R", "r", "e", "é", "xrendery!",
                                      "(\\*T)", "^ren", "der$" };
    struct fx f;

    fx_open_folded(&f, names, "names", 60, 14);
    for (size_t i = 0; i < sizeof patterns / sizeof *patterns; i++) {
        const char *pat = patterns[i];
        int icase = 1;
        regex_t re;

        for (const char *c = pat; *c; c++)
            icase &= !(*c >= 'A' && *c <= 'Z');
        ck_assert_int_eq(app_set_search(&f.a, pat), 0);
        ck_assert_int_eq(regcomp(&re, pat, REG_EXTENDED | REG_NOSUB | (icase ? REG_ICASE : 0)), 0);
        for (uint32_t fr = 0; fr < f.p.nframes; fr++) {
            const char *name = profile_str(&f.p, f.p.frames[fr].name);

            ck_assert_msg(app_frame_matches(&f.a, fr) == (regexec(&re, name, 0, NULL, 0) == 0),
                          "pattern %s, name %s", pat, name);
        }
        regfree(&re);
    }
    fx_close(&f);
}
END_TEST

Suite *qviews_suite(void)
{
    Suite *s = suite_create("qviews");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, table_default_order_is_the_flat_order);
    tcase_add_test(tc, search_matches_what_regexec_matches);
    suite_add_tcase(s, tc);
    return s;
}
