/* The numbers the explorer prints: every share of the right side's total,
 * never above 100% where it means a share, and saying whose it is where two
 * sides are on screen (issue 7, "Wrong numbers"). Expected values come from
 * go tool pprof's tables in tests/data/expected, or by hand from a folded
 * fixture, never from ember's own output. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "check_suites.h"
#include "diff.h"
#include "units.h"
#include "view_fx.h"

#define EU "{region=\"eu-north\"}"

/* Opens the explorer on a fixture file with side A and B's queries (NULL:
 * the single view's defaults) and sample type `type`. Both openers set
 * settle: the search's share comes in slices, and the numbers checked here
 * are those once it is done. */
static void open_file(struct fx *f, const char *file, const char *type, const char *qa,
                      const char *qb, int w, int h)
{
    struct side_spec spec[2] = { { qa, INT64_MIN, INT64_MAX }, { qb, INT64_MIN, INT64_MAX } };

    fx_begin(f);
    f->settle = 1;
    fx_add_file(f, file);
    fx_start(f, profile_find_type(&f->p, type), qa || qb ? spec : NULL, "fx", w, h);
}

static void open_folded(struct fx *f, const char *folded, int w, int h)
{
    fx_open_folded(f, folded, "fx", w, h);
    f->settle = 1;
}

#define has(row, text) ck_assert_msg(strstr((row), (text)) != NULL, "want '%s' in '%s'", \
                                     (text), (row))
#define hasnt(row, text) ck_assert_msg(strstr((row), (text)) == NULL, \
                                       "'%s' should not be in '%s'", (text), (row))

/* A row of go tool pprof's table: self and total of function `name`. */
static int top_row(const char *file, const char *name, int64_t *self, int64_t *total)
{
    char path[512], line[4096];
    FILE *in;
    int found = 0;

    snprintf(path, sizeof path, "%s/expected/%s", TEST_DATA, file);
    ck_assert_ptr_nonnull(in = fopen(path, "r"));
    *self = *total = 0;
    while (!found && fgets(line, sizeof line, in)) {
        long long s, t;
        int at;

        line[strcspn(line, "\n")] = '\0';
        if (sscanf(line, "%lld\t%lld\t%n", &s, &t, &at) == 2 && !strcmp(line + at, name)) {
            *self = s, *total = t;
            found = 1;
        }
    }
    fclose(in);
    return found;
}

static void ns(int64_t v, char *buf)
{
    units_format(v, "nanoseconds", buf, UNITS_BUF);
}

#define ALL "go-cpu.cpu.top"
#define EU_TOP "go-cpu.cpu.q-eu-north.top"

/* Point 1: the diff's status bar shows each side's value as a share of its
 * own total, and the change. A = eu-north (1.51s in pprof), B = every
 * sample (2.95s). */
