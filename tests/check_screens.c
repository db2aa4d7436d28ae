/* View tests of issue 7's "readable screens": names in the Both view, the
 * split keys, the hint bar, the search and query prompts, the help, the
 * type picker, the sandwich's labels and the flamegraph's PgDn. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "check_suites.h"
#include "query.h"
#include "source.h"

struct scr {
    struct profile p;
    struct app a;
    struct canvas c;
    char *rows[64];
};

static void draw(struct scr *s)
{
    app_render(&s->a, &s->c, s->c.w, s->c.h);
    for (int y = 0; y < s->c.h; y++) {
        free(s->rows[y]);
        s->rows[y] = canvas_row(&s->c, y);
    }
}

/* Opens the app on a folded text (labels: every sample region=a, or the
 * first half region=a and the rest region=b when labelled). */
static void open_folded(struct scr *s, const char *folded, int w, int h, int labelled)
{
    char err[SOURCE_ERR_MAX];

    memset(s, 0, sizeof *s);
    profile_init(&s->p);
    ck_assert_int_eq(folded_load(&s->p, 0, (const uint8_t *)folded, strlen(folded), err), 0);
    for (size_t i = 0; labelled && i < s->p.nsamples; i++) {
        struct label l = { .key = profile_intern(&s->p, "region", 6),
                           .str = profile_intern(&s->p, i < s->p.nsamples / 2 ? "a" : "b", 1) };

        s->p.samples[i].labels = profile_labelset(&s->p, &l, 1);
    }
    profile_finish(&s->p);
    canvas_init(&s->c, w, h, 1);
    app_init(&s->a, &s->p, 0, NULL, "fixture", 1);
    draw(s);
}

/* Opens a pprof fixture on the type main would pick. */
static void open_pprof(struct scr *s, const char *name, int w, int h)
{
    static const struct load_options opts = { .max_size = (size_t)1 << 30 };
    char err[SOURCE_ERR_MAX];
    size_t len;
    uint8_t *d = read_fixture(name, &len);

    memset(s, 0, sizeof *s);
    profile_init(&s->p);
    ck_assert_int_eq(source_load_buffer(&s->p, name, d, len, &opts, err), 0);
    free(d);
    profile_finish(&s->p);
    canvas_init(&s->c, w, h, 1);
    app_init(&s->a, &s->p, query_nonempty_type(&s->p, s->p.default_type), NULL, name, 1);
    draw(s);
}

static int press(struct scr *s, int k)
{
    struct event ev = { .kind = EV_KEY, .key = k };
    int r = app_event(&s->a, &ev);

    draw(s);
    return r;
}

static void type(struct scr *s, const char *text)
{
    for (; *text; text++)
        press(s, (unsigned char)*text);
}

static void close_scr(struct scr *s)
{
    for (int y = 0; y < 64; y++)
        free(s->rows[y]);
    app_free(&s->a);
    canvas_free(&s->c);
    profile_free(&s->p);
}

/* The first row holding text, or -1. */
static int row_with(struct scr *s, const char *text)
{
    for (int y = 0; y < s->c.h; y++)
        if (strstr(s->rows[y], text))
            return y;
    return -1;
}

/* How many rows of the body (not the status or hint bar) hold text. */
static int rows_with(struct scr *s, const char *text)
{
    int n = 0;

    for (int y = 0; y < s->c.h - 2; y++)
        n += strstr(s->rows[y], text) != NULL;
    return n;
}

/* 40 characters: github.com (10) /acme (5) /shop (5) /cart (5) .(*Cart) (8)
 * .Totals (7). Three Python names share their first 14 characters. */
static const char *names = "main;github.com/acme/shop/cart.(*Cart).Totals 5\n"
                           "main;lib/utilities/foo.py:bar 3\n"
                           "main;lib/utilities/baz.py:qux 2\n"
                           "main;lib/utilities/zap.py:run 1\n";

START_TEST(both_view_shows_a_40_column_name_whole_at_120)
{
    struct scr s;

    open_folded(&s, names, 120, 30, 0);
    ck_assert_int_eq(s.a.view, VIEW_BOTH);
    ck_assert_int_ge(row_with(&s, "github.com/acme/shop/cart.(*Cart).Totals "), 0);
    /* 100 columns: table 50, shares only (8 + 8 + 1): 33 columns of name,
     * so the end stays: an ellipsis and the last 32 characters */
    canvas_resize(&s.c, 100, 30);
    draw(&s);
    ck_assert_int_ge(row_with(&s, "\u2026om/acme/shop/cart.(*Cart).Totals"), 0);
    close_scr(&s);
}
END_TEST

