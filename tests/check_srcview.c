/* The source view (L) driven into the in-memory canvas: a Go CPU profile
 * at lines granularity, its source under tests/data/go (recorded as
 * embergen/main.go: --source-path tests/data/go --trim-path embergen). The
 * numbers are go tool pprof's: `go tool pprof -source_path tests/data/go
 * -trim_path embergen -list 'main\.fib$' tests/data/go-cpu.pb.gz` prints
 *      160ms      170ms     30:func fib(n int) int {
 *       70ms       80ms     31:	if n < 2 {
 *      110ms      110ms     32:		return n
 *       50ms      410ms     34:	return fib(n-1) + fib(n-2) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "source.h"
#include "srcfile.h"
#include "view_fx.h"

#define W 100
#define H 30

static void open_lines(struct fx *f, const char *path)
{
    struct load_options o = { .max_size = (size_t)1 << 30, .granularity = GRAN_LINES };
    char err[SOURCE_ERR_MAX];

    fx_begin(f);
    ck_assert_msg(source_load_path(&f->p, path, &o, err) == 0, "%s: %s", path, err);
    fx_start(f, f->p.default_type, NULL, path, W, H);
    app_set_view(&f->a, VIEW_TABLE);    /* select_func: the table's selection */
    fx_render(f);
}

/* Selects a frame of function func (any of its lines). */
static void select_func(struct fx *f, const char *func)
{
    for (uint32_t i = 0; i < f->p.nframes; i++)
        if (f->p.frames[i].func && !strcmp(profile_str(&f->p, f->p.frames[i].func), func)) {
            f->a.sel_frame = i;
            return;
        }
    ck_abort_msg("no frame of %s", func);
}

/* The row that holds text, as a string (for the selected row's look). */
static int selected_row(struct fx *f)
{
    for (int y = 0; y < H; y++)
        if (canvas_at(&f->c, 30, y)->role == ROLE_SELECTED)
            return y;
    return -1;
}

/* L opens on the hottest line (fib's line 30: 160ms flat), selected, with
 * pprof's numbers; n goes to the next line with samples (31), G to the
 * end, N back to the last hot line (34); q returns to the view L was
 * pressed in. Hot lines are ROLE_HOT, the others plain. */
START_TEST(opens_on_hottest_line)
{
    struct fx f;
    int y;

    srcfile_set_paths("tests/data/go", "embergen");
    open_lines(&f, "tests/data/go-cpu.pb.gz");
    int before = f.a.view;
    select_func(&f, "main.fib");
    fx_key(&f, 'L');
    ck_assert_int_ge(fx_row_with(&f, "[Source]"), 0);
    ck_assert_int_ge(fx_row_with(&f, "main.fib in main.go"), 0);
    y = fx_row_with(&f, "     160ms      170ms     30: func fib(n int) int {");
    ck_assert_msg(y >= 0, "line 30 with pprof's numbers");
    ck_assert_int_eq(selected_row(&f), y);
    ck_assert_int_ge(fx_row_with(&f, "      70ms       80ms     31:         if n < 2 {"), 0);
    ck_assert_int_ge(fx_row_with(&f, "     110ms      110ms     32:                 return n"), 0);
    ck_assert_int_ge(fx_row_with(&f, "      50ms      410ms     34:         return fib(n-1)"), 0);
    y = fx_row_with(&f, "         .          .     33:         }");
    ck_assert_int_ge(y, 0);
    ck_assert_int_eq(canvas_at(&f.c, 30, y)->role, ROLE_NORMAL);
    fx_key(&f, 'n');
    ck_assert_int_eq(selected_row(&f), fx_row_with(&f, "     31:         if n < 2 {"));
    ck_assert_int_eq(canvas_at(&f.c, 30, fx_row_with(&f, "     32:"))->role, ROLE_HOT);
    fx_key(&f, 'n');
    fx_key(&f, 'n');
    ck_assert_int_eq(selected_row(&f), fx_row_with(&f, "     34:         return fib(n-1)"));
    fx_key(&f, 'q');
    ck_assert_int_eq(f.a.view, before);
    ck_assert_int_lt(fx_row_with(&f, "[Source]"), 0);
    fx_close(&f);
    srcfile_set_paths(NULL, NULL);
}
END_TEST

/* Without the source: the lines with samples alone, and why not; Esc
 * returns. */
START_TEST(numbers_alone)
{
    struct fx f;

    srcfile_set_paths("/nonexistent", NULL);
    open_lines(&f, "tests/data/go-cpu.pb.gz");
    int before = f.a.view;
    select_func(&f, "main.fib");
    fx_key(&f, 'L');
    ck_assert_int_ge(fx_row_with(&f, "could not find file embergen/main.go on path /nonexistent"),
                     0);
    ck_assert_int_eq(selected_row(&f), fx_row_with(&f, "     160ms      170ms     30: "));
    ck_assert_int_lt(fx_row_with(&f, "func fib"), 0);
    fx_key(&f, K_ESC);
    ck_assert_int_eq(f.a.view, before);
    fx_close(&f);
    srcfile_set_paths(NULL, NULL);
}
END_TEST

static int no_switch(struct app *a, enum granularity g)
{
    (void)g;
    snprintf(a->message, sizeof a->message, "test: no switch");
    return -1;
}

/* At function granularity L asks for lines; when that fails, its message
 * shows and the view stays. */
START_TEST(switch_fails)
{
    struct fx f;

    fx_begin(&f);
    fx_add_file(&f, "go-cpu.pb.gz");
    fx_start(&f, f.p.default_type, NULL, "go-cpu", W, H);
    app_set_view(&f.a, VIEW_TABLE);
    f.a.set_granularity = no_switch;
    fx_render(&f);
    int before = f.a.view;
    select_func(&f, "main.fib");
    fx_key(&f, 'L');
    ck_assert_int_eq(f.a.view, before);
    ck_assert_int_ge(fx_row_with(&f, "test: no switch"), 0);
    fx_close(&f);
}
END_TEST

Suite *srcview_suite(void)
{
    Suite *s = suite_create("srcview");
    TCase *tc = tcase_create("srcview");

    tcase_add_test(tc, opens_on_hottest_line);
    tcase_add_test(tc, numbers_alone);
    tcase_add_test(tc, switch_fails);
    suite_add_tcase(s, tc);
    return s;
}
