/* The folded trie (chains.h, issue 14's query speed): a merge summed over
 * the folded chains gives exactly the per-node totals, selves, function
 * totals and rows the node-by-node pass gives, on real profiles and on
 * tries shaped to reach every path (two cores, saturation, a filter set's
 * node map, a trie or samples changed after the build). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "chains.h"
#include "check_suites.h"
#include "dataset.h"
#include "query.h"
#include "selector.h"
#include "source.h"

static void load_folded(struct profile *p, const char *folded)
{
    char err[SOURCE_ERR_MAX];

    profile_init(p);
    ck_assert_int_eq(folded_load(p, 0, (const uint8_t *)folded, strlen(folded), err), 0);
    profile_finish(p);
    trie_index(&p->trie);
}

static void load_fixture(struct profile *p, const char *name)
{
    char path[256], err[SOURCE_ERR_MAX];
    struct load_options o = { .max_size = (size_t)1 << 28 };

    snprintf(path, sizeof path, "tests/data/%s", name);
    profile_init(p);
    ck_assert_msg(!source_load_path(p, path, &o, err), "%s: %s", name, err);
    profile_finish(p);
    trie_index(&p->trie);
}

static void same_flat(const struct flat *a, const struct flat *b)
{
    ck_assert_uint_eq(a->count, b->count);
    ck_assert_int_eq(a->grand_total, b->grand_total);
    for (uint32_t i = 0; i < a->count; i++) {
        ck_assert_uint_eq(a->rows[i].frame, b->rows[i].frame);
        ck_assert_int_eq(a->rows[i].self, b->rows[i].self);
        ck_assert_int_eq(a->rows[i].total, b->rows[i].total);
    }
}

/* The folded merge against the node-by-node one, for type and filter f:
 * totals byte for byte (the folded array starts as garbage: overwritten,
 * never added to) and the same rows. */
static void same_merge(const struct profile *p, uint32_t type, const struct filter *f,
                       struct chains *c)
{
    size_t bytes = (size_t)p->trie.count * sizeof(int64_t);
    int64_t *want = malloc(bytes), *got = malloc(bytes);
    uint32_t *rank = malloc(((size_t)p->nframes + 1) * sizeof *rank);
    struct flat a, b;

    memset(got, 0x5a, bytes);
    query_rank_names(p, rank);
    query_totals_flat(p, type, f, want, &a);
    query_totals_flat_folded(p, type, f, got, rank, c, &b);
    ck_assert_mem_eq(want, got, bytes);
    same_flat(&a, &b);
    flat_free(&a);
    flat_free(&b);
    free(want);
    free(got);
    free(rank);
}

/* What the folding must be: every id inside a chain (not its end) has
 * one child, the next id, and no sample; each chain's end is found by
 * chains_at, each inner id is not; a folded node's parent is the chain
 * holding its first id's parent. */
static void check_shape(const struct chains *c, const struct profile *p)
{
    const struct trie *t = &p->trie;
    uint8_t *ends_sample = calloc(t->count, 1);
    uint32_t j = 0;

    for (size_t s = 0; s < p->nsamples; s++)
        ends_sample[p->samples[s].node] = 1;
    ck_assert_uint_eq(c->last[0], TRIE_ROOT);
    for (uint32_t id = 0; id < t->count; id++) {
        const uint32_t *kids;
        uint32_t nk = trie_children(t, id, &kids);
        int inner = id && nk == 1 && kids[0] == id + 1 && !ends_sample[id];

        if (inner) {
            ck_assert_uint_eq(chains_at(c, id), CHAINS_NONE);
            continue;
        }
        ck_assert_uint_eq(chains_at(c, id), j);
        ck_assert_uint_eq(c->last[j], id);
        if (j) {
            ck_assert_uint_eq(c->frame[j], t->node[id].frame);
            ck_assert_uint_eq(c->last[c->up[j]], t->node[c->last[j - 1] + 1].parent);
        }
        j++;
    }
    ck_assert_uint_eq(j, c->n);
    ck_assert_uint_le(c->n, t->count);
    free(ends_sample);
}

/* Random stacks of depth 1..17 over 400 functions, f0..f2 near the root;
 * every 4th one ends in a tail of its own (a chain to fold). */
