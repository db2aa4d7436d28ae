/* The metadata view (I), driven through the app on go-cpu.pb.gz. Every
 * expected number comes from `go tool pprof -raw tests/data/go-cpu.pb.gz`
 * (kept as tests/data/expected/go-cpu.raw) or from the pprof-made
 * tests/data/expected/go-cpu.cpu.folded, counted with awk as each comment
 * says; none from ember's own output. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "check_suites.h"
#include "keys.h"
#include "view_fx.h"

static void open_cpu(struct fx *f, int h)
{
    fx_begin(f);
    fx_add_file(f, "go-cpu.pb.gz");
    fx_start(f, f->p.default_type, NULL, "go-cpu", 120, h);
    fx_render(f);
    fx_key(f, 'I');
}

START_TEST(metadata_tells_the_data_set)
{
    struct fx f;

    open_cpu(&f, 60);
    ck_assert_ptr_nonnull(strstr(f.rows[0], "[Metadata]"));
    /* -raw: "Time: 2026-11-24 05:19:47.355524731 +0000 UTC", "PeriodType:
     * cpu nanoseconds", "Period: 10000000" (10 ms); its "Duration: 1.61" is
     * cut, not rounded: `gzip -dc go-cpu.pb.gz | protoc --decode=
     * perftools.profiles.Profile proto/profile.proto` has duration_nanos:
     * 1615367288, 1.62 s to two decimals */
    ck_assert_int_ge(fx_row_with(&f, "Sources: 1"), 0);
    ck_assert_int_ge(fx_row_with(&f, "2026-11-24 05:19:47 +0000  duration 1.62s  period 10ms cpu"), 0);
    /* -raw's header "samples/count cpu/nanoseconds"; the totals are the
     * sums of its two columns: awk '/^ +[0-9]+ +[0-9]+:/ {c += $1; v += $2}'
     * gives 295 and 2950000000 (2.95 s) */
    ck_assert_int_ge(fx_row_with(&f, "Sample types: 2"), 0);
    ck_assert_int_ge(fx_row_with(&f, "samples (count)  total 295"), 0);
    ck_assert_int_ge(fx_row_with(&f, " * cpu (nanoseconds)  total 2.95s"), 0);
    /* samples: the -raw lines of a sample, awk '/^ +[0-9]+ +[0-9]+:/' | wc -l */
    ck_assert_int_ge(fx_row_with(&f, "samples 269"), 0);
    /* stacks of functions (inlined frames expanded): the lines of
     * go-cpu.cpu.folded (wc -l: 92); call-tree nodes: its distinct
     * prefixes (303); functions: its distinct names (113), the same as the
     * lines of go-cpu.cpu.top */
    ck_assert_int_ge(fx_row_with(&f, "stacks 92 "), 0);
    ck_assert_int_ge(fx_row_with(&f, "call-tree nodes 303"), 0);
    ck_assert_int_ge(fx_row_with(&f, "functions 113"), 0);
    /* -raw's label lines: region:[us-east] / [eu-north], worker:[a] / [b];
     * and the label ember gives every sample of a file: file="go-cpu.pb.gz" */
    ck_assert_int_ge(fx_row_with(&f, "Labels: 3"), 0);
    ck_assert_int_ge(fx_row_with(&f, "file  1 value"), 0);
    ck_assert_int_ge(fx_row_with(&f, "region  2 values"), 0);
    ck_assert_int_ge(fx_row_with(&f, "worker  2 values"), 0);
    ck_assert_int_ge(fx_row_with(&f, "A {}  every time"), 0);
    fx_close(&f);
}
END_TEST

/* Each side's query and range, B once a comparison made it. */
START_TEST(metadata_shows_each_side)
{
    struct fx f;
    struct side_spec spec[2] = { { "{region=\"eu-north\"}", INT64_MIN, INT64_MAX },
                                 { "{region=\"us-east\"}", INT64_MIN, INT64_MAX } };

    fx_begin(&f);
    fx_add_file(&f, "go-cpu.pb.gz");
    fx_start(&f, f.p.default_type, spec, "go-cpu", 120, 60);
    fx_key(&f, 'I');
    ck_assert_int_ge(fx_row_with(&f, "A {region=\"eu-north\"}  every time"), 0);
    ck_assert_int_ge(fx_row_with(&f, "B {region=\"us-east\"}  every time"), 0);
    fx_close(&f);
}
END_TEST

/* On a short screen j and k scroll; k at the top does nothing. */
START_TEST(metadata_scrolls)
{
    struct fx f;

    open_cpu(&f, 12);
    ck_assert_int_ge(fx_row_with(&f, "Sources: 1"), 0);
    ck_assert_int_eq(fx_key(&f, 'k') & R_REDRAW, 0);
    ck_assert_int_ne(fx_key(&f, 'j') & R_REDRAW, 0);
    ck_assert_int_lt(fx_row_with(&f, "Sources: 1"), 0);
    for (int i = 0; i < 30; i++)
        fx_key(&f, 'j');
    ck_assert_int_ge(fx_row_with(&f, "Sides"), 0);
    fx_key(&f, K_PGUP);
    fx_key(&f, K_PGUP);
    fx_key(&f, K_PGUP);
    ck_assert_int_ge(fx_row_with(&f, "Sources: 1"), 0);
    ck_assert_int_eq(fx_key(&f, '1') & R_REDRAW, R_REDRAW);   /* and back */
    ck_assert_int_eq(f.a.view, VIEW_FLAME);
    fx_close(&f);
}
END_TEST

Suite *metadata_suite(void)
{
    Suite *s = suite_create("metadata");
    TCase *tc = tcase_create("metadata");

    tcase_add_test(tc, metadata_tells_the_data_set);
    tcase_add_test(tc, metadata_shows_each_side);
    tcase_add_test(tc, metadata_scrolls);
    suite_add_tcase(s, tc);
    return s;
}
