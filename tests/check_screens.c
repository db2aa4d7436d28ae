/* View tests of issue 7's "readable screens": names in the Both view, the
 * split keys, the hint bar, the search and query prompts, the help, the
 * type picker, the sandwich's labels and the flamegraph's PgDn. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "check_suites.h"
#include "query.h"
#include "view_fx.h"

/* Opens the app on a folded text (labels: every sample region=a, or the
 * first half region=a and the rest region=b when labelled), and renders. */
static void open_folded(struct fx *s, const char *folded, int w, int h, int labelled)
{
    fx_begin(s);
    fx_add_folded(s, folded, 0);
    for (size_t i = 0; labelled && i < s->p.nsamples; i++)
        s->p.samples[i].labels = fx_labelset(s, "region", i < s->p.nsamples / 2 ? "a" : "b");
    fx_start(s, 0, NULL, "fixture", w, h);
    fx_render(s);
}

/* Opens a pprof fixture on the type main would pick, and renders. */
static void open_pprof(struct fx *s, const char *name, int w, int h)
{
    fx_begin(s);
    fx_add_file(s, name);
    fx_start(s, query_nonempty_type(&s->p, s->p.default_type), NULL, name, w, h);
    fx_render(s);
}

/* 40 characters: github.com (10) /acme (5) /shop (5) /cart (5) .(*Cart) (8)
 * .Totals (7). Three Python names share their first 14 characters. */
static const char *names = "main;github.com/acme/shop/cart.(*Cart).Totals 5\n"
                           "main;lib/utilities/foo.py:bar 3\n"
                           "main;lib/utilities/baz.py:qux 2\n"
                           "main;lib/utilities/zap.py:run 1\n";

START_TEST(both_view_shows_a_40_column_name_whole_at_120)
{
    struct fx s;

    open_folded(&s, names, 120, 30, 0);
    ck_assert_int_eq(s.a.view, VIEW_BOTH);
    ck_assert_int_ge(fx_row_with(&s, "github.com/acme/shop/cart.(*Cart).Totals "), 0);
    /* 100 columns: table 50, shares only (8 + 8 + 1): 33 columns of name,
     * so the end stays: an ellipsis and the last 32 characters */
    canvas_resize(&s.c, 100, 30);
    fx_render(&s);
    ck_assert_int_ge(fx_row_with(&s, "\u2026om/acme/shop/cart.(*Cart).Totals"), 0);
    fx_close(&s);
}
END_TEST

START_TEST(split_keys_move_the_border_and_cut_names_keep_their_end)
{
    struct fx s;

    open_folded(&s, names, 120, 30, 0);
    /* no timeline here: the body starts on row 1; the border is at 50% */
    ck_assert_uint_eq(canvas_at(&s.c, 60, 2)->ch, 0x2502);
    fx_key(&s, '>');                             /* 55%: 66 */
    ck_assert_uint_eq(canvas_at(&s.c, 66, 2)->ch, 0x2502);
    ck_assert_uint_ne(canvas_at(&s.c, 60, 2)->ch, 0x2502);
    for (int i = 0; i < 5; i++)
        fx_key(&s, '<');                         /* 30%: 36 */
    ck_assert_uint_eq(canvas_at(&s.c, 36, 2)->ch, 0x2502);
    /* 36 - 17 = 19 columns of name: an ellipsis and the last 18, so the
     * three Python rows differ (they all read lib/utilit… before) */
    ck_assert_int_ge(fx_row_with(&s, "\u2026ilities/foo.py:bar\u2502"), 0);
    ck_assert_int_ge(fx_row_with(&s, "\u2026ilities/baz.py:qux\u2502"), 0);
    ck_assert_int_ge(fx_row_with(&s, "\u2026ilities/zap.py:run\u2502"), 0);
    for (int i = 0; i < 20; i++)
        fx_key(&s, '<');                         /* stops at 20%: 24 */
    ck_assert_uint_eq(canvas_at(&s.c, 24, 2)->ch, 0x2502);
    fx_close(&s);
}
END_TEST

