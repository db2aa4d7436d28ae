/* The explorer's speed work (issue 14, second round): what it reshapes
 * must give the answers the plain code gives. */
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "trie.h"

/* 20,000 random paths of depth 1..24 over 300 frames: far more nodes than
 * the index's prefetch distance, parents scattered over the ids. */
static void fill(struct trie *t)
{
    uint32_t frames[24], seed = 11;

    for (uint32_t i = 0; i < 20000; i++) {
        uint32_t d = 1 + i % 24;

        for (uint32_t k = 0; k < d; k++) {
            seed = seed * 1103515245u + 12345u;
            frames[k] = (seed >> 16) % (k < 3 ? 4 : 300);  /* shared prefixes */
        }
        trie_insert_path(t, frames, d);
    }
}

/* The prefetching counting sort lists each node's children, in id order,
 * exactly as a scan of every node for its parent does. */
START_TEST(index_equals_a_scan)
{
    struct trie t;
    uint32_t *next;

    trie_init(&t);
    fill(&t);
    ck_assert_uint_gt(t.count, 100000);
    trie_reindex(&t);
    next = calloc(t.count + 1, sizeof *next);       /* per parent: its children listed so far */
    for (uint32_t n = 1; n < t.count; n++) {
        uint32_t par = t.node[n].parent;
        const uint32_t *kids;
        uint32_t k = trie_children(&t, par, &kids);

        ck_assert_uint_lt(next[par], k);
        ck_assert_uint_eq(kids[next[par]++], n);
    }
    for (uint32_t n = 0; n < t.count; n++) {
        const uint32_t *kids;

        ck_assert_uint_eq(trie_children(&t, n, &kids), next[n]);
    }
    free(next);
    trie_free(&t);
}
END_TEST

Suite *speed2_suite(void)
{
    Suite *s = suite_create("speed2");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, index_equals_a_scan);
    suite_add_tcase(s, tc);
    return s;
}
