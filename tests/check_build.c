/* The grouped trie build (trie_insert_batch, issue 14): the same trie as
 * inserting path by path, into a fresh trie (no hash) or one that has
 * nodes (found through the hash), within the node budget. */
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "trie.h"
#include "xalloc.h"

enum { NSTACK = 600, MAXLEN = 12 };

/* Random stacks over `nf` frames: some empty, some repeated, some
 * recursive; returns the frames used. */
static uint32_t make_stacks(uint32_t *frames, uint32_t *start, uint64_t seed, uint32_t nf)
{
    start[0] = 0;
    for (int s = 0; s < NSTACK; s++) {
        uint32_t len;

        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        len = (uint32_t)(seed >> 33) % MAXLEN;
        if (s % 7 == 3 && s > 0) {              /* a repeat of the stack before */
            len = start[s] - start[s - 1];
            memcpy(frames + start[s], frames + start[s - 1], len * sizeof *frames);
        } else {
            for (uint32_t i = 0; i < len; i++) {
                seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
                frames[start[s] + i] = (uint32_t)(seed >> 40) % nf;
            }
        }
        start[s + 1] = start[s] + len;
    }
    return start[NSTACK];
}

/* Whether leaf's path from the root is frames[0..n). */
static int path_is(const struct trie *t, uint32_t leaf, const uint32_t *frames, uint32_t n)
{
    if (trie_depth(t, leaf) != n)
        return 0;
    for (uint32_t i = n; i > 0; i--, leaf = t->node[leaf].parent)
        if (t->node[leaf].frame != frames[i - 1])
            return 0;
    return 1;
}

/* t (built from the stacks at once, leaves in leaf) holds what inserting
 * them path by path makes: the same paths, nested bits and node count. */
static void same_as_path_by_path(const struct trie *t, const uint32_t *frames,
                                 const uint32_t *start, uint32_t count, const uint32_t *leaf)
{
    struct trie ref;

    trie_init(&ref);
    for (uint32_t s = 0; s < count; s++) {
        uint32_t n = start[s + 1] - start[s], r = trie_insert_path(&ref, frames + start[s], n);

        ck_assert(path_is(t, leaf[s], frames + start[s], n));
        for (uint32_t a = leaf[s], b = r; a != TRIE_ROOT; a = t->node[a].parent, b = ref.node[b].parent)
            ck_assert_int_eq(trie_nested(t, a), trie_nested(&ref, b));
    }
    ck_assert_uint_eq(t->count, ref.count);
    trie_free(&ref);
}

START_TEST(build_into_a_trie_with_nodes_finds_them)
{
    static uint32_t frames[NSTACK * MAXLEN], start[NSTACK + 1], leaf[NSTACK], copy[NSTACK * MAXLEN];
    struct trie t, ref;
    uint32_t total = make_stacks(frames, start, 7, 5), before, old[NSTACK];

    trie_init(&t);
    trie_init(&ref);
    /* the first half path by path: the batch then meets nodes it must reuse */
    for (int s = 0; s < NSTACK / 2; s++)
        old[s] = trie_insert_path(&t, frames + start[s], start[s + 1] - start[s]);
    before = t.count;
    memcpy(copy, frames, total * sizeof *frames);
    trie_insert_batch(&t, frames, start, NSTACK, leaf);
    ck_assert_mem_eq(copy, frames, total * sizeof *frames);       /* as it was */
    for (int s = 0; s < NSTACK; s++) {
        uint32_t n = start[s + 1] - start[s];

        ck_assert(path_is(&t, leaf[s], frames + start[s], n));
        if (s < NSTACK / 2)
            ck_assert_uint_eq(leaf[s], old[s]);
        trie_insert_path(&ref, frames + start[s], n);
        ck_assert_uint_eq(trie_insert_path(&t, frames + start[s], n), leaf[s]);
    }
    ck_assert_uint_eq(t.count, ref.count);      /* no node twice */
    ck_assert_uint_gt(t.count, before);
    for (uint32_t n = 1; n < t.count; n++)
        ck_assert_uint_lt(t.node[n].parent, n);
    trie_free(&t);
    trie_free(&ref);
}
END_TEST