START_TEST(hint_bar_keeps_help_and_quit_when_narrow)
{
    struct fx s;

    open_folded(&s, names, 80, 24, 1);
    ck_assert_ptr_nonnull(strstr(s.rows[23], "? help"));
    ck_assert_ptr_nonnull(strstr(s.rows[23], "q quit"));
    ck_assert_ptr_nonnull(strstr(s.rows[23], "Enter zoom"));    /* the pane's come first */
    for (int w = 60; w <= 130; w++) {           /* a gap before them at every width */
        canvas_resize(&s.c, w, 24);
        fx_render(&s);
        ck_assert_ptr_nonnull(strstr(s.rows[23], "  ? help  q quit"));
    }
    canvas_resize(&s.c, 120, 24);
    app_set_view(&s.a, VIEW_TAGS);
    fx_render(&s);
    ck_assert_ptr_nonnull(strstr(s.rows[23], "? help"));
    ck_assert_ptr_nonnull(strstr(s.rows[23], "q quit"));
    canvas_resize(&s.c, 40, 10);                /* the smallest screen */
    fx_render(&s);
    ck_assert_ptr_nonnull(strstr(s.rows[9], "? help  q quit"));
    fx_close(&s);
}
END_TEST

/* 40 functions fn00..fn39 with self 41..2, then three hits of self 1. */
static char *many_rows(void)
{
    static char buf[4096];
    size_t at = 0;

    for (int i = 0; i < 40; i++)
        at += (size_t)snprintf(buf + at, sizeof buf - at, "main;fn%02d %d\n", i, 41 - i);
    snprintf(buf + at, sizeof buf - at, "main;hit_a 1\nmain;hit_b 1\nmain;hit_c 1\n");
    return buf;
}

START_TEST(search_from_a_scrolled_table_shows_every_match)
{
    struct fx s;

    open_folded(&s, many_rows(), 80, 20, 0);
    app_set_view(&s.a, VIEW_TABLE);
    fx_key(&s, 'G');                             /* the last row: scrolled down */
    ck_assert_int_eq(fx_rows_with(&s, "fn00"), 0);      /* the first row went up */
    fx_type(&s, "/hit");
    ck_assert_uint_eq(s.a.match_count, 3);
    ck_assert_int_eq(fx_rows_with(&s, "hit_"), 3);
    fx_key(&s, K_ENTER);
    ck_assert_int_eq(fx_rows_with(&s, "hit_"), 3);
    fx_close(&s);
}
END_TEST

START_TEST(search_prompt_starts_empty_and_repeats)
{
    struct fx s;

    open_folded(&s, many_rows(), 80, 20, 0);
    app_set_view(&s.a, VIEW_TABLE);
    fx_type(&s, "/ht");
    fx_key(&s, K_LEFT);
    fx_type(&s, "i");                              /* inserted at the cursor */
    ck_assert_str_eq(fx_prompt(&s), "hit");
    fx_key(&s, K_HOME);
    fx_type(&s, "^");
    fx_key(&s, K_ENTER);
    ck_assert_str_eq(s.a.search, "^hit");
    fx_key(&s, '/');                             /* empty, not the old pattern */
    ck_assert_str_eq(fx_prompt(&s), "");
    ck_assert_int_eq(strncmp(s.rows[19], "/ \u2588", 5), 0);
    ck_assert_ptr_nonnull(strstr(s.rows[19], "Enter: /^hit/ again"));
    ck_assert_str_eq(s.a.search, "^hit");       /* still shown meanwhile */
    fx_type(&s, "fn0");
    ck_assert_str_eq(s.a.search, "fn0");        /* not ^hitfn0 */
    fx_key(&s, K_ESC);                           /* cancel: back to before */
    ck_assert_str_eq(s.a.search, "^hit");
    fx_key(&s, '/');
    fx_key(&s, K_CTRL('x'));                     /* clear */
    ck_assert_int_eq(s.a.searching, 0);
    canvas_resize(&s.c, 80, 50);                 /* room for every row */
    fx_render(&s);
    /* main, fn00..fn39, three hits: 44 rows with shares */
    ck_assert_int_eq(fx_rows_with(&s, "%"), 44);
    canvas_resize(&s.c, 80, 20);
    fx_key(&s, '/');
    fx_key(&s, K_ENTER);                         /* nothing typed: the last again */
    ck_assert_str_eq(s.a.search, "^hit");
    ck_assert_uint_eq(s.a.match_count, 3);
    fx_type(&s, "/fn1");
    fx_key(&s, K_ENTER);
    fx_key(&s, '/');
    fx_key(&s, K_UP);                            /* the history, newest first */
    ck_assert_str_eq(fx_prompt(&s), "fn1");
    fx_key(&s, K_UP);
    ck_assert_str_eq(fx_prompt(&s), "^hit");
    fx_key(&s, K_CTRL('w'));                     /* the shared editor's keys */
    ck_assert_str_eq(fx_prompt(&s), "^");
    fx_key(&s, K_ESC);
    ck_assert_str_eq(s.a.search, "fn1");
    fx_close(&s);
}
END_TEST

