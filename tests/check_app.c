/* View tests: the app drawn into an in-memory canvas, driven by the same
 * events a terminal would send. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "check_suites.h"
#include "source.h"

/* main (10) calls work (7: parse 4, render 2, self 1) and idle (3). */
static const char *fixture = "main;work;parse 4\n"
                             "main;work;render 2\n"
                             "main;work 1\n"
                             "main;idle 3\n";

struct fx {
    struct profile p;
    struct app a;
    struct canvas c;
    char *rows[64];
};

static void open_app(struct fx *f, const char *folded, int w, int h)
{
    char err[SOURCE_ERR_MAX];

    memset(f, 0, sizeof *f);
    profile_init(&f->p);
    ck_assert_int_eq(folded_load(&f->p, 0, (const uint8_t *)folded, strlen(folded), err), 0);
    profile_finish(&f->p);
    canvas_init(&f->c, w, h, 1);
    app_init(&f->a, &f->p, 0, NULL, "fixture", 1);
}

static void render(struct fx *f)
{
    app_render(&f->a, &f->c, f->c.w, f->c.h);
    for (int y = 0; y < f->c.h; y++) {
        free(f->rows[y]);
        f->rows[y] = canvas_row(&f->c, y);
    }
}

static void key(struct fx *f, int k)
{
    struct event ev = { .kind = EV_KEY, .key = k };

    app_event(&f->a, &ev);
    render(f);
}

static void click(struct fx *f, int x, int y, enum mouse_action m)
{
    struct event ev = { .kind = EV_MOUSE, .x = x, .y = y, .mouse = m };

    app_event(&f->a, &ev);
    render(f);
}

static void close_app(struct fx *f)
{
    for (int y = 0; y < 64; y++)
        free(f->rows[y]);
    app_free(&f->a);
    canvas_free(&f->c);
    profile_free(&f->p);
}

static const char *status(struct fx *f)
{
    return f->rows[f->c.h - 2];
}

START_TEST(flame_navigation_and_zoom)
{
    struct fx f;

    open_app(&f, fixture, 40, 12);
    app_set_view(&f.a, VIEW_FLAME);
    render(&f);
    /* row 1: total; row 2: main; row 3: idle (3/10) and work (7/10) */
    ck_assert_str_eq(f.rows[1], "total                                   ");
    ck_assert_int_eq(strncmp(f.rows[3], "idle        work", 16), 0);
    key(&f, 'j');                          /* largest child of total: main */
    ck_assert_ptr_nonnull(strstr(status(&f), " main "));
    key(&f, 'j');                          /* main's largest child: work */
    ck_assert_ptr_nonnull(strstr(status(&f), " work "));
    ck_assert_ptr_nonnull(strstr(status(&f), "self 1 (10.00%)  total 7 (70.00%"));
    key(&f, 'h');                          /* previous on the row: idle */
    ck_assert_ptr_nonnull(strstr(status(&f), " idle "));
    key(&f, 'l');
    key(&f, K_ENTER);                      /* zoom into work: it fills the width */
    ck_assert_int_eq(strncmp(f.rows[3], "work", 4), 0);
    ck_assert_int_eq(strncmp(f.rows[4], "parse", 5), 0);
    ck_assert_ptr_nonnull(strstr(f.rows[4], "render"));
    ck_assert_ptr_nonnull(strstr(status(&f), " work self 1"));
    ck_assert_int_eq(strncmp(f.rows[2], "main", 4), 0);   /* the path stays above */
    key(&f, 'j');
    ck_assert_ptr_nonnull(strstr(status(&f), " parse "));
    key(&f, K_BACKSPACE);                  /* zoom out: idle is back */
    ck_assert_int_eq(strncmp(f.rows[3], "idle", 4), 0);
    key(&f, 'i');                          /* flipped: root at the bottom */
    ck_assert_int_eq(strncmp(f.rows[f.c.h - 3], "total", 5), 0);   /* last body row */
    close_app(&f);
}
END_TEST