START_TEST(split_keys_move_the_border_and_cut_names_keep_their_end)
{
    struct scr s;

    open_folded(&s, names, 120, 30, 0);
    /* no timeline here: the body starts on row 1; the border is at 50% */
    ck_assert_uint_eq(canvas_at(&s.c, 60, 2)->ch, 0x2502);
    press(&s, '>');                             /* 55%: 66 */
    ck_assert_uint_eq(canvas_at(&s.c, 66, 2)->ch, 0x2502);
    ck_assert_uint_ne(canvas_at(&s.c, 60, 2)->ch, 0x2502);
    for (int i = 0; i < 5; i++)
        press(&s, '<');                         /* 30%: 36 */
    ck_assert_uint_eq(canvas_at(&s.c, 36, 2)->ch, 0x2502);
    /* 36 - 17 = 19 columns of name: an ellipsis and the last 18, so the
     * three Python rows differ (they all read lib/utilit… before) */
    ck_assert_int_ge(row_with(&s, "\u2026ilities/foo.py:bar\u2502"), 0);
    ck_assert_int_ge(row_with(&s, "\u2026ilities/baz.py:qux\u2502"), 0);
    ck_assert_int_ge(row_with(&s, "\u2026ilities/zap.py:run\u2502"), 0);
    for (int i = 0; i < 20; i++)
        press(&s, '<');                         /* stops at 20%: 24 */
    ck_assert_uint_eq(canvas_at(&s.c, 24, 2)->ch, 0x2502);
    close_scr(&s);
}
END_TEST

START_TEST(hint_bar_keeps_help_and_quit_when_narrow)
{
    struct scr s;

    open_folded(&s, names, 80, 24, 1);
    ck_assert_ptr_nonnull(strstr(s.rows[23], "? help"));
    ck_assert_ptr_nonnull(strstr(s.rows[23], "q quit"));
    ck_assert_ptr_nonnull(strstr(s.rows[23], "Enter zoom"));    /* the pane's come first */
    for (int w = 60; w <= 130; w++) {           /* a gap before them at every width */
        canvas_resize(&s.c, w, 24);
        draw(&s);
        ck_assert_ptr_nonnull(strstr(s.rows[23], "  ? help  q quit"));
    }
    canvas_resize(&s.c, 120, 24);
    app_set_view(&s.a, VIEW_TAGS);
    draw(&s);
    ck_assert_ptr_nonnull(strstr(s.rows[23], "? help"));
    ck_assert_ptr_nonnull(strstr(s.rows[23], "q quit"));
    canvas_resize(&s.c, 40, 10);                /* the smallest screen */
    draw(&s);
    ck_assert_ptr_nonnull(strstr(s.rows[9], "? help  q quit"));
    close_scr(&s);
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
    struct scr s;

    open_folded(&s, many_rows(), 80, 20, 0);
    app_set_view(&s.a, VIEW_TABLE);
    press(&s, 'G');                             /* the last row: scrolled down */
    ck_assert_uint_gt(s.a.table.top, 0);
    type(&s, "/hit");
    ck_assert_uint_eq(s.a.match_count, 3);
    ck_assert_int_eq(rows_with(&s, "hit_"), 3);
    press(&s, K_ENTER);
    ck_assert_int_eq(rows_with(&s, "hit_"), 3);
    close_scr(&s);
}
END_TEST

START_TEST(search_prompt_starts_empty_and_repeats)
{
    struct scr s;

    open_folded(&s, many_rows(), 80, 20, 0);
    app_set_view(&s.a, VIEW_TABLE);
    type(&s, "/ht");
    press(&s, K_LEFT);
    type(&s, "i");                              /* inserted at the cursor */
    ck_assert_str_eq(s.a.search_edit.buf, "hit");
    press(&s, K_HOME);
    type(&s, "^");
    press(&s, K_ENTER);
    ck_assert_str_eq(s.a.search, "^hit");
    press(&s, '/');                             /* empty, not the old pattern */
    ck_assert_uint_eq(s.a.search_edit.len, 0);
    ck_assert_int_eq(strncmp(s.rows[19], "/ \u2588", 5), 0);
    ck_assert_ptr_nonnull(strstr(s.rows[19], "Enter: /^hit/ again"));
    ck_assert_str_eq(s.a.search, "^hit");       /* still shown meanwhile */
    type(&s, "fn0");
    ck_assert_str_eq(s.a.search, "fn0");        /* not ^hitfn0 */
    press(&s, K_ESC);                           /* cancel: back to before */
    ck_assert_str_eq(s.a.search, "^hit");
    press(&s, '/');
    press(&s, K_CTRL('x'));                     /* clear */
    ck_assert_int_eq(s.a.searching, 0);
    ck_assert_uint_eq(s.a.table.count, 44);     /* main, fn00..fn39, three hits */
    press(&s, '/');
    press(&s, K_ENTER);                         /* nothing typed: the last again */
    ck_assert_str_eq(s.a.search, "^hit");
    ck_assert_uint_eq(s.a.match_count, 3);
    type(&s, "/fn1");
    press(&s, K_ENTER);
    press(&s, '/');
    press(&s, K_UP);                            /* the history, newest first */
    ck_assert_str_eq(s.a.search_edit.buf, "fn1");
    press(&s, K_UP);
    ck_assert_str_eq(s.a.search_edit.buf, "^hit");
    press(&s, K_CTRL('w'));                     /* the shared editor's keys */
    ck_assert_str_eq(s.a.search_edit.buf, "^");
    press(&s, K_ESC);
    ck_assert_str_eq(s.a.search, "fn1");
    close_scr(&s);
}
END_TEST