START_TEST(diff_status_each_side)
{
    struct fx f;
    int64_t ta = expected_top_sum(EU_TOP), tb = expected_top_sum(ALL), s, va, vb;
    char want[256], a[UNITS_BUF], b[UNITS_BUF];

    ck_assert_int_eq(ta, 1510000000);   /* pprof: "1.51s ... total" with -tagfocus */
    ck_assert_int_eq(tb, 2950000000);   /* pprof: "Total samples = 2.95s" */
    open_file(&f, "go-cpu.pb.gz", "cpu", EU, "{}", 200, 40);
    app_set_view(&f.a, VIEW_DIFF);
    fx_render(&f);                         /* the diff opens on its flamegraph's root */
    ns(ta, a), ns(tb, b);
    /* both roots are their side's whole: 100% each, no change */
    snprintf(want, sizeof want, " total A %s (100.00%%)  B %s (100.00%%)  +0.00pp (+0.0%%)", a, b);
    has(fx_status(&f), want);
    hasnt(fx_status(&f), "200.00%");
    fx_key(&f, K_TAB);                     /* the table: find main.fib */
    has(fx_status(&f), "pp");
    for (int i = 0; i < 200 && !strstr(fx_status(&f), " main.fib "); i++)
        fx_key(&f, 'j');
    ck_assert(top_row(EU_TOP, "main.fib", &s, &va) && top_row(ALL, "main.fib", &s, &vb));
    ns(va, a), ns(vb, b);
    /* 220ms of 1.51s = 14.57%; 410ms of 2.95s = 13.90%; -0.67 points, and
     * relative to A's share (13.898 - 14.570) / 14.570 = -4.6% */
    snprintf(want, sizeof want, " A %s (%.2f%%)  B %s (%.2f%%)  %+.2fpp (%+.1f%%)", a,
             100.0 * va / ta, b, 100.0 * vb / tb, 100.0 * vb / tb - 100.0 * va / ta,
             (100.0 * vb / tb - 100.0 * va / ta) / (100.0 * va / ta) * 100);
    has(fx_status(&f), want);
    has(fx_status(&f), "A 220ms (14.57%)  B 410ms (13.90%)  -0.67pp (-4.6%)");
    /* a function only in B (the GC worker has no region label): B's value
     * over B's total, and "new" */
    for (int i = 0; i < 300 && !strstr(fx_status(&f), " runtime.gcBgMarkWorker "); i++)
        fx_key(&f, i < 150 ? 'j' : 'k');
    ck_assert(!top_row(EU_TOP, "runtime.gcBgMarkWorker", &s, &va));
    ck_assert(top_row(ALL, "runtime.gcBgMarkWorker", &s, &vb));
    ns(vb, b);
    snprintf(want, sizeof want, " A 0ns (0.00%%)  B %s (%.2f%%)  %+.2fpp (new)", b,
             100.0 * vb / tb, 100.0 * vb / tb);
    has(fx_status(&f), want);
    has(f.rows[0], "total A 1.51s  B 2.95s");   /* the header: each side's total */
    fx_close(&f);
}
END_TEST

/* Point 2: in the comparison, side B's shares use B's total. */
START_TEST(compare_side_b_own_total)
{
    struct fx f;
    int64_t tb = expected_top_sum(ALL), s, v;
    char want[256], b[UNITS_BUF];

    open_file(&f, "go-cpu.pb.gz", "cpu", EU, "{}", 200, 40);
    app_set_view(&f.a, VIEW_COMPARE);
    fx_render(&f);
    fx_key(&f, K_TAB);                     /* focus side B: its root */
    ns(tb, b);
    snprintf(want, sizeof want, " self 0ns (0.00%% of B)  total %s (100.00%% of B)", b);
    has(fx_status(&f), want);
    hasnt(fx_status(&f), "195.36%");       /* 2.95s / 1.51s: the old reading */
    /* B's root child: every stack of go-cpu starts at main.cpuProfile.func1
     * but 5 (gcBgMarkWorker 3, bgsweep 1, isOdd 1); its value is pprof's
     * total for it over B's total */
    fx_key(&f, 'j');
    has(fx_status(&f), " main.cpuProfile.func1 ");
    ck_assert(top_row(ALL, "main.cpuProfile.func1", &s, &v));
    snprintf(want, sizeof want, "(%.2f%% of B)", 100.0 * v / tb);
    has(fx_status(&f), want);
    fx_key(&f, K_TAB);                     /* side A: its own total */
    has(fx_status(&f), " total 1.51s (100.00% of A)");
    fx_close(&f);
}
END_TEST

/* Point 3: the search counts on both sides of a diff; runtime.gcBgMarkWorker
 * is only in B (30ms of 2.95s = 1.02% in pprof). */
START_TEST(diff_search_both_sides)
{
    struct fx f;
    int64_t tb = expected_top_sum(ALL), s, v;
    char want[256];

    open_file(&f, "go-cpu.pb.gz", "cpu", EU, "{}", 200, 40);
    app_set_view(&f.a, VIEW_DIFF);
    fx_render(&f);
    ck_assert(top_row(ALL, "runtime.gcBgMarkWorker", &s, &v));
    app_set_search(&f.a, "^runtime\\.gcBgMarkWorker$");
    fx_render(&f);
    snprintf(want, sizeof want, "A 0 matches 0.00%% of A, B 1 match %.2f%% of B", 100.0 * v / tb);
    has(fx_status(&f), want);
    has(fx_status(&f), "B 1 match 1.02% of B");
    /* main.fib is on both: 220ms of A's 1.51s, 410ms of B's 2.95s */
    app_set_search(&f.a, "^main\\.fib$");
    fx_render(&f);
    has(fx_status(&f), "A 1 match 14.57% of A, B 1 match 13.90% of B");
    fx_close(&f);
}
END_TEST