START_TEST(table_sorts_and_selects)
{
    struct fx f;

    open_app(&f, fixture, 80, 12);
    app_set_view(&f.a, VIEW_TABLE);
    render(&f);
    ck_assert_ptr_nonnull(strstr(f.rows[2], "parse"));   /* self 4 first */
    key(&f, 's');                          /* by total: main (10) first */
    ck_assert_ptr_nonnull(strstr(f.rows[2], "main"));
    key(&f, 'S');                          /* reversed: smallest total first */
    ck_assert_ptr_nonnull(strstr(f.rows[2], "render"));
    key(&f, 's');                          /* by name */
    ck_assert_ptr_nonnull(strstr(f.rows[2], "idle"));
    key(&f, 'g');
    key(&f, 'j');
    ck_assert_ptr_nonnull(strstr(status(&f), " main "));
    close_app(&f);
}
END_TEST

START_TEST(search_counts_each_sample_once)
{
    struct fx f;

    open_app(&f, fixture, 80, 12);
    app_set_view(&f.a, VIEW_TABLE);
    ck_assert_int_eq(app_set_search(&f.a, "work|parse"), 0);
    render(&f);
    ck_assert_ptr_nonnull(strstr(status(&f), "2 matches, \u2026% of total"));  /* not yet */
    app_finish_work(&f.a);
    render(&f);
    /* work covers 7 of 10; parse is inside work: still 70% */
    ck_assert_ptr_nonnull(strstr(status(&f), "/work|parse/ 2 matches, 70.00% of total"));
    ck_assert_uint_eq(f.a.table.count, 2);
    ck_assert_int_eq(app_set_search(&f.a, "("), -1);   /* bad pattern: kept */
    ck_assert_int_eq(app_set_search(&f.a, "w+++"), -1); /* would eat gigabytes */
    ck_assert_ptr_nonnull(strstr(f.a.message, "a quantifier on a quantifier"));
    ck_assert_str_eq(f.a.search, "work|parse");
    ck_assert_int_eq(app_set_search(&f.a, "IDLE"), 0);  /* upper case: exact case */
    ck_assert_uint_eq(f.a.match_count, 0);
    ck_assert_int_eq(app_set_search(&f.a, "idle"), 0);
    ck_assert_uint_eq(f.a.match_count, 1);
    close_app(&f);
}
END_TEST

START_TEST(mouse_selects_and_double_click_zooms)
{
    struct fx f;

    open_app(&f, fixture, 40, 12);
    app_set_view(&f.a, VIEW_FLAME);
    render(&f);
    click(&f, 20, 3, M_CLICK);             /* on work */
    ck_assert_ptr_nonnull(strstr(status(&f), " work "));
    click(&f, 20, 3, M_DOUBLE);
    ck_assert_int_eq(strncmp(f.rows[3], "work", 4), 0);
    ck_assert_int_eq(strncmp(f.rows[4], "parse", 5), 0);
    close_app(&f);
}
END_TEST

START_TEST(sandwich_shows_callers_above)
{
    struct fx f;

    open_app(&f, "main;a;leaf 3\nmain;b;leaf 1\nmain;b 5\n", 40, 14);
    app_set_view(&f.a, VIEW_TABLE);
    app_set_search(&f.a, "^leaf$");
    render(&f);
    key(&f, K_ENTER);                      /* open the sandwich of leaf */
    ck_assert_int_eq(f.a.view, VIEW_SANDWICH);
    for (int y = 2; y < f.c.h - 2; y++) {
        if (strncmp(f.rows[y], "leaf", 4))
            continue;
        /* callers a (3) and b (1) right above, main above them */
        ck_assert_int_eq(strncmp(f.rows[y - 1], "a", 1), 0);
        ck_assert_ptr_nonnull(strstr(f.rows[y - 1], "b"));
        ck_assert_int_eq(strncmp(f.rows[y - 2], "main", 4), 0);
        close_app(&f);
        return;
    }
    ck_abort_msg("no leaf row in the sandwich");
}
END_TEST

