/* View tests: the app drawn into an in-memory canvas, driven by the same
 * events a terminal would send. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "check_suites.h"
#include "theme.h"
#include "view_fx.h"

/* main (10) calls work (7: parse 4, render 2, self 1) and idle (3). */
static const char *fixture = "main;work;parse 4\n"
                             "main;work;render 2\n"
                             "main;work 1\n"
                             "main;idle 3\n";


START_TEST(flame_navigation_and_zoom)
{
    struct fx f;

    fx_open_folded(&f, fixture, "fixture", 40, 12);
    app_set_view(&f.a, VIEW_FLAME);
    fx_render(&f);
    /* row 1: total; row 2: main; row 3: idle (3/10) and work (7/10) */
    ck_assert_str_eq(f.rows[1], "total                                   ");
    ck_assert_int_eq(strncmp(f.rows[3], "idle        work", 16), 0);
    fx_key(&f, 'j');                          /* largest child of total: main */
    ck_assert_ptr_nonnull(strstr(fx_status(&f), " main "));
    fx_key(&f, 'j');                          /* main's largest child: work */
    ck_assert_ptr_nonnull(strstr(fx_status(&f), " work "));
    ck_assert_ptr_nonnull(strstr(fx_status(&f), "self 1 (10.00%)  total 7 (70.00%"));
    fx_key(&f, 'h');                          /* previous on the row: idle */
    ck_assert_ptr_nonnull(strstr(fx_status(&f), " idle "));
    fx_key(&f, 'l');
    fx_key(&f, K_ENTER);                      /* zoom into work: it fills the width */
    ck_assert_int_eq(strncmp(f.rows[3], "work", 4), 0);
    ck_assert_int_eq(strncmp(f.rows[4], "parse", 5), 0);
    ck_assert_ptr_nonnull(strstr(f.rows[4], "render"));
    ck_assert_ptr_nonnull(strstr(fx_status(&f), " work self 1"));
    ck_assert_int_eq(strncmp(f.rows[2], "main", 4), 0);   /* the path stays above */
    fx_key(&f, 'j');
    ck_assert_ptr_nonnull(strstr(fx_status(&f), " parse "));
    fx_key(&f, K_BACKSPACE);                  /* zoom out: idle is back */
    ck_assert_int_eq(strncmp(f.rows[3], "idle", 4), 0);
    fx_key(&f, 'i');                          /* flipped: root at the bottom */
    ck_assert_int_eq(strncmp(f.rows[f.c.h - 3], "total", 5), 0);   /* last body row */
    fx_close(&f);
}
END_TEST

/* Each bar is coloured by its function's name (cached per function): the
 * hue of the name, for every function on screen, twice over (the second
 * draw reads the cache). */
START_TEST(flame_bars_take_their_names_hue)
{
    struct fx f;

    fx_open_folded(&f, fixture, "fixture", 40, 12);
    app_set_view(&f.a, VIEW_FLAME);
    for (int draw = 0; draw < 2; draw++) {
        fx_render(&f);
        ck_assert_int_eq(strncmp(f.rows[3], "idle        work", 16), 0);
        ck_assert_int_eq(canvas_at(&f.c, 0, 3)->role, ROLE_FLAME);
        ck_assert_int_eq(canvas_at(&f.c, 0, 3)->color, theme_hue("idle", 4));
        ck_assert_int_eq(canvas_at(&f.c, 12, 3)->color, theme_hue("work", 4));
        ck_assert_int_eq(canvas_at(&f.c, 0, 2)->color, theme_hue("main", 4));
        ck_assert_int_ne(theme_hue("idle", 4), theme_hue("work", 4));   /* tells them apart */
    }
    fx_close(&f);
}
END_TEST

START_TEST(table_sorts_and_selects)
{
    struct fx f;

    fx_open_folded(&f, fixture, "fixture", 80, 12);
    app_set_view(&f.a, VIEW_TABLE);
    fx_render(&f);
    ck_assert_ptr_nonnull(strstr(f.rows[2], "parse"));   /* self 4 first */
    fx_key(&f, 's');                          /* by total: main (10) first */
    ck_assert_ptr_nonnull(strstr(f.rows[2], "main"));
    fx_key(&f, 'S');                          /* reversed: smallest total first */
    ck_assert_ptr_nonnull(strstr(f.rows[2], "render"));
    fx_key(&f, 's');                          /* by name */
    ck_assert_ptr_nonnull(strstr(f.rows[2], "idle"));
    fx_key(&f, 'g');
    fx_key(&f, 'j');
    ck_assert_ptr_nonnull(strstr(fx_status(&f), " main "));
    fx_close(&f);
}
END_TEST