/* Point 4: a sample type typed in the query prompt switches the type (for
 * both sides); an unknown one is refused with the list of types. */
START_TEST(query_prompt_sample_type)
{
    struct fx f;
    char want[128], v[UNITS_BUF];

    open_file(&f, "go-heap.pb.gz", "inuse_space", NULL, NULL, 160, 30);
    fx_render(&f);
    has(f.rows[0], "inuse_space (bytes)");
    fx_key(&f, ':');
    fx_key(&f, K_CTRL('u'));
    fx_type(&f, "alloc_space{}");
    fx_key(&f, K_ENTER);
    /* the total is the sum of pprof's alloc_space self column */
    units_format(expected_top_sum("go-heap.alloc_space.top"), "bytes", v, sizeof v);
    snprintf(want, sizeof want, "alloc_space (bytes)  total %s", v);
    has(f.rows[0], want);
    fx_key(&f, ':');
    fx_key(&f, K_CTRL('u'));
    fx_type(&f, "nosuch{}");
    fx_key(&f, K_ENTER);
    has(fx_status(&f), "no sample type 'nosuch'");
    has(fx_status(&f),
        "alloc_objects/count alloc_space/bytes inuse_objects/count inuse_space/bytes");
    fx_key(&f, K_ESC);
    has(f.rows[0], want);               /* the previous query and type stay */
    /* in a comparison, one type for both sides */
    app_set_view(&f.a, VIEW_COMPARE);
    fx_render(&f);
    fx_key(&f, K_TAB);
    fx_key(&f, ':');
    fx_key(&f, K_CTRL('u'));
    fx_type(&f, "inuse_objects{}");
    fx_key(&f, K_ENTER);
    has(f.rows[0], "inuse_objects (count)");
    ck_assert_int_eq(f.a.side[0].flat.grand_total, f.a.side[1].flat.grand_total);
    units_format(expected_top_sum("go-heap.inuse_objects.top"), "count", v, sizeof v);
    snprintf(want, sizeof want, "total A %s  B %s", v, v);
    has(f.rows[0], want);
    fx_close(&f);
}
END_TEST

/* main (10) calls work (7: parse 4, render 2, self 1) and idle (3). */
static const char *small = "main;work;parse 4\n"
                           "main;work;render 2\n"
                           "main;work 1\n"
                           "main;idle 3\n";

/* Point 5: shares of the zoom only inside the zoomed subtree. */
START_TEST(zoom_share_within_zoom)
{
    struct fx f;

    open_folded(&f, small, 80, 14);
    app_set_view(&f.a, VIEW_FLAME);
    fx_render(&f);
    hasnt(fx_status(&f), "of zoom");       /* not zoomed: it would repeat the total */
    fx_key(&f, 'j');                       /* main */
    fx_key(&f, 'j');                       /* work */
    fx_key(&f, K_ENTER);                   /* zoom into work (7) */
    has(fx_status(&f), " work self 1 (10.00%)  total 7 (70.00%, 100.00% of zoom)");
    fx_key(&f, 'j');                       /* parse: 4 of 7 = 57.14% */
    has(fx_status(&f), " parse self 4 (40.00%)  total 4 (40.00%, 57.14% of zoom)");
    fx_key(&f, 'k');
    fx_key(&f, 'k');                       /* main, above the zoom: 10 of 7 is no share */
    has(fx_status(&f), " main self 0 (0.00%)  total 10 (100.00%)  ");
    hasnt(fx_status(&f), "142.86%");
    fx_key(&f, 'k');                       /* the root */
    has(fx_status(&f), " total self 0 (0.00%)  total 10 (100.00%)  ");
    fx_close(&f);
}
END_TEST