START_TEST(small_terminals)
{
    struct fx f;

    open_app(&f, fixture, 40, 10);
    render(&f);
    ck_assert_int_eq(strncmp(f.rows[0], " ember", 6), 0);
    for (int y = 0; y < 10; y++)
        ck_assert_int_le((int)strlen(f.rows[y]), 40 * 3);
    canvas_resize(&f.c, 39, 9);
    render(&f);
    ck_assert_int_eq(strncmp(f.rows[0], "terminal too small", 18), 0);
    close_app(&f);
}
END_TEST

START_TEST(help_lists_every_binding)
{
    struct fx f;

    int zoom = 0, tags = 0;

    open_app(&f, fixture, 100, 60);
    key(&f, '?');
    for (int page = 0; page < 100; page++, key(&f, 'j')) {   /* scroll through it all */
        for (int y = 0; y < 60; y++) {
            zoom |= strstr(f.rows[y], "zoom into the selected node") != NULL;
            tags |= strstr(f.rows[y], "mark this value as the baseline") != NULL;
        }
    }
    ck_assert(zoom && tags);
    key(&f, K_ESC);
    ck_assert_int_eq(f.a.overlay, OV_NONE);
    close_app(&f);
}
END_TEST

/* Four profiles 10 s apart, region a then b: the timeline and its range. */
static void open_timed(struct fx *f, int w, int h)
{
    static const char *stacks[] = { "m;x 2\n", "m;x 4\n", "m;y 6\n", "m;y 8\n" };
    char err[SOURCE_ERR_MAX];

    memset(f, 0, sizeof *f);
    profile_init(&f->p);
    for (int i = 0; i < 4; i++) {
        size_t first = f->p.nsamples;
        struct label l = { .key = profile_intern(&f->p, "region", 6),
                           .str = profile_intern(&f->p, i < 2 ? "a" : "b", 1) };
        uint32_t set = profile_labelset(&f->p, &l, 1);

        ck_assert_int_eq(folded_load(&f->p, 0, (const uint8_t *)stacks[i], strlen(stacks[i]), err), 0);
        f->p.sources[f->p.nsources - 1].time_nanos = (1795496400LL + i * 10) * 1000000000LL;
        for (size_t s = first; s < f->p.nsamples; s++)
            f->p.samples[s].labels = set;
    }
    profile_finish(&f->p);
    canvas_init(&f->c, w, h, 1);
    app_init(&f->a, &f->p, 0, NULL, "timed", 1);
}

START_TEST(timeline_range_by_keys_and_drag)
{
    struct fx f;
    struct event press = { .kind = EV_MOUSE, .mouse = M_PRESS, .x = 0, .y = 1 };
    struct event release = { .kind = EV_MOUSE, .mouse = M_RELEASE, .x = 19, .y = 1 };

    open_timed(&f, 80, 20);
    app_set_view(&f.a, VIEW_FLAME);
    render(&f);
    ck_assert_ptr_nonnull(strstr(f.rows[2], "all 4 steps"));
    ck_assert_ptr_nonnull(strstr(f.rows[0], "total 20 "));
    key(&f, ']');                          /* start one step later: 4 + 6 + 8 */
    ck_assert_ptr_nonnull(strstr(f.rows[0], "total 18 "));
    ck_assert_ptr_nonnull(strstr(f.rows[2], "range "));
    key(&f, '{');                          /* end one step earlier: 4 + 6 */
    ck_assert_ptr_nonnull(strstr(f.rows[0], "total 10 "));
    /* the sparkline still shows all four steps: the range is drawn over it */
    ck_assert_uint_eq(canvas_at(&f.c, 79, 1)->ch, 0x2588);         /* 8 of 8: the peak */
    ck_assert_int_eq(canvas_at(&f.c, 79, 1)->role, ROLE_SPARK);    /* outside the range */
    ck_assert_int_eq(canvas_at(&f.c, 30, 1)->role, ROLE_RANGE);    /* inside it */
    key(&f, '\\');
    ck_assert_ptr_nonnull(strstr(f.rows[0], "total 20 "));
    app_event(&f.a, &press);               /* drag over the first quarter */
    app_event(&f.a, &release);
    render(&f);
    ck_assert_ptr_nonnull(strstr(f.rows[0], "total 2 "));
    close_app(&f);
}
END_TEST