START_TEST(query_prompt_edits_and_completes_at_the_cursor)
{
    struct fx s;

    open_folded(&s, names, 100, 20, 1);
    fx_key(&s, ':');
    fx_key(&s, K_CTRL('u'));
    fx_type(&s, "{re}");
    fx_key(&s, K_LEFT);                          /* before the } */
    fx_key(&s, K_TAB);
    ck_assert_str_eq(fx_prompt(&s), "{region=\"}");
    /* the cursor on the 10th character, the } (the line starts at column 2) */
    ck_assert_uint_eq(canvas_at(&s.c, 2 + 9, 19)->ch, '}');
    ck_assert_int_eq(canvas_at(&s.c, 2 + 9, 19)->role, ROLE_SELECTED);
    fx_key(&s, K_TAB);                           /* a or b: the message lists them */
    ck_assert_str_eq(s.a.message, "a b");
    fx_type(&s, "b");
    fx_key(&s, K_TAB);                           /* unique: its closing quote */
    ck_assert_str_eq(fx_prompt(&s), "{region=\"b\"}");
    fx_key(&s, K_ENTER);
    ck_assert_int_eq(s.a.overlay, OV_NONE);
    ck_assert_str_eq(s.a.side[0].query, "{region=\"b\"}");
    fx_key(&s, ':');                             /* opens on the query, history behind */
    fx_key(&s, K_CTRL('u'));
    fx_key(&s, K_UP);
    ck_assert_str_eq(fx_prompt(&s), "{region=\"b\"}");
    fx_key(&s, K_ESC);
    fx_close(&s);
}
END_TEST

START_TEST(a_key_that_closes_the_help_is_not_lost)
{
    struct fx s;

    open_folded(&s, names, 100, 30, 0);
    fx_key(&s, '?');
    fx_key(&s, 'j');                             /* scrolls, stays open */
    ck_assert_int_eq(s.a.overlay, OV_HELP);
    fx_key(&s, '2');                             /* closes and switches */
    ck_assert_int_eq(s.a.overlay, OV_NONE);
    ck_assert_int_eq(s.a.view, VIEW_TABLE);
    ck_assert_int_ge(fx_row_with(&s, "Function"), 0);
    fx_key(&s, '?');
    fx_key(&s, K_ESC);                           /* only closes */
    ck_assert_int_eq(s.a.overlay, OV_NONE);
    ck_assert_int_eq(s.a.view, VIEW_TABLE);
    fx_key(&s, '?');
    ck_assert_int_eq(fx_key(&s, 'q') & R_QUIT, 0);   /* q closes the help, no more */
    ck_assert_int_eq(s.a.overlay, OV_NONE);
    fx_key(&s, '?');
    fx_key(&s, '?');
    ck_assert_int_eq(s.a.overlay, OV_NONE);
    fx_key(&s, '?');
    fx_key(&s, '/');                             /* straight into the search */
    ck_assert_int_eq(s.a.overlay, OV_SEARCH);
    fx_close(&s);
}
END_TEST

