/* The source view's review findings (issue 13): r inside it, L from a
 * comparison's side B, L with nothing selected. go-cpu.pb.gz, its source
 * under tests/data/go (recorded as embergen/main.go). The numbers are
 * `go tool pprof -source_path tests/data/go -trim_path embergen -list
 * 'main\.fib$' tests/data/go-cpu.pb.gz` (also with -addresses: the same
 * lines): line 34 "50ms 410ms", the routine 390ms 770ms. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_suites.h"
#include "granularity.h"
#include "source.h"
#include "srcfile.h"
#include "view_fx.h"

#define W 120
#define H 30

static const char *reload_path;

/* main.c's reload_sources in small: the one fixture path at g. */
static int reload(struct profile *p, enum granularity g, void *ctx, char *err)
{
    struct load_options lo = { .max_size = (size_t)1 << 30, .granularity = g };

    (void)ctx;
    return source_load_path(p, reload_path, &lo, err) ? -1 : 0;
}

static void open_cpu(struct fx *f, const struct side_spec *spec)
{
    reload_path = TEST_DATA "/go-cpu.pb.gz";
    srcfile_set_paths(TEST_DATA "/go", "embergen");
    fx_begin(f);
    fx_add_path(f, reload_path);
    fx_start(f, f->p.default_type, spec, "go-cpu", W, H);
    app_set_reload(reload, NULL);
    app_set_view(&f->a, VIEW_TABLE);
    fx_render(f);
}

static void close_cpu(struct fx *f)
{
    fx_close(f);
    app_set_reload(NULL, NULL);
    srcfile_set_paths(NULL, NULL);
}

static void select_func(struct fx *f, const char *func)
{
    for (uint32_t i = 0; i < f->p.nframes; i++)
        if (f->p.frames[i].func && !strcmp(profile_str(&f->p, f->p.frames[i].func), func)) {
            f->a.sel_frame = i;
            return;
        }
    ck_abort_msg("no frame of %s", func);
}

/* r, then the tick that switches. */
static void cycle(struct fx *f)
{
    fx_key(f, 'r');
    app_wait_ms(&f->a, 100);
    app_tick(&f->a);
    fx_render(f);
}

/* L at functions switches to lines; r inside the view goes to addresses:
 * the same listing (a line once a sample); r again (functions: no lines)
 * leaves the view for the table, saying why. */
START_TEST(r_inside_the_view)
{
    struct fx f;

    open_cpu(&f, NULL);
    select_func(&f, "main.fib");
    fx_key(&f, 'L');
    ck_assert_int_eq(f.p.granularity, GRAN_LINES);
    ck_assert_int_ge(fx_row_with(&f, "      50ms      410ms     34:"), 0);
    cycle(&f);
    ck_assert_int_eq(f.p.granularity, GRAN_ADDRESSES);
    ck_assert_int_ge(fx_row_with(&f, "[Source]"), 0);
    ck_assert_int_ge(fx_row_with(&f, "cum 770ms"), 0);
    ck_assert_int_ge(fx_row_with(&f, "      50ms      410ms     34:"), 0);
    cycle(&f);
    ck_assert_int_eq(f.p.granularity, GRAN_FUNCTIONS);
    ck_assert_int_eq(f.a.view, VIEW_TABLE);
    ck_assert_int_lt(fx_row_with(&f, "[Source]"), 0);
    ck_assert_ptr_nonnull(strstr(fx_status(&f), "source view left"));
    close_cpu(&f);
}
END_TEST

/* Under a filter the shares are of the total before it, as the table's
 * and pprof's (go tool pprof -focus '^main\.isEven$' -list
 * '^main\.isOdd$': 20ms 30ms, 1.02% of 2.95s), not of the filtered 20ms
 * (150%). */
START_TEST(share_of_the_whole)
{
    struct fx f;

    open_cpu(&f, NULL);
    select_func(&f, "main.isEven");
    fx_key(&f, 'f');
    app_settle(&f.a);
    fx_render(&f);
    ck_assert_ptr_nonnull(strstr(f.rows[0], "focus="));
    select_func(&f, "main.isOdd");
    fx_key(&f, 'L');
    ck_assert_int_ge(fx_row_with(&f, "main.isOdd in main.go   flat 20ms  cum 30ms (1.02% of total)"),
                     0);
    close_cpu(&f);
}
END_TEST

/* L from the comparison's side B (us-east), on B's flamegraph's first
 * child (main.cpuProfile.func1, every us-east stack's root), lists B, and
 * the header and the status bar are B's: total 1.4s (go tool pprof
 * -tagfocus region=us-east -relative_percentages -list
 * 'main\.cpuProfile\.func1$': Total 1.40s, flat 0, cum 1.40s, 100%), not
 * A's (eu-north: 1.51s); q returns to the comparison with B focused. */
