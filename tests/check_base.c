/* --base and --diff-base (base.h): the paths that meet negative values.
 * The fixture, by hand: the profile (source 0) is
 *   main;grow 10, main;shrink 2, main 1, other 3, x;y 3
 * and the base (source 1) is
 *   main;grow 4, main;shrink 7, main 1, other 3, x;z 3
 * so the profile minus the base is grow +6, shrink -5, main's self 0 (its
 * total 6 - 5 = 1), other 0, y +3, z -3 (x's total 0), the root's 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "check_suites.h"
#include "ftree.h"
#include "output.h"
#include "query.h"
#include "source.h"
#include "units.h"

static const char profile_txt[] = "main;grow 10\nmain;shrink 2\nmain 1\nother 3\nx;y 3\n";
static const char base_txt[] = "main;grow 4\nmain;shrink 7\nmain 1\nother 3\nx;z 3\n";

struct fx {
    struct profile p;
    int64_t *total;
    struct flat flat;
};

static void load(struct fx *f, enum base_kind kind)
{
    char err[SOURCE_ERR_MAX];

    memset(f, 0, sizeof *f);
    profile_init(&f->p);
    ck_assert_int_eq(folded_load(&f->p, profile_intern(&f->p, "new", 3),
                                 (const uint8_t *)profile_txt, strlen(profile_txt), err), 0);
    ck_assert_uint_eq(f->p.nsources, 1);
    ck_assert_int_eq(folded_load(&f->p, profile_intern(&f->p, "old", 3),
                                 (const uint8_t *)base_txt, strlen(base_txt), err), 0);
    ck_assert_int_eq(base_check(&f->p, 1, err, sizeof err), 0);
    base_mark(&f->p, 1, kind);
    profile_finish(&f->p);
    trie_index(&f->p.trie);
    f->total = calloc(f->p.trie.count + 1, sizeof *f->total);
    query_totals_flat(&f->p, 0, NULL, f->total, &f->flat);
}

static void release(struct fx *f)
{
    flat_free(&f->flat);
    free(f->total);
    profile_free(&f->p);
}

static const char *row_name(const struct fx *f, uint32_t i)
{
    return profile_str(&f->p, f->p.frames[f->flat.rows[i].frame].name);
}

/* pprof -top's order (graph.go FlatNameOrder): |flat| descending, so the
 * shrink of 5 comes before main's 0; signed, it came last. */
START_TEST(table_sorts_by_size_either_way)
{
    struct fx f;

    load(&f, BASE_SUBTRACT);
    ck_assert_uint_eq(f.flat.count, 5);         /* grow shrink y z main; other is 0 and 0 */
    ck_assert_str_eq(row_name(&f, 0), "grow");
    ck_assert_int_eq(f.flat.rows[0].self, 6);
    ck_assert_str_eq(row_name(&f, 1), "shrink");
    ck_assert_int_eq(f.flat.rows[1].self, -5);
    ck_assert_str_eq(row_name(&f, 2), "y");     /* 3 and -3: by name */
    ck_assert_str_eq(row_name(&f, 3), "z");
    ck_assert_int_eq(f.flat.rows[3].self, -3);
    ck_assert_str_eq(row_name(&f, 4), "main");
    ck_assert_int_eq(f.flat.rows[4].self, 0);
    ck_assert_int_eq(f.flat.rows[4].total, 1);
    release(&f);
}
END_TEST

/* Shares are of pprof's total (report.go computeTotal): the sum of the
 * absolute values of the merged samples, 6 + 5 + 0 + 0 + 3 + 3 = 17, not
 * the net 1; with a diff base the base's own, 4 + 7 + 1 + 3 + 3 = 18. */
START_TEST(shares_are_of_pprofs_total)
{
    struct fx f;
    char pct[32];

    load(&f, BASE_SUBTRACT);
    ck_assert_int_eq(f.total[TRIE_ROOT], 1);
    ck_assert_int_eq(f.flat.grand_total, 17);
    units_percent(f.flat.rows[1].self, f.flat.grand_total, pct, sizeof pct);
    ck_assert_str_eq(pct, "-29.41%");           /* -5 / 17 */
    release(&f);
    load(&f, BASE_DIFF);
    ck_assert_int_eq(f.flat.grand_total, 18);
    units_percent(f.flat.rows[0].self, f.flat.grand_total, pct, sizeof pct);
    ck_assert_str_eq(pct, "33.33%");            /* 6 / 18 */
    release(&f);
}
END_TEST

/* Negative values keep their sign and scale in every unit. */
START_TEST(units_of_negatives)
{
    char b[32];

    units_format(-350000000, "nanoseconds", b, sizeof b);
    ck_assert_str_eq(b, "-350ms");
    units_format(-1572864, "bytes", b, sizeof b);
    ck_assert_str_eq(b, "-1.5MB");              /* 1.5 x 1048576 */
    units_format(-2500, "count", b, sizeof b);
    ck_assert_str_eq(b, "-2.5k");
    units_percent(-1, 1000000, b, sizeof b);    /* -0.0001%: rounds to 0, unsigned */
    ck_assert_str_eq(b, "0.00%");
    units_percent(-1, 200, b, sizeof b);
    ck_assert_str_eq(b, "-0.50%");
}
END_TEST