/* The table's order as the cursor walks it: every row's function. */
static uint32_t walk_table(struct fx *f, uint32_t *order, uint32_t max)
{
    uint32_t n = 0;

    fx_key(f, 'g');
    while (n < max) {
        order[n++] = f->a.sel_frame;
        fx_key(f, 'j');
        if (f->a.sel_frame == order[n - 1])     /* the last row */
            break;
    }
    return n;
}

static const struct app *order_app;
static int order_col;           /* 0: |total|, 1: name alone */

static int64_t total_of(const struct app *a, uint32_t frame)
{
    for (uint32_t i = 0; i < a->side[0].flat.count; i++)
        if (a->side[0].flat.rows[i].frame == frame)
            return a->side[0].flat.rows[i].total;
    ck_abort_msg("frame %u not in the table", frame);
    return 0;
}

/* pprof's order spelled out: |total| descending, then the names byte by
 * byte, then the frame id (two functions of one name). */
static int by_expected(const void *x, const void *y)
{
    uint32_t fx = *(const uint32_t *)x, fy = *(const uint32_t *)y;
    size_t lx, ly;
    const char *nx = app_frame_name(order_app, fx, &lx), *ny = app_frame_name(order_app, fy, &ly);
    int c;

    if (order_col == 0) {
        int64_t tx = llabs(total_of(order_app, fx)), ty = llabs(total_of(order_app, fy));

        if (tx != ty)
            return tx > ty ? -1 : 1;
    }
    c = memcmp(nx, ny, lx < ly ? lx : ly);
    if (c || lx != ly)
        return c ? c : lx < ly ? -1 : 1;
    return (fx > fy) - (fx < fy);
}

/* Sorted by total, reversed, and by name, on a real Go profile (ties of
 * total among its functions), the rows come in pprof's order. */
START_TEST(table_sorts_a_real_profile)
{
    enum { MAX = 4096 };
    static uint32_t got[MAX], want[MAX];
    struct fx f;
    uint32_t n;

    fx_begin(&f);
    fx_add_file(&f, "go-cpu.pb.gz");
    fx_start(&f, 0, NULL, "go-cpu", 100, 20);
    app_set_view(&f.a, VIEW_TABLE);
    fx_render(&f);
    order_app = &f.a;
    ck_assert_uint_gt(f.a.side[0].flat.count, 20);
    for (uint32_t i = 0; i < f.a.side[0].flat.count; i++)
        want[i] = f.a.side[0].flat.rows[i].frame;
    n = f.a.side[0].flat.count;
    for (int step = 0; step < 3; step++) {
        fx_key(&f, step == 1 ? 'S' : 's');      /* by total, reversed, by name */
        order_col = step == 2;
        qsort(want, n, sizeof *want, by_expected);
        ck_assert_uint_eq(walk_table(&f, got, MAX), n);
        for (uint32_t i = 0; i < n; i++)
            ck_assert_uint_eq(got[i], want[step == 1 ? n - 1 - i : i]);
    }
    fx_close(&f);
}
END_TEST

