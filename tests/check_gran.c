/* Issue 13's granularity in the explorer (src/ui/granularity.c, the status
 * bar's frame_where, model/granularity.c's names): r reads every source
 * again at the next granularity into the same model, keeps the numbers,
 * the selection by function name and the old frames for the way back; a
 * failure keeps the model; Y names it; the status bar's file:line. */
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "granularity.h"
#include "source.h"
#include "text.h"
#include "view_fx.h"

static const char *reload_path;        /* what the test's reload reads */
static int reload_fail;                /* 1: read, then fail (half-way) */

/* main.c's reload_sources in small: the one fixture path at g. */
static int reload(struct profile *p, enum granularity g, void *ctx, char *err)
{
    struct load_options lo = { .max_size = (size_t)1 << 30, .granularity = g };

    (void)ctx;
    if (source_load_path(p, reload_path, &lo, err))
        return -1;
    if (reload_fail) {
        snprintf(err, SOURCE_ERR_MAX, "gone");
        return -1;
    }
    return 0;
}

static void open_path(struct fx *f, const char *path, uint32_t type)
{
    reload_path = path;
    reload_fail = 0;
    fx_begin(f);
    fx_add_path(f, path);
    fx_start(f, type, NULL, "fixture", 120, 24);
    app_set_reload(reload, NULL);
    app_set_view(&f->a, VIEW_TABLE);
    fx_render(f);
}

static uint32_t frame_named(const struct profile *p, const char *name)
{
    for (uint32_t i = 0; i < p->nframes; i++)
        if (!strcmp(profile_str(p, p->frames[i].name), name))
            return i;
    return UINT32_MAX;
}

static const char *sel_func(const struct fx *f)
{
    const struct frame *fr = &f->p.frames[f->a.sel_frame];

    return profile_str(&f->p, fr->func ? fr->func : fr->name);
}

START_TEST(names_read_back)
{
    enum granularity got;

    for (int g = 0; g < GRAN_COUNT; g++) {
        ck_assert_int_eq(granularity_parse(granularity_name((enum granularity)g), &got), 0);
        ck_assert_int_eq(got, g);
    }
    ck_assert_str_eq(granularity_name(GRAN_LINES), "lines");
    ck_assert_str_eq(granularity_name(GRAN_FILEFUNCTIONS), "filefunctions");
    ck_assert_int_eq(granularity_parse("line", &got), -1);
}
END_TEST

/* go-cpu's CPU total, from go tool pprof -top: "Total samples = 2950000000ns" */
#define GO_CPU_TOTAL 2950000000LL

START_TEST(switch_keeps_numbers_and_selection)
{
    struct fx f;
    uint32_t cpu, fib, frames_at_lines;

    fx_begin(&f);
    fx_add_path(&f, TEST_DATA "/go-cpu.pb.gz");
    cpu = profile_find_type(&f.p, "cpu");
    profile_free(&f.p);
    open_path(&f, TEST_DATA "/go-cpu.pb.gz", cpu);
    ck_assert_int_eq(f.a.side[0].flat.grand_total, GO_CPU_TOTAL);
    fib = frame_named(&f.p, "main.fib");
    ck_assert_uint_ne(fib, UINT32_MAX);
    f.a.sel_frame = fib;

    ck_assert_int_eq(app_set_granularity(&f.a, GRAN_LINES), 0);
    fx_render(&f);
    ck_assert_int_eq(f.p.granularity, GRAN_LINES);
    ck_assert_uint_eq(f.p.nsources, 1);         /* the old read went */
    ck_assert_int_eq(f.a.side[0].flat.grand_total, GO_CPU_TOTAL);
    ck_assert_str_eq(sel_func(&f), "main.fib");
    ck_assert_ptr_nonnull(strstr(f.rows[0], "lines"));      /* the header says it */
    frames_at_lines = f.p.nframes;

    /* back: the same frames as at first, nothing new */
    ck_assert_int_eq(app_set_granularity(&f.a, GRAN_FUNCTIONS), 0);
    fx_render(&f);
    ck_assert_uint_eq(f.a.sel_frame, fib);
    ck_assert_ptr_null(strstr(f.rows[0], "functions"));
    ck_assert_int_eq(f.a.side[0].flat.grand_total, GO_CPU_TOTAL);
    ck_assert_int_eq(app_set_granularity(&f.a, GRAN_LINES), 0);
    ck_assert_uint_eq(f.p.nframes, frames_at_lines);
    fx_close(&f);
}
END_TEST

