#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "ftree.h"
#include "query.h"
#include "source.h"

struct fx {
    struct profile p;
    int64_t *total;
    struct ftree t;
    struct flayout l;
};

static void load(struct fx *f, const char *folded)
{
    char err[SOURCE_ERR_MAX];

    memset(f, 0, sizeof *f);
    profile_init(&f->p);
    ck_assert_int_eq(folded_load(&f->p, 0, (const uint8_t *)folded, strlen(folded), err), 0);
    profile_finish(&f->p);
    trie_index(&f->p.trie);
    f->total = calloc(f->p.trie.count, sizeof *f->total);
    query_totals(&f->p, 0, NULL, f->total);
}

static void release(struct fx *f)
{
    flayout_free(&f->l);
    ftree_free(&f->t);
    free(f->total);
    profile_free(&f->p);
}

static const char *name(const struct fx *f, uint32_t n)
{
    uint32_t frame = f->t.node[n].frame;

    return frame == TRIE_NO_FRAME ? "total" : profile_str(&f->p, f->p.frames[frame].name);
}

static uint32_t frame_of(struct fx *f, const char *fn)
{
    uint32_t id = intmap_get(&f->p.frame_by_name, strtab_find(&f->p.strings, fn, strlen(fn)));

    ck_assert_uint_ne(id, INTMAP_NONE);
    return id;
}

/* "name@x+w" for every box of row d, space separated. */
static char *row(struct fx *f, uint32_t d)
{
    static char buf[512];
    size_t at = 0;

    buf[0] = '\0';
    for (uint32_t b = f->l.row_start[d]; b < f->l.row_start[d + 1]; b++)
        at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%s@%d+%d", at ? " " : "",
                               name(f, f->l.box[b].node), f->l.box[b].x, f->l.box[b].w);
    return buf;
}

START_TEST(root_layout_is_proportional_and_sorted_by_name)
{
    struct fx f;

    load(&f, "main;zeta;b 6\nmain;alpha 2\nmain 2\nother 10\n");
    ftree_init_root(&f.t, &f.p, f.total);
    ftree_layout(&f.t, 0, 20, &f.l);
    ck_assert_uint_eq(f.l.rows, 4);
    ck_assert_str_eq(row(&f, 0), "total@0+20");
    ck_assert_str_eq(row(&f, 1), "main@0+10 other@10+10");
    ck_assert_str_eq(row(&f, 2), "alpha@0+2 zeta@2+6");
    ck_assert_str_eq(row(&f, 3), "b@2+6");
    release(&f);
}
END_TEST

START_TEST(narrow_nodes_are_dropped_with_their_subtree)
{
    struct fx f;

    load(&f, "main;big 1000\nmain;tiny;deeper 1\n");
    ftree_init_root(&f.t, &f.p, f.total);
    ftree_layout(&f.t, 0, 10, &f.l);
    ck_assert_str_eq(row(&f, 2), "big@0+10");
    ck_assert_uint_eq(f.l.rows, 3);
    release(&f);
}
END_TEST

START_TEST(zoomed_root_fills_the_width)
{
    struct fx f;
    uint32_t first, k, main_node, zeta;

    load(&f, "main;zeta;b 6\nmain;alpha 2\nmain 2\nother 10\n");
    ftree_init_root(&f.t, &f.p, f.total);
    k = ftree_children(&f.t, 0, &first);
    ck_assert_uint_eq(k, 2);
    main_node = first;
    ftree_children(&f.t, main_node, &first);
    zeta = first + 1;
    ck_assert_str_eq(name(&f, zeta), "zeta");
    ftree_layout(&f.t, zeta, 12, &f.l);
    ck_assert_str_eq(row(&f, 0), "zeta@0+12");
    ck_assert_str_eq(row(&f, 1), "b@0+12");
    ck_assert_int_eq(f.t.node[zeta].value, 6);
    ck_assert_int_eq(ftree_self(&f.t, main_node), 2);
    ck_assert_int_eq(ftree_self(&f.t, zeta), 0);
    release(&f);
}
END_TEST

START_TEST(sandwich_callees_merge_occurrences_and_count_recursion_once)
{
    struct fx f;

    load(&f, "main;a;fib;fib;leaf 4\n"
             "main;b;fib;other 2\n"
             "main;b;fib 1\n"
             "main;x 3\n");
    ftree_init_function(&f.t, &f.p, f.total, frame_of(&f, "fib"), FTREE_CALLEES, 1);
    ftree_layout(&f.t, 0, 14, &f.l);
    ck_assert_int_eq(f.t.node[0].value, 7);     /* 4 + 2 + 1: inner fib not again */
    ck_assert_int_eq(f.t.node[0].self, 1);
    ck_assert_str_eq(row(&f, 0), "fib@0+14");
    ck_assert_str_eq(row(&f, 1), "fib@0+8 other@8+4");
    ck_assert_str_eq(row(&f, 2), "leaf@0+8");
    release(&f);
}
END_TEST

START_TEST(sandwich_callers_trim_to_what_flows_in)
{
    struct fx f;

    load(&f, "main;a;fib;fib;leaf 4\n"
             "main;b;fib;other 2\n"
             "main;b;fib 1\n"
             "main;b;c 50\n"
             "main;x 3\n");
    ftree_init_function(&f.t, &f.p, f.total, frame_of(&f, "fib"), FTREE_CALLERS, 1);
    ftree_layout(&f.t, 0, 7, &f.l);
    ck_assert_str_eq(row(&f, 0), "fib@0+7");
    ck_assert_str_eq(row(&f, 1), "a@0+4 b@4+3");   /* b's 50 in c does not flow into fib */
    ck_assert_str_eq(row(&f, 2), "main@0+4 main@4+3");
    ck_assert_uint_eq(f.l.rows, 3);
    ck_assert_int_eq(ftree_self(&f.t, f.l.box[f.l.row_start[2]].node), 4);
    ck_assert_int_eq(ftree_self(&f.t, f.l.box[f.l.row_start[1]].node), 0);
    release(&f);
}
END_TEST

START_TEST(finds_boxes)
{
    struct fx f;

    load(&f, "a;b 1\na;c 1\n");
    ftree_init_root(&f.t, &f.p, f.total);
    ftree_layout(&f.t, 0, 4, &f.l);
    ck_assert_ptr_nonnull(flayout_find(&f.l, f.l.box[3].node, 2));
    ck_assert_ptr_null(flayout_find(&f.l, f.l.box[3].node, 1));
    ck_assert_ptr_null(flayout_find(&f.l, 0, 9));
    release(&f);
}
END_TEST

Suite *ftree_suite(void)
{
    Suite *s = suite_create("ftree");
    TCase *tc = tcase_create("layout");

    tcase_add_test(tc, root_layout_is_proportional_and_sorted_by_name);
    tcase_add_test(tc, narrow_nodes_are_dropped_with_their_subtree);
    tcase_add_test(tc, zoomed_root_fills_the_width);
    tcase_add_test(tc, sandwich_callees_merge_occurrences_and_count_recursion_once);
    tcase_add_test(tc, sandwich_callers_trim_to_what_flows_in);
    tcase_add_test(tc, finds_boxes);
    suite_add_tcase(s, tc);
    return s;
}
