/* The load's speed and memory work (issue 14): what it changes must not
 * change any answer. */
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "trie.h"

/* 3000 paths of depth 1..12 over 40 frames, with recursion: a trie whose
 * hash and nodes trie_prefault walks. */
static void fill(struct trie *t, uint32_t *leaf, uint32_t n)
{
    uint32_t frames[12], seed = 7;

    for (uint32_t i = 0; i < n; i++) {
        uint32_t d = 1 + i % 12;

        for (uint32_t k = 0; k < d; k++) {
            seed = seed * 1103515245u + 12345u;
            frames[k] = (seed >> 16) % 40;
        }
        leaf[i] = trie_insert_path(t, frames, d);
    }
}

START_TEST(prefault_changes_no_node)
{
    enum { N = 3000 };
    struct trie t, ref;
    uint32_t leaf[N], again[N], steps = 0;
    uint64_t cursor = 0;

    trie_init(&t);
    trie_init(&ref);
    fill(&t, leaf, N);
    fill(&ref, again, N);
    trie_reserve(&t, 1u << 20);          /* the hash and the nodes grow */
    ck_assert_uint_ge(t.cap, 1u << 20);
    while (trie_prefault(&t, 1u << 20, &cursor))
        ck_assert_uint_lt(++steps, 1000);       /* it ends */
    ck_assert_uint_eq(t.count, ref.count);
    ck_assert_mem_eq(t.node, ref.node, ref.count * sizeof *ref.node);
    for (uint32_t n = 0; n < ref.count; n++)
        ck_assert_int_eq(trie_nested(&t, n), trie_nested(&ref, n));
    /* every path is still found, none added */
    fill(&t, again, N);
    ck_assert_mem_eq(again, leaf, sizeof leaf);
    ck_assert_uint_eq(t.count, ref.count);
    /* and the trie grows past what was reserved as before */
    for (uint32_t f = 0; f < 2000; f++) {
        uint32_t path[2] = { 1000 + f, 5000 + f };

        ck_assert_uint_eq(t.node[trie_insert_path(&t, path, 2)].frame, 5000 + f);
    }
    for (uint32_t n = 1; n < t.count; n++)
        ck_assert_uint_lt(t.node[n].parent, n);
    trie_free(&t);
    trie_free(&ref);
}
END_TEST

START_TEST(prefault_of_an_empty_trie_ends)
{
    struct trie t;
    uint64_t cursor = 0;
    uint32_t steps = 0;

    trie_init(&t);
    while (trie_prefault(&t, 0, &cursor))
        ck_assert_uint_lt(++steps, 100);
    ck_assert_uint_eq(t.count, 1);
    trie_free(&t);
}
END_TEST

Suite *speed_suite(void)
{
    Suite *s = suite_create("speed");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, prefault_changes_no_node);
    tcase_add_test(tc, prefault_of_an_empty_trie_ends);
    suite_add_tcase(s, tc);
    return s;
}