/* What the header promises of a fresh build: parents first, the new
 * children of a node consecutive, nested bits as path by path. */
START_TEST(fresh_build_numbers_siblings_together)
{
    static uint32_t frames[NSTACK * MAXLEN], start[NSTACK + 1], leaf[NSTACK];
    struct trie t;
    const uint32_t *kids;

    make_stacks(frames, start, 11, 9);
    trie_init(&t);
    trie_insert_batch(&t, frames, start, NSTACK, leaf);
    trie_index(&t);
    for (uint32_t n = 0; n < t.count; n++) {
        uint32_t k = trie_children(&t, n, &kids);

        for (uint32_t i = 1; i < k; i++)
            ck_assert_uint_eq(kids[i], kids[0] + i);
        for (uint32_t i = 0; i < k; i++)
            ck_assert_uint_gt(kids[i], n);
    }
    same_as_path_by_path(&t, frames, start, NSTACK, leaf);
    trie_free(&t);
}
END_TEST

/* Past max_nodes nothing is added and full is set; every leaf is where its
 * path stopped: a prefix of the stack. */
START_TEST(fresh_build_keeps_the_budget)
{
    static uint32_t frames[NSTACK * MAXLEN], start[NSTACK + 1], leaf[NSTACK];
    struct trie t;

    make_stacks(frames, start, 3, 40);
    trie_init(&t);
    t.max_nodes = 500;
    trie_insert_batch(&t, frames, start, NSTACK, leaf);
    ck_assert_uint_eq(t.full, 1);
    ck_assert_uint_le(t.count, 500);
    for (int s = 0; s < NSTACK; s++) {
        uint32_t d = trie_depth(&t, leaf[s]);

        ck_assert_uint_le(d, start[s + 1] - start[s]);
        ck_assert(path_is(&t, leaf[s], frames + start[s], d));
    }
    trie_free(&t);
}
END_TEST

START_TEST(build_of_nothing_and_of_empty_stacks)
{
    uint32_t frames[1] = { 0 }, start[4] = { 0, 0, 0, 0 }, leaf[3] = { 9, 9, 9 };
    struct trie t;

    trie_init(&t);
    trie_insert_batch(&t, frames, start, 0, leaf);
    ck_assert_uint_eq(t.count, 1);
    trie_insert_batch(&t, frames, start, 3, leaf);
    ck_assert_uint_eq(t.count, 1);
    for (int i = 0; i < 3; i++)
        ck_assert_uint_eq(leaf[i], TRIE_ROOT);
    trie_free(&t);
}
END_TEST

/* A large array freed is kept for the next one (xbig_free's spare): what
 * it hands out is zeroed, smaller or larger than the one freed. */
static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

START_TEST(a_reused_large_array_is_zeroed)
{
    const size_t mb = (size_t)1 << 20;
    size_t sizes[] = { 40 * mb, 20 * mb, 70 * mb, 17 * mb };
    unsigned char *p = xbig_realloc(NULL, 0, 48 * mb);

    memset(p, 0xab, 48 * mb);
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        xbig_free(p, i ? sizes[i - 1] : 48 * mb);
        p = xbig_realloc(NULL, 0, sizes[i]);
        ck_assert(all_zero(p, sizes[i]));
        memset(p, 0xcd, sizes[i] / 2);           /* half touched: the rest is untouched */
    }
    xbig_free(p, sizes[3]);
    xbig_trim();
    p = xbig_realloc(NULL, 0, 30 * mb);
    ck_assert(all_zero(p, 30 * mb));
    xbig_free(p, 30 * mb);
    xbig_trim();
}
END_TEST

/* Regions mapped ahead go to the allocations they hold, the smallest
 * first, zeroed; what is not taken goes at xbig_trim. */