START_TEST(query_prompt_edits_and_completes_at_the_cursor)
{
    struct scr s;

    open_folded(&s, names, 100, 20, 1);
    press(&s, ':');
    press(&s, K_CTRL('u'));
    type(&s, "{re}");
    press(&s, K_LEFT);                          /* before the } */
    press(&s, K_TAB);
    ck_assert_str_eq(s.a.query_edit.buf, "{region=\"}");
    ck_assert_uint_eq(s.a.query_edit.cur, 9);
    press(&s, K_TAB);                           /* a or b: the message lists them */
    ck_assert_str_eq(s.a.message, "a b");
    type(&s, "b");
    press(&s, K_TAB);                           /* unique: its closing quote */
    ck_assert_str_eq(s.a.query_edit.buf, "{region=\"b\"}");
    press(&s, K_ENTER);
    ck_assert_int_eq(s.a.overlay, OV_NONE);
    ck_assert_str_eq(s.a.side[0].query, "{region=\"b\"}");
    press(&s, ':');                             /* opens on the query, history behind */
    press(&s, K_CTRL('u'));
    press(&s, K_UP);
    ck_assert_str_eq(s.a.query_edit.buf, "{region=\"b\"}");
    press(&s, K_ESC);
    close_scr(&s);
}
END_TEST

START_TEST(a_key_that_closes_the_help_is_not_lost)
{
    struct scr s;

    open_folded(&s, names, 100, 30, 0);
    press(&s, '?');
    press(&s, 'j');                             /* scrolls, stays open */
    ck_assert_int_eq(s.a.overlay, OV_HELP);
    press(&s, '2');                             /* closes and switches */
    ck_assert_int_eq(s.a.overlay, OV_NONE);
    ck_assert_int_eq(s.a.view, VIEW_TABLE);
    ck_assert_int_ge(row_with(&s, "Function"), 0);
    press(&s, '?');
    press(&s, K_ESC);                           /* only closes */
    ck_assert_int_eq(s.a.overlay, OV_NONE);
    ck_assert_int_eq(s.a.view, VIEW_TABLE);
    press(&s, '?');
    ck_assert_int_eq(press(&s, 'q') & R_QUIT, 0);   /* q closes the help, no more */
    ck_assert_int_eq(s.a.overlay, OV_NONE);
    press(&s, '?');
    press(&s, '?');
    ck_assert_int_eq(s.a.overlay, OV_NONE);
    press(&s, '?');
    press(&s, '/');                             /* straight into the search */
    ck_assert_int_eq(s.a.overlay, OV_SEARCH);
    close_scr(&s);
}
END_TEST