/* --folded walks x although its total is 0: y and z cancel there. */
START_TEST(folded_keeps_what_cancels)
{
    struct fx f;
    char *out = NULL, err[256];
    size_t len = 0;
    FILE *o;

    load(&f, BASE_SUBTRACT);
    o = open_memstream(&out, &len);
    ck_assert_int_eq(output_folded(o, &f.p, f.total, 1 << 20, err, sizeof err), 0);
    fclose(o);
    ck_assert_str_eq(out, "main;grow\t6\nmain;shrink\t-5\nx;y\t3\nx;z\t-3\n");
    free(out);
    release(&f);
}
END_TEST

/* Every box lies inside its caller's and inside the width. */
static void assert_nested(struct ftree *t, const struct flayout *l, int width)
{
    for (uint32_t d = 0; d < l->rows; d++)
        for (uint32_t b = l->row_start[d]; b < l->row_start[d + 1]; b++) {
            const struct fbox *x = &l->box[b];

            ck_assert_int_ge(x->x, 0);
            ck_assert_int_le(x->x + x->w, width);
            if (!d)
                continue;
            const struct fbox *up = flayout_find(l, t->node[x->node].parent, d - 1);

            ck_assert_ptr_nonnull(up);
            ck_assert_int_ge(x->x, up->x);
            ck_assert_int_le(x->x + x->w, up->x + up->w);
        }
}

/* The layout of signed totals: grow's 6 under main's net 1 would be six
 * times main's width; it gets main's width, and the shrink none. */
START_TEST(layout_keeps_children_inside)
{
    struct fx f;
    struct ftree t;
    struct flayout l = { 0 };

    load(&f, BASE_SUBTRACT);
    ftree_init_root(&t, &f.p, f.total);
    ftree_layout(&t, 0, 20, &l);
    ck_assert_uint_ge(l.rows, 3);
    assert_nested(&t, &l, 20);
    flayout_free(&l);
    ftree_free(&t);
    release(&f);
}
END_TEST

/* What grew, per node: grow 6, y 3; main 6, x 3 (whose net is 0), the
 * root 9; the flamegraph on it: main 6/9 of 20 columns (13.3, rounded to
 * 13), x the other 7. */
START_TEST(growth_is_what_grew_below)
{
    struct fx f;
    struct ftree t;
    struct flayout l = { 0 };
    int64_t *g;
    char row[256] = "";
    size_t at = 0;

    load(&f, BASE_SUBTRACT);
    g = calloc(f.p.trie.count + 1, sizeof *g);
    ftree_growth(&f.p, f.total, g);
    ck_assert_int_eq(g[TRIE_ROOT], 9);
    ftree_init_root(&t, &f.p, g);
    ftree_layout(&t, 0, 20, &l);
    assert_nested(&t, &l, 20);
    ck_assert_uint_ge(l.rows, 3);
    for (uint32_t b = l.row_start[1]; b < l.row_start[2]; b++)
        at += (size_t)snprintf(row + at, sizeof row - at, "%s@%d+%d ",
                               profile_str(&f.p, f.p.frames[t.node[l.box[b].node].frame].name),
                               l.box[b].x, l.box[b].w);
    ck_assert_str_eq(row, "main@0+13 x@13+7 ");
    flayout_free(&l);
    ftree_free(&t);
    free(g);
    release(&f);
}
END_TEST

/* A heap base for a CPU profile: pprof merges only profiles of one kind. */
START_TEST(other_types_are_refused)
{
    struct profile p;
    char err[SOURCE_ERR_MAX];
    struct source s = { 0 };

    profile_init(&p);
    ck_assert_int_eq(folded_load(&p, profile_intern(&p, "new", 3),
                                 (const uint8_t *)profile_txt, strlen(profile_txt), err), 0);
    s.name = profile_intern(&p, "heap", 4);
    s.types = 1ull << profile_type(&p, profile_intern(&p, "inuse_space", 11),
                                   profile_intern(&p, "bytes", 5));
    profile_add_source(&p, &s);
    ck_assert_int_eq(base_check(&p, 1, err, sizeof err), -1);
    ck_assert_str_eq(err, "its sample types (inuse_space/bytes) differ from the profile's "
                     "(samples/count)");
    profile_free(&p);
}
END_TEST

Suite *base_suite(void)
{
    Suite *s = suite_create("base");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, table_sorts_by_size_either_way);
    tcase_add_test(tc, shares_are_of_pprofs_total);
    tcase_add_test(tc, units_of_negatives);
    tcase_add_test(tc, folded_keeps_what_cancels);
    tcase_add_test(tc, layout_keeps_children_inside);
    tcase_add_test(tc, growth_is_what_grew_below);
    tcase_add_test(tc, other_types_are_refused);
    suite_add_tcase(s, tc);
    return s;
}
