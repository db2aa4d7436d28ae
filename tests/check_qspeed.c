/* The query layer's speed work (issue 14): the sorts that compare name
 * prefixes first and the prefetching sample pass must give the order and
 * the numbers the plain code gives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "dataset.h"
#include "ftree.h"
#include "query.h"
#include "source.h"

static const struct profile *naive_p;

/* The plain order: the names byte-wise, then the frame ids. */
static int naive_by_name(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    int c = query_name_cmp(naive_p, naive_p->frames[a].name, naive_p->frames[b].name);

    return c ? c : (a > b) - (a < b);
}

static void load(struct profile *p, const char *folded)
{
    char err[SOURCE_ERR_MAX];

    profile_init(p);
    ck_assert_int_eq(folded_load(p, 0, (const uint8_t *)folded, strlen(folded), err), 0);
    profile_finish(p);
}

/* Names that share long prefixes (Go's "github.com/..."), are prefixes of
 * each other, are shorter than 8 bytes or hold bytes above 0x7f: every
 * case where a prefix decides and where it must not. */
static char *tricky_folded(int n)
{
    static const char *stems[] = { "github.com/org/repo/pkg.", "github.com/org/repo/pk",
                                   "a", "ab", "abcdefgh", "abcdefghi", "abcdefgg", "\xc3\xa9t\xc3\xa9",
                                   "Z", "z" };
    size_t cap = (size_t)n * 64 + 1, len = 0;
    char *s = malloc(cap);

    for (int i = 0; i < n; i++) {
        const char *stem = stems[i % 10];

        /* some names are a bare stem, so one name is a prefix of another */
        if (i < 10)
            len += (size_t)snprintf(s + len, cap - len, "root;%s %d\n", stem, 1 + i % 3);
        else
            len += (size_t)snprintf(s + len, cap - len, "root;%s%d %d\n", stem, i * 7919 % 1000,
                                    1 + i % 3);
    }
    return s;
}

START_TEST(prefix_orders_as_names_do)
{
    struct profile p;
    char *folded = tricky_folded(300);

    load(&p, folded);
    for (uint32_t a = 0; a < p.nframes; a++) {
        for (uint32_t b = 0; b < p.nframes; b++) {
            uint32_t na = p.frames[a].name, nb = p.frames[b].name;
            uint64_t pa = query_name_prefix(&p, na), pb = query_name_prefix(&p, nb);
            int c = query_name_cmp(&p, na, nb);

            if (pa != pb)       /* where prefixes differ, they decide as the names */
                ck_assert_int_eq(pa < pb ? -1 : 1, c < 0 ? -1 : 1);
            if (!c)
                ck_assert(pa == pb);
        }
    }
    profile_free(&p);
    free(folded);
}
END_TEST

START_TEST(rank_equals_a_plain_sort)
{
    struct profile p;
    char *folded = tricky_folded(2000);
    uint32_t *order, *rank;

    load(&p, folded);
    order = malloc(p.nframes * sizeof *order);
    rank = malloc(p.nframes * sizeof *rank);
    for (uint32_t f = 0; f < p.nframes; f++)
        order[f] = f;
    naive_p = &p;
    qsort(order, p.nframes, sizeof *order, naive_by_name);
    query_rank_names(&p, rank);
    for (uint32_t i = 0; i < p.nframes; i++)
        ck_assert_uint_eq(rank[order[i]], i);
    free(order);
    free(rank);
    profile_free(&p);
    free(folded);
}
END_TEST

static uint64_t mag(int64_t v)
{
    return v < 0 ? -(uint64_t)v : (uint64_t)v;
}

/* The table's rows: |self| largest first, then the names (pprof's
 * FlatNameOrder), over thousands of ties of self and of name prefixes. */
START_TEST(rows_sorted_by_self_then_name)
{
    struct profile p;
    char *folded = tricky_folded(3000);
    int64_t *total;
    struct flat fl;

    load(&p, folded);
    total = calloc(p.trie.count, sizeof *total);
    query_totals_flat(&p, 0, NULL, total, &fl);
    ck_assert_uint_eq(fl.count, p.nframes);
    for (uint32_t i = 1; i < fl.count; i++) {
        const struct flat_row *x = &fl.rows[i - 1], *y = &fl.rows[i];

        ck_assert(mag(x->self) >= mag(y->self));
        if (mag(x->self) == mag(y->self))
            ck_assert_int_lt(query_name_cmp(&p, p.frames[x->frame].name,
                                            p.frames[y->frame].name), 0);
    }
    flat_free(&fl);
    free(total);
    profile_free(&p);
    free(folded);
}
END_TEST

