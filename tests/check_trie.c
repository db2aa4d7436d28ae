#include <stdlib.h>
#include <string.h>

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
    ck_assert_uint_eq(trie_nested(&t, leaf), 0);
    n = t.node[leaf].parent;           /* innermost fib */
    ck_assert_uint_eq(trie_nested(&t, n), 1);
    n = t.node[n].parent;
    ck_assert_uint_eq(trie_nested(&t, n), 1);
    n = t.node[n].parent;              /* outermost fib */
    ck_assert_uint_eq(trie_nested(&t, n), 0);
    trie_free(&t);
}
END_TEST

START_TEST(totals_and_children)
{
    struct trie t;
    uint32_t a[] = { 1, 2 }, b[] = { 1, 3 }, c[] = { 1 };
    uint32_t la, lb, lc;
    int64_t *total;
    const uint32_t *kids;

    trie_init(&t);
    la = trie_insert_path(&t, a, 2);
    lb = trie_insert_path(&t, b, 2);
    lc = trie_insert_path(&t, c, 1);
    total = calloc(t.count, sizeof *total);
    total[la] = 10;
    total[lb] = 5;
    total[lc] = 1;
    trie_accumulate(&t, total, NULL);
    ck_assert_int_eq(total[TRIE_ROOT], 16);
    ck_assert_int_eq(total[lc], 16);
    ck_assert_int_eq(total[la], 10);
    trie_index(&t);
    ck_assert_int_eq(trie_self(&t, total, lc), 1);
    ck_assert_int_eq(trie_self(&t, total, TRIE_ROOT), 0);
    ck_assert_uint_eq(trie_children(&t, lc, &kids), 2);
    ck_assert(kids[0] == la || kids[1] == la);
    ck_assert_uint_eq(trie_children(&t, la, &kids), 0);
    ck_assert_uint_eq(trie_children(&t, TRIE_ROOT, &kids), 1);
    free(total);
    trie_free(&t);
}
END_TEST

START_TEST(batch_insert_matches_one_by_one)
{
    struct trie one, batch;
    uint32_t frames[4000], start[501], leaf[500];
    uint64_t x = 42;

    trie_init(&one);
    trie_init(&batch);
    start[0] = 0;
    for (int s = 0; s < 500; s++) {          /* random stacks, some recursive, some empty */
        uint32_t len = (uint32_t)(x % 9);

        for (uint32_t i = 0; i < len; i++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            frames[start[s] + i] = (uint32_t)(x >> 60) % 6;
        }
        start[s + 1] = start[s] + len;
    }
    trie_insert_batch(&batch, frames, start, 500, leaf);
    trie_seal(&batch);         /* a later insert rebuilds the hash */
    for (int s = 0; s < 500; s++) {
        uint32_t a = trie_insert_path(&one, frames + start[s], start[s + 1] - start[s]);
        uint32_t b = trie_insert_path(&batch, frames + start[s], start[s + 1] - start[s]);

        ck_assert_uint_eq(b, leaf[s]);
        ck_assert_uint_eq(trie_depth(&one, a), trie_depth(&batch, b));
        ck_assert_uint_eq(trie_nested(&one, a), trie_nested(&batch, b));
        ck_assert_uint_eq(one.node[a].frame, batch.node[b].frame);
    }
    ck_assert_uint_eq(one.count, batch.count);
    for (uint32_t n = 1; n < batch.count; n++)
        ck_assert_uint_lt(batch.node[n].parent, n);
    trie_free(&one);
    trie_free(&batch);
}
END_TEST

START_TEST(reserve_keeps_every_node_findable)
{
    struct trie t;
    uint32_t path[3], leaf[200];

    trie_init(&t);
    for (uint32_t i = 0; i < 200; i++) {
        path[0] = i % 7, path[1] = i % 11, path[2] = i;
        leaf[i] = trie_insert_path(&t, path, 3);
    }
    trie_reserve(&t, 5000000);          /* a bigger table: everything rehashed */
    ck_assert_uint_ge(t.mask + 1, 5000000u / 3 * 4);
    trie_reserve(&t, 10);               /* never shrinks */
    ck_assert_uint_ge(t.mask + 1, 5000000u / 3 * 4);
    for (uint32_t i = 0; i < 200; i++) {
        path[0] = i % 7, path[1] = i % 11, path[2] = i;
        ck_assert_uint_eq(trie_insert_path(&t, path, 3), leaf[i]);
    }
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

/* The index as plainly made: count, prefix sum, fill in id order. */
static void check_index(const struct trie *t)
{
    uint32_t n = t->count, *start = calloc((size_t)n + 2, sizeof *start);
    uint32_t *at = calloc((size_t)n + 1, sizeof *at), *child = calloc(n + 1, sizeof *child);

    for (uint32_t id = 1; id < n; id++)
        start[t->node[id].parent + 1]++;
    for (uint32_t id = 1; id <= n; id++)
        start[id] += start[id - 1];
    memcpy(at, start, ((size_t)n + 1) * sizeof *at);
    for (uint32_t id = 1; id < n; id++)
        child[at[t->node[id].parent]++] = id;
    ck_assert_uint_eq(t->indexed, n);
    ck_assert_mem_eq(t->child_start, start, ((size_t)n + 1) * sizeof *start);
    if (n > 1)
        ck_assert_mem_eq(t->child, child, (size_t)(n - 1) * sizeof *child);
    free(start);
    free(at);
    free(child);
}

/* trie_reindex's two-pass counting sort gives the plain index: on a trie
 * built path by path (parents anywhere before their children), on one
 * built in groups (trie_insert_batch), on one grown after an index (the
 * appended part merged, then all of it again), with one node and none. */
START_TEST(reindex_equals_plain_counting_sort)
{
    struct trie path, batch, one;
    uint32_t frames[20000], start[2001], leaf[2000];
    uint64_t x = 7;

    trie_init(&path);
    trie_init(&batch);
    start[0] = 0;
    for (int s = 0; s < 2000; s++) {
        uint32_t len = (uint32_t)(x % 10);

        for (uint32_t i = 0; i < len; i++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            frames[start[s] + i] = (uint32_t)(x >> 58) % (i < 2 ? 3 : 40);
        }
        start[s + 1] = start[s] + len;
        trie_insert_path(&path, frames + start[s], len);
    }
    trie_reindex(&path);
    check_index(&path);
    trie_insert_batch(&batch, frames, start, 1000, leaf);
    trie_reindex(&batch);
    check_index(&batch);
    trie_seal(&batch);
    for (int s = 1000; s < 2000; s++)       /* grown: the new nodes merged in */
        trie_insert_path(&batch, frames + start[s], start[s + 1] - start[s]);
    trie_index(&batch);
    check_index(&batch);
    trie_reindex(&batch);
    check_index(&batch);
    trie_init(&one);
    trie_reindex(&one);                     /* the root alone */
    check_index(&one);
    trie_free(&path);
    trie_free(&batch);
    trie_free(&one);
}
END_TEST

Suite *trie_suite(void)
{
    Suite *s = suite_create("trie");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, shares_prefixes_and_orders_parents_first);
    tcase_add_test(tc, marks_nested_recursion);
    tcase_add_test(tc, totals_and_children);
    tcase_add_test(tc, batch_insert_matches_one_by_one);
    tcase_add_test(tc, reserve_keeps_every_node_findable);
    tcase_add_test(tc, survives_many_nodes);
    tcase_add_test(tc, reindex_equals_plain_counting_sort);
    suite_add_tcase(s, tc);
    return s;
}
