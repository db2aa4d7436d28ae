/* Issue 8's budgets: what the explorer and the model spend is bounded by
 * what they were given. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "check_suites.h"
#include "ftree.h"
#include "query.h"
#include "view_fx.h"

enum { CHAIN = 20000 };

/* "f0;f1;...;f<n-1> 1": one stack, a chain of n full-width nodes. */
static char *chain_folded(int n)
{
    char *s = malloc((size_t)n * 8 + 8), *at = s;

    for (int i = 0; i < n; i++)
        at += sprintf(at, "%sf%d", i ? ";" : "", i);
    strcpy(at, " 1\n");
    return s;
}

/* Every node of a chain is as wide as the screen, so a minimum width
 * leaves none out: the layout holds a window of rows, not the whole
 * chain (it held 20001 boxes and frame-tree nodes), and still follows
 * the selection down. */
START_TEST(deep_chain_lays_out_a_window)
{
    struct fx f;
    char *folded = chain_folded(CHAIN);
    struct flame_pane *fp;

    fx_open_folded(&f, folded, "chain", 80, 24);
    app_set_view(&f.a, VIEW_FLAME);
    fx_render(&f);
    fp = &f.a.side[0].flame;
    ck_assert_int_eq(strncmp(f.rows[2], "f0 ", 3), 0);
    ck_assert_uint_le(fp->layout.count, 1024);
    ck_assert_uint_le(fp->tree.count, 1024);
    for (int i = 0; i < 300; i++)             /* 3000 rows down, 10 a key */
        fx_key(&f, K_PGDN);
    ck_assert_ptr_nonnull(strstr(fx_status(&f), " f2999 "));
    ck_assert_int_ge(fx_row_with(&f, "f2999 "), 0);
    ck_assert_uint_le(fp->layout.count, 1024);
    for (int i = 0; i < 150; i++)             /* and back up 1500 */
        fx_key(&f, K_PGUP);
    ck_assert_ptr_nonnull(strstr(fx_status(&f), " f1499 "));
    ck_assert_int_ge(fx_row_with(&f, "f1499 "), 0);
    ck_assert_int_ge(fx_row_with(&f, "f1515 "), 0);   /* the rows below it drawn */
    fx_close(&f);
    free(folded);
}
END_TEST

/* A window of a layout is the same rows as the whole layout. */
START_TEST(layout_window_matches_whole)
{
    struct fx f;
    struct ftree t;
    struct flayout whole = { 0 }, win = { 0 };

    fx_begin(&f);
    fx_add_folded(&f, "a;b;c;d 3\na;b;e 2\na;x;y;z;w 4\nq 1\n", 0);
    fx_start(&f, 0, NULL, "w", 40, 12);
    ftree_init_root(&t, &f.p, f.a.side[0].total);
    ftree_layout(&t, 0, 40, &whole);
    ftree_layout_window(&t, 0, 40, 2, 2, &win);
    ck_assert_uint_eq(whole.rows, 6);   /* total, a|q, b|x, c|e|y, d|z, w */
    ck_assert_uint_eq(win.rows, 2);
    ck_assert_int_eq(win.more, 1);
    ck_assert_uint_eq(win.count, whole.row_start[4] - whole.row_start[2]);
    ck_assert_int_eq(memcmp(win.box, whole.box + whole.row_start[2], win.count * sizeof *win.box), 0);
    ck_assert_ptr_nonnull(flayout_find(&win, win.box[0].node, 2));
    ck_assert_ptr_null(flayout_find(&win, 0, 0));
    ftree_layout_window(&t, 0, 40, 4, 10, &win);
    ck_assert_uint_eq(win.rows, 2);
    ck_assert_int_eq(win.more, 0);
    flayout_free(&whole);
    flayout_free(&win);
    ftree_free(&t);
    fx_close(&f);
}
END_TEST

/* A sample keeps values for its own file's types only: 1000 samples of a
 * one-type source beside a four-type one hold 1000 values, not 4000, and
 * read 0 for the types they do not have. */
START_TEST(values_keep_their_own_types)
{
    struct profile p;
    struct sample_type t[4];
    uint32_t idx[4], wide, narrow;
    size_t s0, s;
    int64_t sum[4];

    profile_init(&p);
    for (int i = 0; i < 4; i++) {
        char name[4] = { 't', (char)('0' + i), 0 };

        t[i] = (struct sample_type){ profile_intern(&p, name, 2), 0 };
    }
    ck_assert_int_eq(profile_types(&p, t, 4, idx), 0);
    wide = profile_add_source(&p, &(struct source){ .types = 0xf });
    narrow = profile_add_source(&p, &(struct source){ .types = 1ull << idx[2] });
    s0 = profile_add_sample(&p, TRIE_ROOT, 0, wide);
    for (int i = 0; i < 4; i++)
        profile_set_value(&p, s0, idx[i], 10 + i);
    for (int i = 0; i < 1000; i++) {
        s = profile_add_sample(&p, TRIE_ROOT, 0, narrow);
        profile_set_value(&p, s, idx[2], 1);
    }
    ck_assert_uint_eq(p.nruns, 2);
    ck_assert_uint_eq(p.runs[1].width, 1);
    ck_assert_int_eq(profile_value(&p, s, idx[0]), 0);
    ck_assert_int_eq(profile_value(&p, s, idx[2]), 1);
    ck_assert_int_eq(profile_value(&p, s0, idx[3]), 13);
    query_type_totals(&p, sum);                 /* t2: 12 + 1000 x 1 */
    ck_assert_int_eq(sum[idx[0]], 10);
    ck_assert_int_eq(sum[idx[2]], 1012);
    /* A write to a type the run has no column for widens it, keeping its
     * values. */
    profile_set_value(&p, s, idx[3], 5);
    ck_assert_int_eq(profile_value(&p, s, idx[3]), 5);
    ck_assert_int_eq(profile_value(&p, s, idx[2]), 1);
    ck_assert_int_eq(profile_value(&p, s - 1, idx[2]), 1);
    ck_assert_int_eq(profile_value(&p, s0, idx[1]), 11);
    profile_free(&p);
}
END_TEST

/* The trie stops growing at its cap and says so: a path stops where it
 * would have grown. */
START_TEST(trie_cap_stops_growth)
{
    struct trie t;
    uint32_t path[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, leaf;

    trie_init(&t);
    t.max_nodes = 6;                            /* the root and 5 more */
    leaf = trie_insert_path(&t, path, 10);
    ck_assert_uint_eq(t.count, 6);
    ck_assert_int_eq(t.full, 1);
    ck_assert_uint_eq(t.node[leaf].frame, 5);   /* the fifth frame, the last that fit */
    ck_assert_uint_eq(trie_insert_path(&t, path, 3), 3);   /* existing paths still resolve */
    trie_free(&t);
}
END_TEST

Suite *budget_suite(void)
{
    Suite *s = suite_create("budget");
    TCase *tc = tcase_create("budget");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, deep_chain_lays_out_a_window);
    tcase_add_test(tc, layout_window_matches_whole);
    tcase_add_test(tc, values_keep_their_own_types);
    tcase_add_test(tc, trie_cap_stops_growth);
    suite_add_tcase(s, tc);
    return s;
}