START_TEST(a_failure_keeps_the_model)
{
    struct fx f;
    uint32_t nframes_before, sel;
    int64_t total;

    open_path(&f, TEST_DATA "/go-heap.pb.gz", 1);
    total = f.a.side[0].flat.grand_total;
    sel = f.a.sel_frame;
    nframes_before = f.p.nsources;
    reload_fail = 1;
    ck_assert_int_eq(app_set_granularity(&f.a, GRAN_FILES), -1);
    fx_render(&f);
    ck_assert_int_eq(f.p.granularity, GRAN_FUNCTIONS);
    ck_assert_uint_eq(f.p.nsources, nframes_before);
    ck_assert_int_eq(f.a.side[0].flat.grand_total, total);
    ck_assert_uint_eq(f.a.sel_frame, sel);
    ck_assert_ptr_nonnull(strstr(fx_status(&f), "granularity files: gone"));
    fx_close(&f);
}
END_TEST

/* A folder of heap snapshots (cumulative alloc_space: deltas between
 * them) reads again to the same total: its series settle afresh. */
START_TEST(a_folder_of_snapshots_reads_again)
{
    struct fx f;
    uint32_t t;
    int64_t total;

    fx_begin(&f);
    fx_add_path(&f, TEST_DATA "/snapshots/series");
    t = profile_find_type(&f.p, "alloc_space");
    profile_free(&f.p);
    open_path(&f, TEST_DATA "/snapshots/series", t);
    total = f.a.side[0].flat.grand_total;
    ck_assert_int_ne(total, 0);
    ck_assert_int_eq(app_set_granularity(&f.a, GRAN_FILEFUNCTIONS), 0);
    ck_assert_int_eq(f.a.side[0].flat.grand_total, total);
    ck_assert_int_eq(app_set_granularity(&f.a, GRAN_FUNCTIONS), 0);
    ck_assert_int_eq(f.a.side[0].flat.grand_total, total);
    fx_close(&f);
}
END_TEST

/* r says what it reads, then the next tick switches; Y names it. */
START_TEST(r_key_cycles_and_Y_names_it)
{
    struct fx f;
    struct sbuf b = { 0 };

    open_path(&f, TEST_DATA "/go-cpu.pb.gz", 1);
    fx_key(&f, 'r');
    ck_assert_ptr_nonnull(strstr(fx_status(&f), "reading at filefunctions granularity"));
    ck_assert_int_eq(app_wait_ms(&f.a, 100), 0);
    app_tick(&f.a);
    fx_render(&f);
    ck_assert_int_eq(f.p.granularity, GRAN_FILEFUNCTIONS);
    ck_assert_ptr_null(strstr(fx_status(&f), "reading at"));
    share_command_line(&f.a, &b);
    ck_assert_ptr_nonnull(strstr(b.s, "--granularity filefunctions"));
    sbuf_free(&b);
    for (int i = 0; i < GRAN_COUNT - 1; i++) {  /* round to functions */
        fx_key(&f, 'r');
        app_tick(&f.a);
    }
    ck_assert_int_eq(f.p.granularity, GRAN_FUNCTIONS);
    share_command_line(&f.a, &b);
    ck_assert_ptr_null(strstr(b.s, "--granularity"));
    sbuf_free(&b);
    fx_close(&f);
}
END_TEST

/* Go writes no start line (go tool pprof -raw: "main.fib embergen/main.go:34
 * s=0" for its first location, 12): the status bar gives that line. */
START_TEST(status_bar_gives_a_line)
{
    struct fx f;
    struct frame fr = { 0 };
    char buf[128];

    open_path(&f, TEST_DATA "/go-cpu.pb.gz", 1);
    f.a.sel_frame = frame_named(&f.p, "main.fib");
    fx_render(&f);
    ck_assert_msg(strstr(fx_status(&f), "embergen/main.go:34 (a sampled line)") != NULL, "%s",
                  fx_status(&f));
    fx_close(&f);

    fx_begin(&f);
    fr.file = profile_intern(&f.p, "m.go", 4);
    fr.line = 42;
    frame_where(&f.p, &fr, buf, sizeof buf);
    ck_assert_str_eq(buf, " m.go:42 (start)");
    f.p.granularity = GRAN_LINES;
    frame_where(&f.p, &fr, buf, sizeof buf);
    ck_assert_str_eq(buf, " m.go:42");
    f.p.granularity = GRAN_FILES;
    frame_where(&f.p, &fr, buf, sizeof buf);
    ck_assert_str_eq(buf, "");
    f.p.granularity = GRAN_FUNCTIONS;
    fr.line = 0;
    frame_where(&f.p, &fr, buf, sizeof buf);
    ck_assert_str_eq(buf, " m.go");
    profile_free(&f.p);
}
END_TEST

Suite *gran_suite(void)
{
    Suite *s = suite_create("gran");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, names_read_back);
    tcase_add_test(tc, switch_keeps_numbers_and_selection);
    tcase_add_test(tc, a_failure_keeps_the_model);
    tcase_add_test(tc, a_folder_of_snapshots_reads_again);
    tcase_add_test(tc, r_key_cycles_and_Y_names_it);
    tcase_add_test(tc, status_bar_gives_a_line);
    suite_add_tcase(s, tc);
    return s;
}