START_TEST(help_box_is_opaque_and_closed)
{
    static uint32_t first[30][78];
    struct fx s;

    open_folded(&s, names, 120, 30, 0);
    app_set_view(&s.a, VIEW_FLAME);
    fx_key(&s, '?');
    /* overlay_box(78, 40) on 120x30: 78 x 28 at (21, 1); closed on all sides */
    for (int y = 1; y < 29; y++) {
        uint32_t l = canvas_at(&s.c, 21, y)->ch, r = canvas_at(&s.c, 98, y)->ch;

        ck_assert(l == 0x2502 || l == 0x250c || l == 0x2514);
        ck_assert(r == 0x2502 || r == 0x2510 || r == 0x2518);
        for (int x = 0; x < 78; x++)
            first[y][x] = canvas_at(&s.c, 21 + x, y)->ch;
    }
    fx_key(&s, K_ESC);
    app_set_view(&s.a, VIEW_TABLE);             /* another screen behind it */
    fx_key(&s, '?');
    for (int y = 1; y < 29; y++)                /* nothing of it shows through */
        for (int x = 0; x < 78; x++)
            ck_assert_uint_eq(canvas_at(&s.c, 21 + x, y)->ch, first[y][x]);
    fx_close(&s);
}
END_TEST

START_TEST(a_wide_character_cut_by_a_box_edge_goes_whole)
{
    struct canvas c;
    char *row;

    canvas_init(&c, 10, 1, 1);
    canvas_print(&c, 0, 0, 10, "関関関関関", ROLE_NORMAL);   /* heads at 0 2 4 6 8 */
    canvas_fill(&c, 3, 0, 4, ' ', ROLE_NORMAL, 0);          /* cuts the 2nd and the 4th */
    row = canvas_row(&c, 0);
    ck_assert_str_eq(row, "関      関");
    free(row);
    for (int x = 0; x < 10; x++)        /* no tail without its head */
        if (canvas_at(&c, x, 0)->ch == CANVAS_WIDE_TAIL)
            ck_assert_uint_eq(canvas_at(&c, x - 1, 0)->ch, 0x95a2);
    canvas_free(&c);
}
END_TEST

START_TEST(the_picker_shows_totals_and_an_empty_default_gives_way)
{
    struct fx s;

    /* default_sample_type lock_time, 0 in every sample; by hand from
     * txtpb/dotnet-empty-default.txtpb: cpu 30 + 20 + 10 = 60ms, alloc
     * 4096 + 1024 = 5120 bytes (go tool pprof: 60ms, 5kB, 0) */
    open_pprof(&s, "dotnet-empty-default.pb", 100, 24);
    ck_assert_str_eq(profile_str(&s.p, s.p.types[s.p.default_type].type), "lock_time");
    ck_assert_ptr_nonnull(strstr(s.rows[0], "cpu (nanoseconds)  total 60ms"));
    ck_assert_ptr_nonnull(strstr(s.rows[22], "default type lock_time has no samples: showing cpu"));
    fx_key(&s, 't');
    int cpu = fx_row_with(&s, "cpu "), alloc = fx_row_with(&s, "alloc ");
    int lock = fx_row_with(&s, "lock_time ");

    ck_assert_int_ge(cpu, 0);
    ck_assert_ptr_nonnull(strstr(s.rows[cpu], "60ms"));
    ck_assert_ptr_nonnull(strstr(s.rows[alloc], "5kB"));       /* 5120 / 1024, as pprof */
    ck_assert_ptr_nonnull(strstr(s.rows[lock], "0ns (empty)"));
    fx_close(&s);
}
END_TEST

START_TEST(name_sort_arrow_points_up_for_a_to_z)
{
    struct fx s;

    open_folded(&s, names, 80, 20, 0);
    app_set_view(&s.a, VIEW_TABLE);
    fx_render(&s);
    ck_assert_ptr_nonnull(strstr(s.rows[1], "\u25bcSelf"));   /* largest first */
    fx_key(&s, 's');
    fx_key(&s, 's');
    ck_assert_ptr_nonnull(strstr(s.rows[1], "Function\u25b2"));
    ck_assert_ptr_nonnull(strstr(s.rows[2], "github.com"));     /* A to Z: g < l < m */
    fx_key(&s, 'S');
    ck_assert_ptr_nonnull(strstr(s.rows[1], "Function\u25bc"));
    ck_assert_ptr_nonnull(strstr(s.rows[2], "main"));
    fx_key(&s, 's');
    fx_key(&s, 'S');                             /* self, smallest first */
    ck_assert_ptr_nonnull(strstr(s.rows[1], "\u25b2Self"));
    fx_close(&s);
}
END_TEST