/* Sums the children of every node of t below n: never above the node. */
static void check_tree(struct ftree *t, uint32_t n, int depth)
{
    uint32_t first, k = ftree_children(t, n, &first);
    int64_t sum = 0;

    for (uint32_t c = first; c < first + k; c++)
        sum += t->node[c].value;
    ck_assert_msg(sum <= t->node[n].value, "node %u: children %lld > %lld", n, (long long)sum,
                  (long long)t->node[n].value);
    for (uint32_t c = first; depth < 100 && c < first + k; c++)
        check_tree(t, c, depth + 1);
}

/* Point 5, the cause: no node of any tree (the main one, each function's
 * callers and callees, recursion included: main.fib, isEven/isOdd) counts
 * a value twice, so inside the zoom no share passes 100%. */
START_TEST(ftree_children_within_parent)
{
    struct fx f;
    struct ftree t;
    const struct flat *fl;

    open_file(&f, "go-cpu.pb.gz", "cpu", NULL, NULL, 80, 20);
    fl = &f.a.side[0].flat;
    ftree_init_root(&t, &f.p, f.a.side[0].total);
    check_tree(&t, 0, 0);
    ftree_free(&t);
    for (uint32_t i = 0; i < fl->count; i++) {
        for (int d = 0; d < 2; d++) {
            ftree_init_function(&t, &f.p, f.a.side[0].total, fl->rows[i].frame,
                                d ? FTREE_CALLERS : FTREE_CALLEES, fl->rows[i].self);
            ck_assert_int_le(t.node[0].value, fl->grand_total);
            check_tree(&t, 0, 0);
            ftree_free(&t);
        }
    }
    fx_close(&f);
}
END_TEST

/* Point 6: the diff table says which column is which, and offers the
 * relative change beside the points. */
START_TEST(diff_table_columns)
{
    struct fx f;
    int64_t ta = expected_top_sum(EU_TOP), tb = expected_top_sum(ALL), s, va, vb;
    char want[128];
    int y;

    open_file(&f, "go-cpu.pb.gz", "cpu", EU, "{}", 200, 60);
    app_set_view(&f.a, VIEW_DIFF);
    fx_render(&f);
    y = 3;                              /* header, title, legend (no timeline: one profile) */
    has(f.rows[y], "   A %    B %   \u0394 pp\u25BC \u0394 rel  Function");
    ck_assert(top_row(EU_TOP, "main.fib", &s, &va) && top_row(ALL, "main.fib", &s, &vb));
    /* 220ms of 1.51s = 14.57 -> 410ms of 2.95s = 13.90: -0.67 points and
     * (13.898 - 14.570) / 14.570 = -4.6% relative */
    snprintf(want, sizeof want, "%6.2f %6.2f %+6.2f %6s  main.fib", 100.0 * va / ta,
             100.0 * vb / tb, 100.0 * vb / tb - 100.0 * va / ta, "-4.6%");
    ck_assert_str_eq(want, " 14.57  13.90  -0.67  -4.6%  main.fib");
    fx_key(&f, K_TAB);                     /* the table has the keys */
    for (int i = 0; i < 200 && !strstr(fx_status(&f), " main.fib "); i++)
        fx_key(&f, 'j');                   /* bring its row on screen */
    for (y = 4; y < f.c.h - 2 && strncmp(f.rows[y] + 29, "main.fib ", 9); y++)
        ;                               /* the name column starts at 29 */
    ck_assert_int_lt(y, f.c.h - 2);
    ck_assert_int_eq(strncmp(f.rows[y], want, strlen(want)), 0);
    fx_key(&f, 'g');
    fx_key(&f, 's');                       /* by the relative change: new ones first */
    has(f.rows[3], "\u0394 rel\u25BC");
    has(f.rows[4], "new  ");
    fx_key(&f, 's');
    has(f.rows[3], "A %\u25BC");
    fx_key(&f, 's');
    has(f.rows[3], "B %\u25BC");
    /* sorted by B's share: the largest is pprof's largest total, 2.89s of
     * 2.95s (main.busy, ahead of three others by name) */
    ck_assert(top_row(ALL, "main.busy", &s, &vb));
    snprintf(want, sizeof want, "%6.2f  ", 100.0 * vb / tb);
    ck_assert_str_eq(want, " 97.97  ");
    ck_assert_int_eq(strncmp(f.rows[4] + 7, want, strlen(want)), 0);
    has(f.rows[4], "  main.busy ");
    fx_close(&f);
}
END_TEST