START_TEST(stocked_regions_go_to_the_arrays_they_hold)
{
    const size_t mb = (size_t)1 << 20;
    int stop = 0, stopped = 1;
    const void *big = xbig_stock(64 * mb, &stop), *small = xbig_stock(32 * mb, &stop);
    const void *none = xbig_stock(40 * mb, &stopped);   /* stopped: mapped, not faulted in */
    unsigned char *a, *b, *c;

    ck_assert_ptr_nonnull(big);
    ck_assert_ptr_nonnull(small);
    ck_assert_ptr_nonnull(none);
    ck_assert_ptr_null(xbig_stock(mb, &stop));          /* too small to keep */
    a = xbig_realloc(NULL, 0, 30 * mb);
    ck_assert_ptr_eq(a, small);
    b = xbig_realloc(NULL, 0, 50 * mb);
    ck_assert_ptr_eq(b, big);
    c = xbig_realloc(NULL, 0, 39 * mb);
    ck_assert_ptr_eq(c, none);
    ck_assert(all_zero(a, 30 * mb) && all_zero(b, 50 * mb) && all_zero(c, 39 * mb));
    xbig_free(a, 30 * mb);
    xbig_free(b, 50 * mb);
    xbig_free(c, 39 * mb);
    xbig_stock(20 * mb, &stop);
    xbig_trim();
    a = xbig_realloc(NULL, 0, 20 * mb);                 /* a fresh mapping: nothing kept */
    ck_assert(all_zero(a, 20 * mb));
    xbig_free(a, 20 * mb);
    xbig_trim();
}
END_TEST

/* 80k stacks (72k not empty): a fresh build goes on two threads (see build_two); the
 * trie is the one path by path makes, ids aside. */
START_TEST(parallel_build_matches_path_by_path)
{
    enum { N = 80000, LEN = 10 };
    uint32_t *frames = malloc((size_t)N * LEN * sizeof *frames), *start = malloc((N + 1) * sizeof *start);
    uint32_t *leaf = malloc(N * sizeof *leaf), *copy;
    uint64_t seed = 5;
    struct trie t;

    start[0] = 0;
    for (uint32_t s = 0; s < N; s++) {      /* skewed: most under root frame 0, then 1 */
        uint32_t len;

        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        len = (uint32_t)(seed >> 33) % LEN;
        for (uint32_t i = 0; i < len; i++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            frames[start[s] + i] = i == 0 ? (uint32_t)(seed >> 60) % 3 / 2 : (uint32_t)(seed >> 40) % 30;
        }
        start[s + 1] = start[s] + len;
    }
    copy = malloc((size_t)start[N] * sizeof *copy + 1);
    memcpy(copy, frames, (size_t)start[N] * sizeof *copy);
    trie_init(&t);
    trie_insert_batch(&t, frames, start, N, leaf);
    ck_assert_mem_eq(copy, frames, (size_t)start[N] * sizeof *copy);
    same_as_path_by_path(&t, frames, start, N, leaf);
    for (uint32_t n = 1; n < t.count; n++)
        ck_assert_uint_lt(t.node[n].parent, n);
    /* every path is found again, none added: no gap where the lanes' chunks met */
    uint32_t count = t.count;

    for (uint32_t s = 0; s < N; s++)
        ck_assert_uint_eq(trie_insert_path(&t, frames + start[s], start[s + 1] - start[s]), leaf[s]);
    ck_assert_uint_eq(t.count, count);
    trie_free(&t);
    free(frames), free(start), free(leaf), free(copy);
}
END_TEST

Suite *build_suite(void)
{
    Suite *s = suite_create("build");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 60);          /* 80k stacks path by path, on a loaded machine */
    tcase_add_test(tc, build_into_a_trie_with_nodes_finds_them);
    tcase_add_test(tc, fresh_build_numbers_siblings_together);
    tcase_add_test(tc, fresh_build_keeps_the_budget);
    tcase_add_test(tc, build_of_nothing_and_of_empty_stacks);
    tcase_add_test(tc, a_reused_large_array_is_zeroed);
    tcase_add_test(tc, parallel_build_matches_path_by_path);
    tcase_add_test(tc, stocked_regions_go_to_the_arrays_they_hold);
    suite_add_tcase(s, tc);
    return s;
}