/* Many more samples than the pass prefetches ahead, over a deep trie:
 * the one-pass merge gives what query_totals and flat_build give apart. */
START_TEST(prefetching_pass_equals_two)
{
    struct profile p;
    size_t cap = 1 << 20, len = 0;
    char *s = malloc(cap);
    uint32_t seed = 7;
    int64_t *t1, *t2;
    struct flat a, b;

    for (int i = 0; i < 5000; i++) {
        len += (size_t)snprintf(s + len, cap - len, "main");
        for (int d = 0; d < 1 + i % 17; d++) {
            seed = seed * 1103515245u + 12345u;
            len += (size_t)snprintf(s + len, cap - len, ";f%u", (seed >> 16) % (d < 2 ? 3 : 400));
        }
        len += (size_t)snprintf(s + len, cap - len, " %d\n", 1 + i % 5);
    }
    load(&p, s);
    ck_assert_uint_gt(p.nsamples, 1000);
    t1 = calloc(p.trie.count, sizeof *t1);
    t2 = malloc(p.trie.count * sizeof *t2);
    memset(t2, 0x5a, p.trie.count * sizeof *t2);    /* overwritten, not added to */
    query_totals(&p, 0, NULL, t1);
    flat_build(&p, 0, NULL, t1, &a);
    query_totals_flat(&p, 0, NULL, t2, &b);
    ck_assert_mem_eq(t1, t2, p.trie.count * sizeof *t1);
    ck_assert_uint_eq(a.count, b.count);
    for (uint32_t i = 0; i < a.count; i++) {
        ck_assert_uint_eq(a.rows[i].frame, b.rows[i].frame);
        ck_assert_int_eq(a.rows[i].self, b.rows[i].self);
        ck_assert_int_eq(a.rows[i].total, b.rows[i].total);
    }
    ck_assert_int_eq(a.grand_total, b.grand_total);
    flat_free(&a);
    flat_free(&b);
    free(t1);
    free(t2);
    profile_free(&p);
    free(s);
}
END_TEST

/* Random stacks of depth 1..17 over 400 functions, f0..f2 near the root. */
static char *random_folded(int n, uint32_t seed)
{
    size_t cap = (size_t)n * 128 + 1, len = 0;
    char *s = malloc(cap);

    for (int i = 0; i < n; i++) {
        len += (size_t)snprintf(s + len, cap - len, "main");
        for (int d = 0; d < 1 + i % 17; d++) {
            seed = seed * 1103515245u + 12345u;
            len += (size_t)snprintf(s + len, cap - len, ";f%u", (seed >> 16) % (d < 2 ? 3 : 400));
        }
        len += (size_t)snprintf(s + len, cap - len, " %d\n", 1 + i % 5);
    }
    return s;
}

/* A sandwich half's first row, made with members fetched ahead of use:
 * each child's value is what a plain walk of the function's outermost
 * occurrences gives (callees: their children's totals by frame; callers:
 * their totals by the parent's frame). Thousands of members, more than
 * the prefetch distances. */
static void check_half(const struct profile *p, const int64_t *total, uint32_t frame,
                       enum ftree_direction dir)
{
    const struct trie *tr = &p->trie;
    int64_t *want = calloc(p->nframes + 1, sizeof *want);
    struct ftree t;
    uint32_t first, k, occ = 0;