START_TEST(help_box_is_opaque_and_closed)
{
    static uint32_t first[30][78];
    struct scr s;

    open_folded(&s, names, 120, 30, 0);
    app_set_view(&s.a, VIEW_FLAME);
    press(&s, '?');
    /* overlay_box(78, 40) on 120x30: 78 x 28 at (21, 1); closed on all sides */
    for (int y = 1; y < 29; y++) {
        uint32_t l = canvas_at(&s.c, 21, y)->ch, r = canvas_at(&s.c, 98, y)->ch;

        ck_assert(l == 0x2502 || l == 0x250c || l == 0x2514);
        ck_assert(r == 0x2502 || r == 0x2510 || r == 0x2518);
        for (int x = 0; x < 78; x++)
            first[y][x] = canvas_at(&s.c, 21 + x, y)->ch;
    }
    press(&s, K_ESC);
    app_set_view(&s.a, VIEW_TABLE);             /* another screen behind it */
    press(&s, '?');
    for (int y = 1; y < 29; y++)                /* nothing of it shows through */
        for (int x = 0; x < 78; x++)
            ck_assert_uint_eq(canvas_at(&s.c, 21 + x, y)->ch, first[y][x]);
    close_scr(&s);
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
    struct scr s;

    /* default_sample_type lock_time, 0 in every sample; by hand from
     * txtpb/dotnet-empty-default.txtpb: cpu 30 + 20 + 10 = 60ms, alloc
     * 4096 + 1024 = 5120 bytes (go tool pprof: 60ms, 5kB, 0) */
    open_pprof(&s, "dotnet-empty-default.pb", 100, 24);
    ck_assert_str_eq(profile_str(&s.p, s.p.types[s.p.default_type].type), "lock_time");
    ck_assert_ptr_nonnull(strstr(s.rows[0], "cpu (nanoseconds)  total 60ms"));
    ck_assert_ptr_nonnull(strstr(s.rows[22], "default type lock_time has no samples: showing cpu"));
    press(&s, 't');
    int cpu = row_with(&s, "cpu "), alloc = row_with(&s, "alloc "), lock = row_with(&s, "lock_time ");

    ck_assert_int_ge(cpu, 0);
    ck_assert_ptr_nonnull(strstr(s.rows[cpu], "60ms"));
    ck_assert_ptr_nonnull(strstr(s.rows[alloc], "5kB"));       /* 5120 / 1024, as pprof */
    ck_assert_ptr_nonnull(strstr(s.rows[lock], "0ns (empty)"));
    close_scr(&s);
}
END_TEST

START_TEST(name_sort_arrow_points_up_for_a_to_z)
{
    struct scr s;

    open_folded(&s, names, 80, 20, 0);
    app_set_view(&s.a, VIEW_TABLE);
    draw(&s);
    ck_assert_ptr_nonnull(strstr(s.rows[1], "\u25bcSelf"));   /* largest first */
    press(&s, 's');
    press(&s, 's');
    ck_assert_ptr_nonnull(strstr(s.rows[1], "Function\u25b2"));
    ck_assert_ptr_nonnull(strstr(s.rows[2], "github.com"));     /* A to Z: g < l < m */
    press(&s, 'S');
    ck_assert_ptr_nonnull(strstr(s.rows[1], "Function\u25bc"));
    ck_assert_ptr_nonnull(strstr(s.rows[2], "main"));
    press(&s, 's');
    press(&s, 'S');                             /* self, smallest first */
    ck_assert_ptr_nonnull(strstr(s.rows[1], "\u25b2Self"));
    close_scr(&s);
}
END_TEST

START_TEST(sandwich_labels_its_halves_and_says_when_one_is_empty)
{
    struct scr s;

    open_folded(&s, "main;a;leaf 3\nmain;b 5\n", 80, 20, 0);
    app_set_view(&s.a, VIEW_TABLE);
    type(&s, "/^main$");
    press(&s, K_ENTER);
    press(&s, K_ENTER);                         /* the sandwich of main: a root */
    ck_assert_int_eq(s.a.view, VIEW_SANDWICH);
    ck_assert_int_ge(row_with(&s, "callers"), 0);
    ck_assert_int_ge(row_with(&s, "callees"), 0);
    ck_assert_int_ge(row_with(&s, "main has no callers"), 0);
    ck_assert_int_lt(row_with(&s, "has no callees"), 0);
    app_set_view(&s.a, VIEW_TABLE);
    type(&s, "/^leaf$");
    press(&s, K_ENTER);
    press(&s, K_ENTER);
    ck_assert_int_ge(row_with(&s, "leaf has no callees"), 0);
    ck_assert_int_lt(row_with(&s, "has no callers"), 0);
    ck_assert_int_lt(row_with(&s, "callers"), row_with(&s, "callees"));
    close_scr(&s);
}
END_TEST

START_TEST(flame_pgdn_mirrors_pgup)
{
    struct scr s;

    /* one chain f0 (depth 1) ... f14 (depth 15) under total (depth 0) */
    open_folded(&s, "f0;f1;f2;f3;f4;f5;f6;f7;f8;f9;f10;f11;f12;f13;f14 1\n", 80, 30, 0);
    app_set_view(&s.a, VIEW_FLAME);
    draw(&s);
    press(&s, K_PGDN);                          /* ten rows down: depth 10 */
    ck_assert_ptr_nonnull(strstr(s.rows[28], " f9 "));
    press(&s, K_PGDN);                          /* five left: the leaf */
    ck_assert_ptr_nonnull(strstr(s.rows[28], " f14 "));
    press(&s, K_PGUP);                          /* ten up: depth 5 */
    ck_assert_ptr_nonnull(strstr(s.rows[28], " f4 "));
    close_scr(&s);
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