START_TEST(side_b)
{
    struct fx f;
    const struct side_spec spec[2] = { { "{region=\"eu-north\"}", INT64_MIN, INT64_MAX },
                                       { "{region=\"us-east\"}", INT64_MIN, INT64_MAX } };

    open_cpu(&f, spec);
    app_set_view(&f.a, VIEW_COMPARE);
    app_settle(&f.a);
    fx_render(&f);
    fx_key(&f, K_TAB);
    ck_assert_int_eq(f.a.focus & 1, 1);
    fx_key(&f, 'j');
    fx_key(&f, 'L');
    app_settle(&f.a);
    fx_render(&f);
    ck_assert_int_ge(fx_row_with(&f, "main.cpuProfile.func1 in main.go   flat 0ns  cum 1.4s "
                                     "(100.00% of total)"), 0);
    ck_assert_msg(strstr(f.rows[0], "us-east\"}  cpu (nanoseconds)  total 1.4s ") != NULL,
                  "header: %s", f.rows[0]);
    ck_assert_ptr_null(strstr(f.rows[0], "1.51s"));
    ck_assert_ptr_nonnull(strstr(fx_status(&f), "of B)"));
    fx_key(&f, 'q');
    ck_assert_int_eq(f.a.view, VIEW_COMPARE);
    ck_assert_int_eq(f.a.focus & 1, 1);
    close_cpu(&f);
}
END_TEST

/* L on the flamegraph's root (no function) says so and stays, though a
 * function was selected in the table before (a->sel_frame still names
 * it); L on a function of the flamegraph lists it. */
START_TEST(flame_root)
{
    struct fx f;

    open_cpu(&f, NULL);
    select_func(&f, "main.fib");
    app_set_view(&f.a, VIEW_FLAME);
    fx_render(&f);
    ck_assert_uint_eq(f.a.side[0].flame.tree.node[f.a.side[0].flame.sel].frame, TRIE_NO_FRAME);
    fx_key(&f, 'L');
    ck_assert_int_eq(f.a.view, VIEW_FLAME);
    ck_assert_int_lt(fx_row_with(&f, "main.fib in"), 0);
    ck_assert_ptr_nonnull(strstr(fx_status(&f), "L: select a function first"));
    fx_key(&f, 'j');            /* the root's first child */
    fx_key(&f, 'L');
    ck_assert_int_ge(fx_row_with(&f, "[Source]"), 0);
    close_cpu(&f);
}
END_TEST

/* The resident set in KiB (VmRSS). */
static long rss_kib(void)
{
    FILE *fp = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;

    while (fp && fgets(line, sizeof line, fp))
        if (!strncmp(line, "VmRSS:", 6))
            kib = atol(line + 6);
    if (fp)
        fclose(fp);
    return kib;
}

/* A file of 16 Mi newlines (16 MiB, all read): its 16 Mi line offsets
 * take 4 bytes each, 64 MiB beside its 16 MiB of bytes; 8 bytes each
 * (before) were 128 MiB, 144 MiB in all. */
START_TEST(many_newlines_bounded)
{
    char path[] = "/tmp/ember-srcfix-XXXXXX", err[256];
    int fd = mkstemp(path);
    char *nl = malloc(1 << 20);
    struct srcfile src;
    long before;

    ck_assert_int_ge(fd, 0);
    memset(nl, '\n', 1 << 20);
    for (int i = 0; i < 16; i++)
        ck_assert_int_eq(write(fd, nl, 1 << 20), 1 << 20);
    close(fd);
    free(nl);
    before = rss_kib();
    ck_assert_int_eq(srcfile_read(&src, path, "/", NULL, err, sizeof err), 0);
    ck_assert_uint_eq(src.nlines, 16u << 20);
    ck_assert_int_eq(src.truncated, 0);
#ifndef __SANITIZE_ADDRESS__    /* ASan's shadow and redzones count too */
    ck_assert_int_lt(rss_kib() - before, 100 * 1024);
#else
    (void)before;
#endif
    srcfile_free(&src);
    unlink(path);
}
END_TEST

/* The source view of a file of more than 100000 lines has rows only for
 * the lines within 1000 of the samples, and says so: main.go with 200000
 * lines appended; fib's samples are on lines 30-34, so rows 1-1034. */
START_TEST(large_file_window)
{
    char dir[] = "/tmp/ember-srcdir-XXXXXX", path[64], line[512];
    struct fx f;
    FILE *in, *out;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/main.go", dir);
    in = fopen(TEST_DATA "/go/main.go", "r");
    out = fopen(path, "w");
    ck_assert(in && out);
    while (fgets(line, sizeof line, in))
        fputs(line, out);
    for (int i = 0; i < 200000; i++)
        fputs("// more\n", out);
    fclose(in);
    fclose(out);
    open_cpu(&f, NULL);
    srcfile_set_paths(dir, "embergen");
    select_func(&f, "main.fib");
    fx_key(&f, 'L');
    fx_key(&f, 'g');
    ck_assert_int_ge(fx_row_with(&f, "(lines 1-1034 of "), 0);
    ck_assert_int_ge(fx_row_with(&f, " shown (those within 1000 of the samples)"), 0);
    fx_key(&f, 'G');
    ck_assert_int_ge(fx_row_with(&f, "  1034: // more"), 0);
    ck_assert_int_lt(fx_row_with(&f, "  1035: "), 0);
    close_cpu(&f);
    unlink(path);
    rmdir(dir);
}
END_TEST

Suite *sourcefix_suite(void)
{
    Suite *s = suite_create("sourcefix");
    TCase *tc = tcase_create("sourcefix");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, r_inside_the_view);
    tcase_add_test(tc, share_of_the_whole);
    tcase_add_test(tc, side_b);
    tcase_add_test(tc, flame_root);
    tcase_add_test(tc, many_newlines_bounded);
    tcase_add_test(tc, large_file_window);
    suite_add_tcase(s, tc);
    return s;
}