    for (uint32_t n = 1; n < tr->count; n++) {
        const uint32_t *kids;
        uint32_t nk;

        if (tr->node[n].frame != frame || trie_nested(tr, n))
            continue;
        occ++;
        if (dir == FTREE_CALLERS) {
            if (tr->node[n].parent != TRIE_ROOT)
                want[tr->node[tr->node[n].parent].frame] += total[n];
            continue;
        }
        nk = trie_children(tr, n, &kids);
        for (uint32_t j = 0; j < nk; j++)
            want[tr->node[kids[j]].frame] += total[kids[j]];
    }
    ck_assert_uint_gt(occ, 100);
    ftree_init_function(&t, p, total, frame, dir, 0);
    k = ftree_children(&t, 0, &first);
    ck_assert_uint_gt(k, 10);
    for (uint32_t c = first; c < first + k; c++) {
        ck_assert_int_eq(t.node[c].value, want[t.node[c].frame]);
        want[t.node[c].frame] = 0;
    }
    for (uint32_t f = 0; f <= p->nframes; f++)
        ck_assert_int_eq(want[f], 0);          /* no child left out */
    ftree_free(&t);
    free(want);
}

START_TEST(prefetched_sandwich_halves_equal_a_plain_walk)
{
    struct profile p;
    char *s = random_folded(20000, 3);
    int64_t *total;

    load(&p, s);
    trie_index(&p.trie);
    total = calloc(p.trie.count, sizeof *total);
    query_totals(&p, 0, NULL, total);
    for (uint32_t f = 0; f < p.nframes; f++) {
        const char *name = profile_str(&p, p.frames[f].name);

        if (!strcmp(name, "f1") || !strcmp(name, "f7")) {
            check_half(&p, total, f, FTREE_CALLEES);
            check_half(&p, total, f, FTREE_CALLERS);
        }
    }
    free(total);
    profile_free(&p);
    free(s);
}
END_TEST

/* 80,000 random paths of depth 1..40 over 300 frames (repeats make
 * recursion), inserted at once into a fresh trie (the loader's grouped
 * build) or one at a time; self values at every node. */
static void big_trie(struct trie *t, int at_once, int64_t **self)
{
    uint32_t n = 80000, seed = 5, *start = malloc((n + 1) * sizeof *start);
    uint32_t *frames = malloc((size_t)n * 40 * sizeof *frames), *leaf = malloc(n * sizeof *leaf);

    start[0] = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t d = 1 + i % 40;

        for (uint32_t k = 0; k < d; k++) {
            seed = seed * 1103515245u + 12345u;
            frames[start[i] + k] = (seed >> 16) % (k < 2 ? 3 : 300);
        }
        start[i + 1] = start[i] + d;
    }
    trie_init(t);
    if (at_once)
        trie_insert_batch(t, frames, start, n, leaf);
    else
        for (uint32_t i = 0; i < n; i++)
            leaf[i] = trie_insert_path(t, frames + start[i], start[i + 1] - start[i]);
    *self = calloc(t->count, sizeof **self);
    for (uint32_t i = 0; i < n; i++)
        (*self)[leaf[i]] += 1 + i % 7;
    for (uint32_t id = 1; id < t->count; id += 3)      /* and some inner nodes */
        (*self)[id] += id % 5;
    free(start);
    free(frames);
    free(leaf);
}

/* The two-core accumulate gives trie_accumulate's totals and frame totals
 * exactly, split or not. */
static void check_accumulate(int at_once, int no_overflow, int want_split)
{
    struct trie t;
    int64_t *self, *a, *b, *fa, *fb;
    uint32_t nframes = 300;
    int split;

    big_trie(&t, at_once, &self);
    ck_assert_uint_gt(t.count, 1u << 20);
    a = malloc(t.count * sizeof *a);
    b = malloc(t.count * sizeof *b);
    memcpy(a, self, t.count * sizeof *a);
    memcpy(b, self, t.count * sizeof *b);
    fa = calloc(nframes + 1, sizeof *fa);
    fb = calloc(nframes + 1, sizeof *fb);
    trie_accumulate(&t, a, fa);
    split = query_accumulate(&t, b, fb, nframes, no_overflow);
    if (want_split >= 0)
        ck_assert_int_eq(split, want_split);
    ck_assert_mem_eq(a, b, t.count * sizeof *a);
    ck_assert_mem_eq(fa, fb, (nframes + 1) * sizeof *fa);
    free(a), free(b), free(fa), free(fb), free(self);
    trie_free(&t);
}

START_TEST(two_core_accumulate_equals_one)
{
    check_accumulate(1, 1, 1);          /* grouped: split */
    check_accumulate(1, 0, 0);          /* sums that may overflow: one thread */
    check_accumulate(0, 1, -1);         /* one at a time: split or not, the same */
}
END_TEST