static char *random_folded(int n, uint32_t seed)
{
    size_t cap = (size_t)n * 160 + 1, len = 0;
    char *s = malloc(cap);

    for (int i = 0; i < n; i++) {
        len += (size_t)snprintf(s + len, cap - len, "main");
        for (int d = 0; d < 1 + i % 17; d++) {
            seed = seed * 1103515245u + 12345u;
            len += (size_t)snprintf(s + len, cap - len, ";f%u", (seed >> 16) % (d < 2 ? 3 : 400));
        }
        if (i % 4 == 0)
            len += (size_t)snprintf(s + len, cap - len, ";t%d;u;v;f1;w", i);
        len += (size_t)snprintf(s + len, cap - len, " %d\n", 1 + i % 5);
    }
    return s;
}

/* Each real profile, each of its sample types: the pprof fixtures of Go
 * and Node runtimes, the folded one, with the samples of one label value
 * too where there are labels. */
START_TEST(folded_merge_equals_node_by_node_on_fixtures)
{
    static const char *files[] = { "go-cpu.pb.gz", "go-heap.pb.gz", "go-mutex.pb.gz",
                                   "go-block.pb.gz", "node-wall.pb.gz", "node-heap.pb",
                                   "folded-small.txt", "own-file-label.pb" };

    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        struct profile p;
        struct chains c = { 0 };

        load_fixture(&p, files[i]);
        ck_assert_int_eq(chains_build(&c, &p), 0);
        ck_assert(chains_fit(&c, &p));
        check_shape(&c, &p);
        for (uint32_t type = 0; type < p.ntypes; type++)
            same_merge(&p, type, NULL, &c);
        if (p.nsets > 1) {
            struct filter f = { 0 };

            f.set_ok = calloc(p.nsets, 1);
            for (uint32_t s = 0; s < p.nsets; s += 2)
                f.set_ok[s] = 1;
            same_merge(&p, p.default_type, &f, &c);
            free(f.set_ok);
        }
        chains_free(&c);
        profile_free(&p);
    }
}
END_TEST

/* A base subtracted (--base) and a diff base (--diff-base), on the real
 * pairs of CPU and heap profiles: negative values in the folded sums. */
START_TEST(folded_merge_equals_node_by_node_with_a_base)
{
    static const char *pairs[][2] = { { "base/cpu-2.pb.gz", "base/cpu-1.pb.gz" },
                                      { "base/heap-2.pb.gz", "base/heap-1.pb.gz" } };

    for (int kind = BASE_SUBTRACT; kind <= BASE_DIFF; kind++) {
        for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
            struct profile p;
            struct chains c = { 0 };
            struct load_options o = { .max_size = (size_t)1 << 28 };
            char path[256], err[SOURCE_ERR_MAX];

            profile_init(&p);
            for (int k = 0; k < 2; k++) {
                snprintf(path, sizeof path, "tests/data/%s", pairs[i][k]);
                ck_assert_msg(!source_load_path(&p, path, &o, err), "%s: %s", path, err);
            }
            ck_assert_int_eq(base_check(&p, 1, err, sizeof err), 0);
            base_mark(&p, 1, (enum base_kind)kind);
            profile_finish(&p);
            trie_index(&p.trie);
            ck_assert_int_eq(chains_build(&c, &p), 0);
            for (uint32_t type = 0; type < p.ntypes; type++)
                same_merge(&p, type, NULL, &c);
            chains_free(&c);
            profile_free(&p);
        }
    }
}
END_TEST

/* Random tries, built in steps (as idle time does): a step a phase, or
 * (odd seeds) pieces of 64 ids, so that every phase takes many steps. */
START_TEST(folded_merge_equals_node_by_node_on_random_tries)
{
    for (uint32_t seed = 1; seed <= 5; seed++) {
        struct profile p;
        struct chains c = { .piece = seed & 1 ? 64 : 0 };
        char *s = random_folded(2000 + 700 * (int)seed, seed);
        int steps = 0;

        load_folded(&p, s);
        while (chains_build_step(&c, &p) > 0)
            steps++;
        if (c.piece)
            ck_assert_int_gt(steps, 20 * CHAINS_DONE);
        else
            ck_assert_int_eq(steps, CHAINS_DONE - 1);
        ck_assert(chains_fit(&c, &p));
        check_shape(&c, &p);
        ck_assert_uint_lt(c.n, p.trie.count * 3 / 4);  /* the tails fold */
        same_merge(&p, 0, NULL, &c);
        chains_free(&c);
        profile_free(&p);
        free(s);
    }
}
END_TEST