START_TEST(search_counts_each_sample_once)
{
    struct fx f;

    fx_open_folded(&f, fixture, "fixture", 80, 12);
    app_set_view(&f.a, VIEW_TABLE);
    ck_assert_int_eq(app_set_search(&f.a, "work|parse"), 0);
    fx_render(&f);
    ck_assert_ptr_nonnull(strstr(fx_status(&f), "2 matches, \u2026% of total"));  /* not yet */
    app_finish_work(&f.a);
    fx_render(&f);
    /* work covers 7 of 10; parse is inside work: still 70% */
    ck_assert_ptr_nonnull(strstr(fx_status(&f), "/work|parse/ 2 matches, 70.00% of total"));
    /* the table lists the two matches only: two rows with shares, work's
     * and parse's (the header row has none) */
    ck_assert_int_eq(fx_rows_with(&f, "%"), 2);
    ck_assert_int_eq(fx_rows_with(&f, " work"), 1);
    ck_assert_int_eq(fx_rows_with(&f, " parse"), 1);
    ck_assert_int_eq(app_set_search(&f.a, "("), -1);   /* bad pattern: kept */
    ck_assert_int_eq(app_set_search(&f.a, "w+++"), -1); /* would eat gigabytes */
    ck_assert_ptr_nonnull(strstr(f.a.message, "a quantifier on a quantifier"));
    ck_assert_str_eq(f.a.search, "work|parse");
    ck_assert_int_eq(app_set_search(&f.a, "IDLE"), 0);  /* upper case: exact case */
    ck_assert_uint_eq(f.a.match_count, 0);
    ck_assert_int_eq(app_set_search(&f.a, "idle"), 0);
    ck_assert_uint_eq(f.a.match_count, 1);
    fx_close(&f);
}
END_TEST

START_TEST(mouse_selects_and_double_click_zooms)
{
    struct fx f;

    fx_open_folded(&f, fixture, "fixture", 40, 12);
    app_set_view(&f.a, VIEW_FLAME);
    fx_render(&f);
    fx_click(&f, 20, 3, M_CLICK);             /* on work */
    ck_assert_ptr_nonnull(strstr(fx_status(&f), " work "));
    fx_click(&f, 20, 3, M_DOUBLE);
    ck_assert_int_eq(strncmp(f.rows[3], "work", 4), 0);
    ck_assert_int_eq(strncmp(f.rows[4], "parse", 5), 0);
    fx_close(&f);
}
END_TEST

START_TEST(sandwich_shows_callers_above)
{
    struct fx f;

    fx_open_folded(&f, "main;a;leaf 3\nmain;b;leaf 1\nmain;b 5\n", "fixture", 40, 14);
    app_set_view(&f.a, VIEW_TABLE);
    app_set_search(&f.a, "^leaf$");
    fx_render(&f);
    fx_key(&f, K_ENTER);                      /* open the sandwich of leaf */
    ck_assert_int_eq(f.a.view, VIEW_SANDWICH);
    for (int y = 2; y < f.c.h - 2; y++) {
        if (strncmp(f.rows[y], "leaf", 4))
            continue;
        /* callers a (3) and b (1) right above, main above them */
        ck_assert_int_eq(strncmp(f.rows[y - 1], "a", 1), 0);
        ck_assert_ptr_nonnull(strstr(f.rows[y - 1], "b"));
        ck_assert_int_eq(strncmp(f.rows[y - 2], "main", 4), 0);
        fx_close(&f);
        return;
    }
    ck_abort_msg("no leaf row in the sandwich");
}
END_TEST

START_TEST(small_terminals)
{
    struct fx f;

    fx_open_folded(&f, fixture, "fixture", 40, 10);
    fx_render(&f);
    ck_assert_int_eq(strncmp(f.rows[0], " ember", 6), 0);
    for (int y = 0; y < 10; y++)
        ck_assert_int_le((int)strlen(f.rows[y]), 40 * 3);
    canvas_resize(&f.c, 39, 9);
    fx_render(&f);
    ck_assert_int_eq(strncmp(f.rows[0], "terminal too small", 18), 0);
    fx_close(&f);
}
END_TEST

START_TEST(help_lists_every_binding)
{
    struct fx f;

    int zoom = 0, tags = 0;

    fx_open_folded(&f, fixture, "fixture", 100, 60);
    fx_key(&f, '?');
    for (int page = 0; page < 100; page++, fx_key(&f, 'j')) {   /* scroll through it all */
        for (int y = 0; y < 60; y++) {
            zoom |= strstr(f.rows[y], "zoom into the selected node") != NULL;
            tags |= strstr(f.rows[y], "mark this value as the baseline") != NULL;
        }
    }
    ck_assert(zoom && tags);
    fx_key(&f, K_ESC);
    ck_assert_int_eq(f.a.overlay, OV_NONE);
    fx_close(&f);
}
END_TEST