START_TEST(comparison_has_a_timeline_per_side)
{
    struct fx f;

    open_timed(&f, 100, 24);
    app_set_query(&f.a, 1, "{}");
    app_set_view(&f.a, VIEW_COMPARE);
    render(&f);
    ck_assert_int_gt(f.a.tl_area[0].w, 0);
    ck_assert_int_gt(f.a.tl_area[1].w, 0);
    ck_assert_int_ne(f.a.tl_area[0].x, f.a.tl_area[1].x);
    key(&f, K_TAB);                        /* focus B: its range only */
    key(&f, ']');
    key(&f, ']');
    ck_assert_int_eq(f.a.side[1].flat.grand_total, 14);     /* 6 + 8 */
    ck_assert_int_eq(f.a.side[0].flat.grand_total, 20);
    /* rows 1-2: the two timelines; row 3: the two titles */
    ck_assert_ptr_nonnull(strstr(f.rows[2], "05:00:15..05:00:30"));
    ck_assert_ptr_nonnull(strstr(f.rows[3], "A {}  total 20"));
    ck_assert_ptr_nonnull(strstr(f.rows[3], "B {}  total 14"));
    close_app(&f);
}
END_TEST

START_TEST(tags_compare_and_diff)
{
    struct fx f;

    open_timed(&f, 120, 24);
    app_set_view(&f.a, VIEW_TAGS);
    render(&f);
    ck_assert_ptr_nonnull(strstr(f.rows[3], "group by region"));
    ck_assert_ptr_nonnull(strstr(f.rows[5], " b "));          /* 14 before 6 */
    ck_assert_ptr_nonnull(strstr(f.rows[5], "70.00%"));
    ck_assert_ptr_nonnull(strstr(f.rows[6], " a "));
    key(&f, 'j');
    key(&f, 'c');                          /* a against every other value */
    ck_assert_int_eq(f.a.view, VIEW_COMPARE);
    ck_assert_str_eq(f.a.side[0].query, "{region!=\"a\"}");
    ck_assert_str_eq(f.a.side[1].query, "{region=\"a\"}");
    key(&f, '7');                          /* x only in a: new; y only in b: gone */
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
    close_app(&f);
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
            render(&f);
            key(&f, 'j');              /* and a key or two at that size */
            key(&f, K_TAB);
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
    close_app(&f);
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
    render(&f);
    key(&f, ':');
    key(&f, K_CTRL('u'));
    key(&f, '{');
    key(&f, 'p');
    key(&f, K_TAB);
    ck_assert_str_eq(f.a.query_edit.buf, "{path=\"");
    key(&f, K_TAB);
    ck_assert_str_eq(f.a.query_edit.buf, "{path=\"C:\\\\tmp\\\"x\"");
    key(&f, '}');
    key(&f, K_ENTER);
    ck_assert_int_eq(f.a.overlay, OV_NONE);    /* it parsed */
    ck_assert_str_eq(f.a.side[0].sel.m[0].value, "C:\\tmp\"x");
    close_app(&f);
}
END_TEST

Suite *app_suite(void)
{
    Suite *s = suite_create("app");
    TCase *tc = tcase_create("views");

    tcase_add_test(tc, flame_navigation_and_zoom);
    tcase_add_test(tc, table_sorts_and_selects);
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