static void same_rows(const struct flat *a, const struct flat *b)
{
    ck_assert_uint_eq(a->count, b->count);
    for (uint32_t i = 0; i < a->count; i++) {
        ck_assert_uint_eq(a->rows[i].frame, b->rows[i].frame);
        ck_assert_int_eq(a->rows[i].self, b->rows[i].self);
        ck_assert_int_eq(a->rows[i].total, b->rows[i].total);
    }
}

/* A merge of the local data set, its rows against the unranked merge's. */
static void check_local_merge(struct dataset *d, struct profile *p)
{
    struct ds_query q = { .kind = DS_MERGE, .type = 0, .query = "{}", .from = INT64_MIN,
                          .until = INT64_MAX };
    struct ds_req *r = ds_submit(d, DS_NOSLOT, &q);
    struct ds_result res;
    int64_t *total = calloc(p->trie.count, sizeof *total);
    struct flat plain;

    ds_step(d);
    ck_assert_int_eq(ds_take(r, &res), 0);
    query_totals_flat(p, 0, NULL, total, &plain);
    same_rows(&res.flat, &plain);
    flat_free(&plain);
    ds_result_free(&res);
    ds_release(r);
    free(total);
}

/* Rows sorted with the names' ranks are the rows sorted by the names, and
 * the local data set ranks the frames a later load adds. */
START_TEST(ranked_rows_equal_named_rows)
{
    struct profile p;
    char *folded = tricky_folded(3000), err[SOURCE_ERR_MAX];
    const char *more = "root;zz_new 4\nroot;aa_new 4\nroot;github.com/org/repo/pkg.000 9\n";
    int64_t *total;
    uint32_t *rank;
    struct flat named, ranked;
    struct dataset *d;

    load(&p, folded);
    total = calloc(p.trie.count, sizeof *total);
    rank = malloc(p.nframes * sizeof *rank);
    query_rank_names(&p, rank);
    query_totals_flat(&p, 0, NULL, total, &named);
    query_totals_flat_ranked(&p, 0, NULL, total, rank, &ranked);
    same_rows(&named, &ranked);
    flat_free(&named);
    flat_free(&ranked);
    free(rank);
    free(total);
    d = ds_local_new(&p);
    check_local_merge(d, &p);
    ck_assert_int_eq(folded_load(&p, 0, (const uint8_t *)more, strlen(more), err), 0);
    profile_finish(&p);
    check_local_merge(d, &p);           /* two new frames: ranked again */
    ds_free(d);
    profile_free(&p);
    free(folded);
}
END_TEST

/* The local data set maps one spare per-node array in slices, only what
 * fits in the room given, once per trie size; a merge then takes it and
 * answers as without it. */
/* Ranks made ahead on a second core (ds_local_rank_ahead, beside the
 * index) are waited for by the first merge, whose rows are the rows
 * sorted by name; a data set freed before any merge waits for them too. */
START_TEST(ranks_made_ahead_give_named_rows)
{
    struct profile p;
    char *folded = tricky_folded(3000);
    struct dataset *d;

    load(&p, folded);
    d = ds_local_new(&p);
    ds_local_rank_ahead(d);
    ds_local_rank_ahead(d);             /* under way: not started twice */
    trie_index(&p.trie);
    check_local_merge(d, &p);
    ds_local_rank_ahead(d);             /* made: nothing to do */
    check_local_merge(d, &p);
    ds_free(d);
    d = ds_local_new(&p);
    ds_local_rank_ahead(d);
    ds_free(d);
    profile_free(&p);
    free(folded);
}
END_TEST