/* Four profiles 10 s apart, region a then b: the timeline and its range. */
static void open_timed(struct fx *f, int w, int h)
{
    static const char *stacks[] = { "m;x 2\n", "m;x 4\n", "m;y 6\n", "m;y 8\n" };

    fx_begin(f);
    for (int i = 0; i < 4; i++) {
        fx_add_folded(f, stacks[i], fx_labelset(f, "region", i < 2 ? "a" : "b"));
        f->p.sources[f->p.nsources - 1].time_nanos = (1795496400LL + i * 10) * 1000000000LL;
    }
    fx_start(f, 0, NULL, "timed", w, h);
}

START_TEST(timeline_range_by_keys_and_drag)
{
    struct fx f;
    struct event press = { .kind = EV_MOUSE, .mouse = M_PRESS, .x = 0, .y = 1 };
    struct event release = { .kind = EV_MOUSE, .mouse = M_RELEASE, .x = 19, .y = 1 };

    open_timed(&f, 80, 20);
    app_set_view(&f.a, VIEW_FLAME);
    fx_render(&f);
    ck_assert_ptr_nonnull(strstr(f.rows[2], "all 4 steps"));
    ck_assert_ptr_nonnull(strstr(f.rows[0], "total 20 "));
    fx_key(&f, ']');                          /* start one step later: 4 + 6 + 8 */
    ck_assert_ptr_nonnull(strstr(f.rows[0], "total 18 "));
    ck_assert_ptr_nonnull(strstr(f.rows[2], "range "));
    fx_key(&f, '{');                          /* end one step earlier: 4 + 6 */
    ck_assert_ptr_nonnull(strstr(f.rows[0], "total 10 "));
    /* the sparkline still shows all four steps: the range is drawn over it */
    ck_assert_uint_eq(canvas_at(&f.c, 79, 1)->ch, 0x2588);         /* 8 of 8: the peak */
    ck_assert_int_eq(canvas_at(&f.c, 79, 1)->role, ROLE_SPARK);    /* outside the range */
    ck_assert_int_eq(canvas_at(&f.c, 30, 1)->role, ROLE_RANGE);    /* inside it */
    fx_key(&f, '\\');
    ck_assert_ptr_nonnull(strstr(f.rows[0], "total 20 "));
    app_event(&f.a, &press);               /* drag over the first quarter */
    app_event(&f.a, &release);
    fx_render(&f);
    ck_assert_ptr_nonnull(strstr(f.rows[0], "total 2 "));
    fx_close(&f);
}
END_TEST

START_TEST(comparison_has_a_timeline_per_side)
{
    struct fx f;

    open_timed(&f, 100, 24);
    app_set_query(&f.a, 1, "{}");
    app_set_view(&f.a, VIEW_COMPARE);
    fx_render(&f);
    ck_assert_int_gt(f.a.tl_area[0].w, 0);
    ck_assert_int_gt(f.a.tl_area[1].w, 0);
    ck_assert_int_ne(f.a.tl_area[0].x, f.a.tl_area[1].x);
    fx_key(&f, K_TAB);                        /* focus B: its range only */
    fx_key(&f, ']');
    fx_key(&f, ']');
    ck_assert_int_eq(f.a.side[1].flat.grand_total, 14);     /* 6 + 8 */
    ck_assert_int_eq(f.a.side[0].flat.grand_total, 20);
    /* rows 1-2: the two timelines; row 3: the two titles */
    ck_assert_ptr_nonnull(strstr(f.rows[2], "05:00:15..05:00:30"));
    ck_assert_ptr_nonnull(strstr(f.rows[3], "A {}  total 20"));
    ck_assert_ptr_nonnull(strstr(f.rows[3], "B {}  total 14"));
    fx_close(&f);
}
END_TEST