START_TEST(sandwich_labels_its_halves_and_says_when_one_is_empty)
{
    struct fx s;

    open_folded(&s, "main;a;leaf 3\nmain;b 5\n", 80, 20, 0);
    app_set_view(&s.a, VIEW_TABLE);
    fx_type(&s, "/^main$");
    fx_key(&s, K_ENTER);
    fx_key(&s, K_ENTER);                         /* the sandwich of main: a root */
    ck_assert_int_eq(s.a.view, VIEW_SANDWICH);
    ck_assert_int_ge(fx_row_with(&s, "callers"), 0);
    ck_assert_int_ge(fx_row_with(&s, "callees"), 0);
    ck_assert_int_ge(fx_row_with(&s, "main has no callers"), 0);
    ck_assert_int_lt(fx_row_with(&s, "has no callees"), 0);
    app_set_view(&s.a, VIEW_TABLE);
    fx_type(&s, "/^leaf$");
    fx_key(&s, K_ENTER);
    fx_key(&s, K_ENTER);
    ck_assert_int_ge(fx_row_with(&s, "leaf has no callees"), 0);
    ck_assert_int_lt(fx_row_with(&s, "has no callers"), 0);
    ck_assert_int_lt(fx_row_with(&s, "callers"), fx_row_with(&s, "callees"));
    fx_close(&s);
}
END_TEST

START_TEST(flame_pgdn_mirrors_pgup)
{
    struct fx s;

    /* one chain f0 (depth 1) ... f14 (depth 15) under total (depth 0) */
    open_folded(&s, "f0;f1;f2;f3;f4;f5;f6;f7;f8;f9;f10;f11;f12;f13;f14 1\n", 80, 30, 0);
    app_set_view(&s.a, VIEW_FLAME);
    fx_render(&s);
    fx_key(&s, K_PGDN);                          /* ten rows down: depth 10 */
    ck_assert_ptr_nonnull(strstr(s.rows[28], " f9 "));
    fx_key(&s, K_PGDN);                          /* five left: the leaf */
    ck_assert_ptr_nonnull(strstr(s.rows[28], " f14 "));
    fx_key(&s, K_PGUP);                          /* ten up: depth 5 */
    ck_assert_ptr_nonnull(strstr(s.rows[28], " f4 "));
    fx_close(&s);
}
END_TEST

Suite *screens_suite(void)
{
    Suite *s = suite_create("screens");
    TCase *tc = tcase_create("readable");

    tcase_add_test(tc, both_view_shows_a_40_column_name_whole_at_120);
    tcase_add_test(tc, split_keys_move_the_border_and_cut_names_keep_their_end);
    tcase_add_test(tc, hint_bar_keeps_help_and_quit_when_narrow);
    tcase_add_test(tc, search_from_a_scrolled_table_shows_every_match);
    tcase_add_test(tc, search_prompt_starts_empty_and_repeats);
    tcase_add_test(tc, query_prompt_edits_and_completes_at_the_cursor);
    tcase_add_test(tc, a_key_that_closes_the_help_is_not_lost);
    tcase_add_test(tc, help_box_is_opaque_and_closed);
    tcase_add_test(tc, a_wide_character_cut_by_a_box_edge_goes_whole);
    tcase_add_test(tc, the_picker_shows_totals_and_an_empty_default_gives_way);
    tcase_add_test(tc, name_sort_arrow_points_up_for_a_to_z);
    tcase_add_test(tc, sandwich_labels_its_halves_and_says_when_one_is_empty);
    tcase_add_test(tc, flame_pgdn_mirrors_pgup);
    suite_add_tcase(s, tc);
    return s;
}