/* 300,000 samples over 1.2 M nodes: the sample halves on two cores into
 * their own sums and the fill on two cores. */
START_TEST(two_core_folded_merge_equals_one_pass)
{
    struct profile p;
    struct chains c = { 0 };
    size_t cap = (size_t)300000 * 64, len = 0;
    char *s = malloc(cap);

    for (int i = 0; i < 300000; i++)
        len += (size_t)snprintf(s + len, cap - len, "m;f%d;g%d;h%d;x;y;z %d\n", i % 7, i % 100, i,
                                1 + i % 9);
    load_folded(&p, s);
    ck_assert_uint_ge(p.nsamples, 1u << 18);
    ck_assert_uint_ge(p.trie.count, 1u << 20);
    ck_assert_int_eq(chains_build(&c, &p), 0);
    check_shape(&c, &p);
    ck_assert_uint_lt(c.n, p.trie.count / 3);  /* h;x;y;z: one folded node */
    same_merge(&p, 0, NULL, &c);
    chains_free(&c);
    profile_free(&p);
    free(s);
}
END_TEST

/* 720,000 samples over 1.08 M nodes that all end a chain (each h has two
 * children): the folded selves added on two cores too. */
START_TEST(two_core_folded_selves_equal_one_pass)
{
    struct profile p;
    struct chains c = { 0 };
    size_t cap = (size_t)720000 * 40, len = 0;
    char *s = malloc(cap);

    for (int i = 0; i < 360000; i++)
        len += (size_t)snprintf(s + len, cap - len, "m;h%d;x %d\nm;h%d;y%d %d\n", i, 1 + i % 5, i,
                                i % 3, 2 + i % 7);
    load_folded(&p, s);
    ck_assert_uint_ge(p.nsamples, 1u << 18);
    ck_assert_int_eq(chains_build(&c, &p), 0);
    ck_assert_uint_ge(c.n, 1u << 20);
    same_merge(&p, 0, NULL, &c);
    chains_free(&c);
    profile_free(&p);
    free(s);
}
END_TEST

/* Where the folding cannot answer, the node-by-node pass does: values
 * whose |v| sum reaches 2^62 (saturating sums), a filter set's node map
 * (samples counted at other nodes), a trie grown or samples dropped
 * after the build. Each answer still equals the plain one. */
START_TEST(folded_merge_falls_back_where_it_cannot_answer)
{
    struct profile p;
    struct chains c = { 0 };
    char *s = random_folded(3000, 11), err[SOURCE_ERR_MAX];
    const char *big = "main;f1;huge 4611686018427387904\nmain;f2;huge -4611686018427387904\n";
    const char *more = "main;brand;new;tail 5\n";
    struct filter f = { 0 };
    uint32_t *map;

    load_folded(&p, s);
    ck_assert_int_eq(chains_build(&c, &p), 0);
    map = malloc(p.trie.count * sizeof *map);
    for (uint32_t n = 0; n < p.trie.count; n++)      /* every sample to its parent */
        map[n] = n == TRIE_ROOT ? TRIE_ROOT : p.trie.node[n].parent;
    f.node_map = map;
    same_merge(&p, 0, &f, &c);
    free(map);

    ck_assert_int_eq(folded_load(&p, 0, (const uint8_t *)more, strlen(more), err), 0);
    profile_finish(&p);
    trie_index(&p.trie);
    ck_assert(!chains_fit(&c, &p));             /* new nodes and samples */
    same_merge(&p, 0, NULL, &c);
    ck_assert_int_eq(chains_build(&c, &p), 0);
    ck_assert(chains_fit(&c, &p));
    same_merge(&p, 0, NULL, &c);

    ck_assert_int_eq(folded_load(&p, 0, (const uint8_t *)big, strlen(big), err), 0);
    profile_finish(&p);
    trie_index(&p.trie);
    ck_assert_int_eq(chains_build(&c, &p), 0);
    same_merge(&p, 0, NULL, &c);                /* saturates: one pass */
    chains_free(&c);
    profile_free(&p);
    free(s);
}
END_TEST

/* A profile that grows between two steps of the build (a live data set's
 * fetch lands while idle time folds) makes the build start again: the
 * fold it ends with is the new profile's. */