START_TEST(tags_compare_and_diff)
{
    struct fx f;

    open_timed(&f, 120, 24);
    app_set_view(&f.a, VIEW_TAGS);
    fx_render(&f);
    ck_assert_ptr_nonnull(strstr(f.rows[3], "group by region"));
    ck_assert_ptr_nonnull(strstr(f.rows[5], " b "));          /* 14 before 6 */
    ck_assert_ptr_nonnull(strstr(f.rows[5], "70.00%"));
    ck_assert_ptr_nonnull(strstr(f.rows[6], " a "));
    fx_key(&f, 'j');
    fx_key(&f, 'c');                          /* a against every other value */
    ck_assert_int_eq(f.a.view, VIEW_COMPARE);
    ck_assert_str_eq(f.a.side[0].query, "{region!=\"a\"}");
    ck_assert_str_eq(f.a.side[1].query, "{region=\"a\"}");
    fx_key(&f, '7');                          /* x only in a: new; y only in b: gone */
    int seen = 0;

    for (int y = 0; y < 24; y++) {      /* the table's name column is at 29 */
        if (!strncmp(f.rows[y] + 29, "x ", 2)) {
            seen++;
            ck_assert_ptr_nonnull(strstr(f.rows[y], "new"));
        }
        if (!strncmp(f.rows[y] + 29, "y ", 2)) {
            seen++;
            ck_assert_ptr_nonnull(strstr(f.rows[y], "gone"));
        }
    }
    ck_assert_int_eq(seen, 2);
    fx_close(&f);
}
END_TEST

START_TEST(every_view_fits_small_terminals)
{
    static const int sizes[][2] = { { 40, 10 }, { 41, 12 }, { 39, 9 }, { 200, 10 }, { 40, 60 } };
    struct fx f;

    open_timed(&f, 40, 10);
    for (int v = VIEW_FLAME; v <= VIEW_DIFF; v++) {
        for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
            app_set_view(&f.a, (enum view_id)v);
            canvas_resize(&f.c, sizes[k][0], sizes[k][1]);
            fx_render(&f);
            fx_key(&f, 'j');              /* and a key or two at that size */
            fx_key(&f, K_TAB);
            for (int y = 0; y < f.c.h; y++) {
                int cols = 0;

                for (int x = 0; x < f.c.w; x++)
                    cols += canvas_at(&f.c, x, y)->ch != CANVAS_WIDE_TAIL;
                ck_assert_int_le(cols, f.c.w);
                for (int x = 0; x < f.c.w; x++)      /* nothing unprintable */
                    ck_assert_uint_ge(canvas_at(&f.c, x, y)->ch, 0x20);
            }
        }
    }
    fx_close(&f);
}
END_TEST

START_TEST(query_prompt_completes_and_escapes)
{
    struct fx f;
    struct label l;

    open_timed(&f, 80, 20);
    /* a value that needs escaping inside quotes */
    l = (struct label){ .key = profile_intern(&f.p, "path", 4),
                        .str = profile_intern(&f.p, "C:\\tmp\"x", 8) };
    profile_labelset(&f.p, &l, 1);
    fx_render(&f);
    fx_key(&f, ':');
    fx_key(&f, K_CTRL('u'));
    fx_key(&f, '{');
    fx_key(&f, 'p');
    fx_key(&f, K_TAB);
    ck_assert_str_eq(fx_prompt(&f), "{path=\"");
    fx_key(&f, K_TAB);
    ck_assert_str_eq(fx_prompt(&f), "{path=\"C:\\\\tmp\\\"x\"");
    fx_key(&f, '}');
    fx_key(&f, K_ENTER);
    ck_assert_int_eq(f.a.overlay, OV_NONE);    /* it parsed */
    ck_assert_str_eq(f.a.side[0].sel.m[0].value, "C:\\tmp\"x");
    fx_close(&f);
}
END_TEST

Suite *app_suite(void)
{
    Suite *s = suite_create("app");
    TCase *tc = tcase_create("views");

    tcase_add_test(tc, flame_navigation_and_zoom);
    tcase_add_test(tc, flame_bars_take_their_names_hue);
    tcase_add_test(tc, table_sorts_and_selects);
    tcase_add_test(tc, table_sorts_a_real_profile);
    tcase_add_test(tc, search_counts_each_sample_once);
    tcase_add_test(tc, mouse_selects_and_double_click_zooms);
    tcase_add_test(tc, sandwich_shows_callers_above);
    tcase_add_test(tc, small_terminals);
    tcase_add_test(tc, help_lists_every_binding);
    tcase_add_test(tc, timeline_range_by_keys_and_drag);
    tcase_add_test(tc, tags_compare_and_diff);
    tcase_add_test(tc, comparison_has_a_timeline_per_side);
    tcase_add_test(tc, every_view_fits_small_terminals);
    tcase_add_test(tc, query_prompt_completes_and_escapes);
    suite_add_tcase(s, tc);
    return s;
}
