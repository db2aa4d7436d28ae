#include <stdlib.h>

#include "check_suites.h"
#include "trie.h"

START_TEST(shares_prefixes_and_orders_parents_first)
{
    struct trie t;
    uint32_t a[] = { 1, 2, 3 }, b[] = { 1, 2, 4 }, c[] = { 5 };
    uint32_t la, lb, lc;

    trie_init(&t);
    la = trie_insert_path(&t, a, 3);
    lb = trie_insert_path(&t, b, 3);
    lc = trie_insert_path(&t, c, 1);
    ck_assert_uint_eq(t.count, 1 + 3 + 1 + 1);
    ck_assert_uint_eq(trie_insert_path(&t, a, 3), la);
    ck_assert_uint_ne(la, lb);
    ck_assert_uint_eq(t.node[la].parent, t.node[lb].parent);
    ck_assert_uint_eq(t.node[lc].parent, TRIE_ROOT);
    ck_assert_uint_eq(trie_depth(&t, la), 3);
    for (uint32_t n = 1; n < t.count; n++)
        ck_assert_uint_lt(t.node[n].parent, n);
    ck_assert_uint_eq(trie_insert_path(&t, a, 0), TRIE_ROOT);
    trie_free(&t);
}
END_TEST

START_TEST(marks_nested_recursion)
{
    struct trie t;
    /* main -> fib -> fib -> fib -> leaf ; main -> other -> fib */
    uint32_t a[] = { 0, 1, 1, 1, 2 }, b[] = { 0, 3, 1 };
    uint32_t leaf, n;

    trie_init(&t);
    leaf = trie_insert_path(&t, a, 5);
    trie_insert_path(&t, b, 3);
    ck_assert_uint_eq(t.nested[leaf], 0);
    n = t.node[leaf].parent;           /* innermost fib */
    ck_assert_uint_eq(t.nested[n], 1);
    n = t.node[n].parent;
    ck_assert_uint_eq(t.nested[n], 1);
    n = t.node[n].parent;              /* outermost fib */
    ck_assert_uint_eq(t.nested[n], 0);
    trie_free(&t);
}
END_TEST

START_TEST(totals_and_children)
{
    struct trie t;
    uint32_t a[] = { 1, 2 }, b[] = { 1, 3 }, c[] = { 1 };
    uint32_t la, lb, lc;
    int64_t *self, *total;
    const uint32_t *kids;

    trie_init(&t);
    la = trie_insert_path(&t, a, 2);
    lb = trie_insert_path(&t, b, 2);
    lc = trie_insert_path(&t, c, 1);
    self = calloc(t.count, sizeof *self);
    total = calloc(t.count, sizeof *total);
    self[la] = 10;
    self[lb] = 5;
    self[lc] = 1;
    trie_totals(&t, self, total);
    ck_assert_int_eq(total[TRIE_ROOT], 16);
    ck_assert_int_eq(total[lc], 16);
    ck_assert_int_eq(total[la], 10);
    trie_index(&t);
    ck_assert_uint_eq(trie_children(&t, lc, &kids), 2);
    ck_assert(kids[0] == la || kids[1] == la);
    ck_assert_uint_eq(trie_children(&t, la, &kids), 0);
    ck_assert_uint_eq(trie_children(&t, TRIE_ROOT, &kids), 1);
    free(self);
    free(total);
    trie_free(&t);
}
END_TEST

START_TEST(survives_many_nodes)
{
    struct trie t;
    uint32_t path[8];
    uint32_t first = 0;

    trie_init(&t);
    for (uint32_t i = 0; i < 50000; i++) {
        for (int d = 0; d < 8; d++)
            path[d] = (i >> (2 * d)) & 3;
        uint32_t leaf = trie_insert_path(&t, path, 8);
        if (i == 12345)
            first = leaf;
    }
    for (int d = 0; d < 8; d++)
        path[d] = (12345 >> (2 * d)) & 3;
    ck_assert_uint_eq(trie_insert_path(&t, path, 8), first);
    /* 4 + 16 + ... + 4^8 distinct prefixes, all 65536 leaves reachable by
     * 50000 ids: count the levels exactly. */
    ck_assert_uint_eq(t.count, 1 + 4 + 16 + 64 + 256 + 1024 + 4096 + 16384 + 50000);
    trie_free(&t);
}
END_TEST

Suite *trie_suite(void)
{
    Suite *s = suite_create("trie");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, shares_prefixes_and_orders_parents_first);
    tcase_add_test(tc, marks_nested_recursion);
    tcase_add_test(tc, totals_and_children);
    tcase_add_test(tc, survives_many_nodes);
    suite_add_tcase(s, tc);
    return s;
}