/* Audit of point 9 and 22 in the diff view: the table is sorted by the size
 * of the change, so the largest loss comes first, not last. All samples (A)
 * against eu-north (B): the function with the largest |B% - A%| in pprof's
 * two tables is a loss (embergen/work.SortInts, -5.24 points); it must be
 * the first row. A name too wide for the column keeps its end. */
START_TEST(diff_table_by_size_of_change)
{
    struct fx f;
    int64_t ta = expected_top_sum(ALL), tb = expected_top_sum(EU_TOP), s, va, vb;
    double best = 0;
    const char *best_name = NULL;
    FILE *fa = NULL;
    char path[256], line[512];
    static char name_buf[256];

    snprintf(path, sizeof path, "%s/expected/%s", TEST_DATA, ALL);
    ck_assert((fa = fopen(path, "r")) != NULL);
    while (fgets(line, sizeof line, fa)) {
        char *name = strrchr(line, '\t');
        double d;

        if (!name)
            continue;
        name++;
        name[strcspn(name, "\n")] = '\0';
        ck_assert(top_row(ALL, name, &s, &va));
        vb = 0;
        top_row(EU_TOP, name, &s, &vb);
        d = 100.0 * (double)vb / (double)tb - 100.0 * (double)va / (double)ta;
        if (fabs(d) > fabs(best)) {
            best = d;
            snprintf(name_buf, sizeof name_buf, "%s", name);
            best_name = name_buf;
        }
    }
    fclose(fa);
    ck_assert(best_name && best < 0);          /* a loss is the largest change */
    open_file(&f, "go-cpu.pb.gz", "cpu", "{}", EU, 200, 60);
    app_set_view(&f.a, VIEW_DIFF);
    fx_render(&f);
    has(f.rows[4], best_name);
    fx_close(&f);
    /* at 140 columns the name column has 27: a 35-character name keeps its end */
    open_file(&f, "go-cpu.pb.gz", "cpu", "{}", EU, 140, 60);
    app_set_view(&f.a, VIEW_DIFF);
    fx_render(&f);
    fx_key(&f, K_TAB);                     /* the table has the keys */
    for (int i = 0; i < 200 && fx_row_with(&f, "bigEndian.PutUint32") < 0; i++)
        fx_key(&f, 'j');                   /* scroll until its row shows */
    {
        int y = fx_row_with(&f, "bigEndian.PutUint32");

        ck_assert_int_ge(y, 0);
        has(f.rows[y], "  \u2026");                  /* its start gave way */
        has(f.rows[y], "\u2026binary.bigEndian.PutUint32");     /* its last 26 of 35 */
        hasnt(f.rows[y], "encoding/");
    }
    fx_close(&f);
}
END_TEST

/* The relative change is of the share, not of the value: 3.81% of A
 * becoming 5.63% of B is +1.82 points, (5.63 - 3.81) / 3.81 = +47.8%. */
START_TEST(relative_change)
{
    ck_assert_double_eq_tol(diff_relative(381, 10000, 563, 10000), 47.769, 0.001);
    ck_assert_double_eq_tol(diff_relative(381, 10000, 1126, 20000), 47.769, 0.001);
    ck_assert(isinf(diff_relative(0, 100, 5, 100)));
    ck_assert_double_eq(diff_relative(5, 100, 0, 100), -100);
    ck_assert_double_eq(diff_change(1, 100, 50, 100), 100);     /* colors clamp */
}
END_TEST

Suite *numbers_suite(void)
{
    Suite *s = suite_create("numbers");
    TCase *tc = tcase_create("shares");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, diff_status_each_side);
    tcase_add_test(tc, compare_side_b_own_total);
    tcase_add_test(tc, diff_search_both_sides);
    tcase_add_test(tc, query_prompt_sample_type);
    tcase_add_test(tc, zoom_share_within_zoom);
    tcase_add_test(tc, ftree_children_within_parent);
    tcase_add_test(tc, diff_table_columns);
    tcase_add_test(tc, relative_change);
    tcase_add_test(tc, diff_table_by_size_of_change);
    suite_add_tcase(s, tc);
    return s;
}