START_TEST(a_build_restarts_when_the_profile_moves)
{
    struct profile p;
    struct chains c = { .piece = 64 };
    char *s = random_folded(3000, 5), err[SOURCE_ERR_MAX];
    const char *more = "main;f1;fresh;tail;end 7\nmain;f2 3\n";

    load_folded(&p, s);
    for (int i = 0; i < 100000 && c.phase < CHAINS_DONE - 3; i++)
        ck_assert_int_eq(chains_build_step(&c, &p), 1);
    ck_assert_int_eq(c.phase, CHAINS_DONE - 3);    /* the folded tree half made */
    ck_assert_int_eq(folded_load(&p, 0, (const uint8_t *)more, strlen(more), err), 0);
    profile_finish(&p);
    trie_index(&p.trie);
    while (chains_build_step(&c, &p) > 0)
        ;
    ck_assert(chains_fit(&c, &p));
    check_shape(&c, &p);
    same_merge(&p, 0, NULL, &c);
    chains_free(&c);
    profile_free(&p);
    free(s);
}
END_TEST

/* Samples rewritten in place (a snapshot dropped: the node count and
 * even the sample count may stay) make the build stale. */
START_TEST(dropped_sources_make_the_folding_stale)
{
    struct profile p;
    struct chains c = { 0 };
    char err[SOURCE_ERR_MAX];
    const char *one = "main;a;b 3\nmain;c 2\n", *two = "main;a;b 5\nmain;d;e 1\n";
    uint8_t drop[2] = { 1, 0 };

    profile_init(&p);
    ck_assert_int_eq(folded_load(&p, 0, (const uint8_t *)one, strlen(one), err), 0);
    ck_assert_int_eq(folded_load(&p, 0, (const uint8_t *)two, strlen(two), err), 0);
    profile_finish(&p);
    trie_index(&p.trie);
    ck_assert_uint_eq(p.nsources, 2);
    ck_assert_int_eq(chains_build(&c, &p), 0);
    ck_assert(chains_fit(&c, &p));
    ck_assert_uint_eq(profile_drop_sources(&p, drop), 1);
    ck_assert(!chains_fit(&c, &p));
    same_merge(&p, 0, NULL, &c);
    ck_assert_int_eq(chains_build(&c, &p), 0);
    same_merge(&p, 0, NULL, &c);
    chains_free(&c);
    profile_free(&p);
}
END_TEST

/* The local data set folds its trie in idle time (ds_warm, with no room
 * for a spare too) and its merges then answer as the plain pass does. */
START_TEST(local_data_set_folds_in_idle_time)
{
    struct profile p;
    char *s = random_folded(4000, 3);
    struct dataset *d;
    int calls = 0;

    load_folded(&p, s);
    d = ds_local_new(&p);
    while (ds_warm(d, 4096, 0))
        calls++;
    ck_assert_int_eq(calls, CHAINS_DONE - 1);  /* each step a call, no spare */
    for (int i = 0; i < 2; i++) {
        struct ds_query q = { .kind = DS_MERGE, .type = 0, .query = "{}", .from = INT64_MIN,
                              .until = INT64_MAX };
        struct ds_req *r = ds_submit(d, DS_NOSLOT, &q);
        struct ds_result res;
        int64_t *want = malloc(p.trie.count * sizeof *want);
        struct flat plain;

        ds_step(d);
        ck_assert_int_eq(ds_take(r, &res), 0);
        query_totals_flat(&p, 0, NULL, want, &plain);
        ck_assert_uint_eq(res.ntotal, p.trie.count);
        ck_assert_mem_eq(res.total, want, p.trie.count * sizeof *want);
        same_flat(&res.flat, &plain);
        flat_free(&plain);
        free(want);
        ds_result_free(&res);
        ds_release(r);
    }
    ds_free(d);
    profile_free(&p);
    free(s);
}
END_TEST

Suite *chains_suite(void)
{
    Suite *s = suite_create("chains");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, folded_merge_equals_node_by_node_on_fixtures);
    tcase_add_test(tc, folded_merge_equals_node_by_node_with_a_base);
    tcase_add_test(tc, folded_merge_equals_node_by_node_on_random_tries);
    tcase_add_test(tc, two_core_folded_merge_equals_one_pass);
    tcase_add_test(tc, two_core_folded_selves_equal_one_pass);
    tcase_add_test(tc, folded_merge_falls_back_where_it_cannot_answer);
    tcase_add_test(tc, dropped_sources_make_the_folding_stale);
    tcase_add_test(tc, a_build_restarts_when_the_profile_moves);
    tcase_add_test(tc, local_data_set_folds_in_idle_time);
    suite_add_tcase(s, tc);
    return s;
}