START_TEST(warm_spare_is_mapped_once_and_used)
{
    struct profile p;
    char *s = random_folded(3000, 9), err[SOURCE_ERR_MAX];
    const char *more = "main;brand_new;deeper 5\n";
    size_t bytes, slices = 0;
    struct dataset *d;

    load(&p, s);
    bytes = p.trie.count * sizeof(int64_t);
    d = ds_local_new(&p);
    ck_assert_int_eq(ds_warm(d, 4096, bytes - 1), 0);       /* no room: nothing */
    while (ds_warm(d, 4096, bytes))
        slices++;
    ck_assert_uint_eq(slices + 1, (bytes + 4095) / 4096);   /* 4 KB a call, to the end */
    ck_assert_int_eq(ds_warm(d, 4096, bytes), 0);           /* once for this size */
    check_local_merge(d, &p);           /* takes the spare: the same answer */
    check_local_merge(d, &p);
    ck_assert_int_eq(folded_load(&p, 0, (const uint8_t *)more, strlen(more), err), 0);
    profile_finish(&p);
    ck_assert_int_eq(ds_warm(d, (size_t)1 << 30, (size_t)1 << 30), 0);    /* a new size: */
    check_local_merge(d, &p);           /* mapped in one slice, and taken */
    ds_free(d);
    profile_free(&p);
    free(s);
}
END_TEST

/* 300,000 samples (more than the two-core sample pass needs) over random
 * stacks, of values `value` and `other` in turn, summed by the one-pass
 * merge and by query_totals + flat_build apart. With values of 2^62 of
 * either sign the |v| sum passes 2^62: the halves could saturate
 * otherwise than one pass, so one pass runs. */
static void check_big_pass(const char *value, const char *other, int saturates)
{
    struct profile p;
    size_t cap = (size_t)300000 * 48, len = 0;
    char *s = malloc(cap);
    uint32_t seed = 17;
    int64_t *t1, *t2;
    struct flat a, b;

    for (int i = 0; i < 300000; i++) {
        len += (size_t)snprintf(s + len, cap - len, "m");
        for (int d = 0; d < 1 + i % 6; d++) {
            seed = seed * 1103515245u + 12345u;
            len += (size_t)snprintf(s + len, cap - len, ";%u", (seed >> 16) % 200);
        }
        len += (size_t)snprintf(s + len, cap - len, " %s\n", i % 3 ? value : other);
    }
    load(&p, s);
    ck_assert_uint_ge(p.nsamples, 1u << 18);
    t1 = calloc(p.trie.count, sizeof *t1);
    t2 = calloc(p.trie.count, sizeof *t2);
    query_totals(&p, 0, NULL, t1);
    flat_build(&p, 0, NULL, t1, &a);
    query_totals_flat(&p, 0, NULL, t2, &b);
    ck_assert_mem_eq(t1, t2, p.trie.count * sizeof *t1);
    if (!saturates) {
        same_rows(&a, &b);
        ck_assert_int_eq(a.grand_total, b.grand_total);
    }
    /* saturated: the functions' totals come from another order of the
     * same sums in each (as before the two-core pass); the selves, and so
     * the rows' order, are the sample pass's alone */
    ck_assert_uint_eq(a.count, b.count);
    for (uint32_t i = 0; i < a.count; i++) {
        ck_assert_uint_eq(a.rows[i].frame, b.rows[i].frame);
        ck_assert_int_eq(a.rows[i].self, b.rows[i].self);
    }
    flat_free(&a);
    flat_free(&b);
    free(t1);
    free(t2);
    profile_free(&p);
    free(s);
}

START_TEST(two_core_sample_pass_equals_one)
{
    check_big_pass("3", "1", 0);
    check_big_pass("4611686018427387904", "-4611686018427387904", 1);   /* 2^62 */
}
END_TEST

Suite *qspeed_suite(void)
{
    Suite *s = suite_create("qspeed");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, prefix_orders_as_names_do);
    tcase_add_test(tc, rank_equals_a_plain_sort);
    tcase_add_test(tc, rows_sorted_by_self_then_name);
    tcase_add_test(tc, prefetching_pass_equals_two);
    tcase_add_test(tc, prefetched_sandwich_halves_equal_a_plain_walk);
    tcase_add_test(tc, two_core_accumulate_equals_one);
    tcase_add_test(tc, ranked_rows_equal_named_rows);
    tcase_add_test(tc, ranks_made_ahead_give_named_rows);
    tcase_add_test(tc, warm_spare_is_mapped_once_and_used);
    tcase_add_test(tc, two_core_sample_pass_equals_one);
    /* tries of a million nodes and 300k samples, three merges each: about
     * 3 s under AddressSanitizer, past Check's default 4 s on a loaded VM */
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}
