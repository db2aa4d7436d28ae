/* Hostile input costs what its size is worth (issue 8): colliding ids,
 * amplified stacks, unchecked counts, many sample types, huge files. The
 * profiles are encoded here by hand (profile.proto's field numbers). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "check_suites.h"
#include "hostile/pb_write.h"
#include "intmap.h"
#include "source.h"
#include "strtab.h"
#include "xalloc.h"

static char err[SOURCE_ERR_MAX];
static const struct load_options opts = { .max_size = (size_t)1 << 30 };

/* ---- pprof messages, encoded with tests/hostile/pb_write.h ---------- */

static void str(struct pbw *b, const char *s)
{
    pbw_str(b, 6, s);
}

static void sample_type(struct pbw *b, uint64_t type, uint64_t unit)
{
    struct pbw m = { 0 };

    pbw_field(&m, 1, type);
    pbw_field(&m, 2, unit);
    pbw_msg(b, 1, &m);
    free(m.d);
}

/* Function 1 is "f" (string 3) in x.go (string 4). */
static void function_f(struct pbw *b)
{
    struct pbw m = { 0 };

    pbw_field(&m, 1, 1);
    pbw_field(&m, 2, 3);
    pbw_field(&m, 4, 4);
    pbw_msg(b, 5, &m);
    free(m.d);
}

/* Location id: `lines` lines, all in function 1. */
static void location(struct pbw *b, uint64_t id, size_t lines)
{
    struct pbw m = { 0 }, l = { 0 };

    pbw_field(&m, 1, id);
    for (size_t i = 0; i < lines; i++) {
        pbw_field(&l, 1, 1);
        pbw_field(&l, 2, i + 1);
        pbw_msg(&m, 4, &l);
    }
    pbw_msg(b, 4, &m);
    free(m.d);
    free(l.d);
}

/* A sample of n location ids, all `id`, and nv values of 1. */
static void sample(struct pbw *b, uint64_t id, size_t n, size_t nv)
{
    struct pbw m = { 0 }, p = { 0 };

    for (size_t i = 0; i < n; i++)
        pbw_varint(&p, id);
    pbw_msg(&m, 1, &p);
    for (size_t i = 0; i < nv; i++)
        pbw_varint(&p, 1);
    pbw_msg(&m, 2, &p);
    pbw_msg(b, 2, &m);
    free(m.d);
    free(p.d);
}

/* Strings 0-4: "", samples, count, f, x.go; then t0, t1 ... for types. */
static void strings(struct pbw *b, size_t extra, size_t first)
{
    static const char *s[] = { "", "samples", "count", "f", "x.go" };
    char name[32];

    for (size_t i = 0; i < 5; i++)
        str(b, s[i]);
    for (size_t i = 0; i < extra; i++) {
        snprintf(name, sizeof name, "t%zu", first + i);
        str(b, name);
    }
}

static int load(struct profile *p, struct pbw *b)
{
    int r = source_load_buffer(p, "hostile.pb", b->d, b->n, &opts, err);

    free(b->d);
    *b = (struct pbw){ 0 };
    return r;
}

/* ---- 2. hash flooding ------------------------------------------------ */

/* The unkeyed hash the map used (splitmix64's finalizer) and its inverse:
 * old_unhash(i << 32) has a hash with 32 low zero bits, so every such key
 * started probing at slot 0. */
static uint64_t unxorshift(uint64_t y, unsigned s)
{
    uint64_t x = y;

    for (unsigned i = s; i < 64; i += s)
        x ^= y >> i;
    return x;
}

static uint64_t mul_inverse(uint64_t c)
{
    uint64_t x = c;

    for (int i = 0; i < 6; i++)
        x *= 2 - c * x;
    return x;
}

static uint64_t old_unhash(uint64_t h)
{
    h = unxorshift(h, 31);
    h *= mul_inverse(0x94d049bb133111ebULL);
    h = unxorshift(h, 27);
    h *= mul_inverse(0xbf58476d1ce4e5b9ULL);
    return unxorshift(h, 30);
}

/* The longest run of occupied slots (not `empty`): what a miss may have to
 * probe. */
static uint32_t longest_cluster(const uint32_t *slot, uint32_t mask, uint32_t empty)
{
    uint32_t best = 0, run = 0;

    for (uint64_t i = 0; i < 2 * ((uint64_t)mask + 1); i++) {   /* twice: runs wrap */
        run = slot[i & mask] != empty ? run + 1 : 0;
        best = run > best ? run : best;
    }
    return best;
}

START_TEST(intmap_spreads_colliding_ids)
{
    enum { N = 20000 };
    struct intmap m;

    intmap_init(&m, N);
    for (uint32_t i = 1; i <= N; i++)
        ck_assert_uint_eq(intmap_put(&m, old_unhash((uint64_t)i << 32), i), INTMAP_NONE);
    for (uint32_t i = 1; i <= N; i++)
        ck_assert_uint_eq(intmap_get(&m, old_unhash((uint64_t)i << 32)), i);
    ck_assert_uint_eq(intmap_get(&m, 12345), INTMAP_NONE);
    /* Under the old hash the 20000 keys formed one run of 20000. With a
     * random hash, 20000 keys in 32768 slots (61% full) make runs of a few
     * hundred at most (expected longest ~ 100). */
    ck_assert_uint_lt(longest_cluster(m.vals, m.mask, INTMAP_NONE), 2000);
    intmap_free(&m);
}
END_TEST

/* The i-th 8-byte string whose hash under the old hash_bytes (one block:
 * (K ^ 8 ^ hash(w)) * C, then the finalizer) has 32 low zero bits. */
static void old_colliding_string(uint64_t i, char out[8])
{
    uint64_t h = old_unhash(i << 32) * mul_inverse(0xff51afd7ed558ccdULL);
    uint64_t w = old_unhash(h ^ 0x9e3779b97f4a7c15ULL ^ 8);

    memcpy(out, &w, 8);
}

START_TEST(strtab_spreads_colliding_strings)
{
    enum { N = 20000 };
    struct strtab t;
    char w[8];

    strtab_init(&t);
    for (uint32_t i = 1; i <= N; i++) {
        old_colliding_string(i, w);
        ck_assert_uint_eq(strtab_intern(&t, w, 8), i);     /* all distinct */
    }
    for (uint32_t i = 1; i <= N; i++) {
        old_colliding_string(i, w);
        ck_assert_uint_eq(strtab_find(&t, w, 8), i);
    }
    /* Under the old hash: one run of 20000 (and a minute for 100k). */
    ck_assert_uint_lt(longest_cluster(t.slots, t.mask, 0), 2000);
    strtab_free(&t);
}
END_TEST

/* ---- 3. amplification and unchecked counts -------------------------- */

START_TEST(amplified_stacks_are_refused)
{
    struct profile p;
    struct pbw b = { 0 };

    /* 100 lines x 1000 repeats = 100,000 frames from about 1.7 kB: far
     * past the 8 frames a byte allowed. */
    sample_type(&b, 1, 2);
    function_f(&b);
    location(&b, 1, 100);
    sample(&b, 1, 1000, 1);
    strings(&b, 0, 0);
    ck_assert_uint_lt(b.n, 2000);
    profile_init(&p);
    ck_assert_int_eq(load(&p, &b), -1);
    ck_assert_msg(strstr(err, "sample 1: stacks expand to more than ") &&
                  strstr(err, " frames (8 per byte of profile data)"), "%s", err);
    ck_assert_uint_eq(p.trie.count, 1);     /* nothing inserted */
    profile_free(&p);
}
END_TEST

START_TEST(inlined_repeats_within_budget_load)
{
    struct profile p;
    struct pbw b = { 0 };

    /* A recursive inlined function: 3 lines, 20 times in one sample, 60
     * frames from ~150 bytes. */
    sample_type(&b, 1, 2);
    function_f(&b);
    location(&b, 1, 3);
    sample(&b, 1, 20, 1);
    strings(&b, 0, 0);
    profile_init(&p);
    ck_assert_int_eq(load(&p, &b), 0);
    ck_assert_uint_eq(p.trie.count, 61);    /* the root and 60 frames of f */
    profile_free(&p);
}
END_TEST

START_TEST(trie_not_sized_from_unchecked_counts)
{
    struct profile p;
    struct pbw b = { 0 };

    /* 100k ids of a 2000-line location after a first sample naming the
     * missing location 0: the first pass's estimate was 2e8 frames, and
     * the trie's hash was sized for it (2^28 slots, 1 GiB). */
    sample_type(&b, 1, 2);
    function_f(&b);
    location(&b, 1, 2000);
    sample(&b, 0, 1, 1);
    sample(&b, 1, 100000, 1);
    strings(&b, 0, 0);
    profile_init(&p);
    ck_assert_int_eq(load(&p, &b), -1);
    ck_assert_str_eq(err, "sample 1: location 0 not found");
    ck_assert_uint_le(p.trie.mask + 1, 1u << 20);
    profile_free(&p);
}
END_TEST

/* ---- 4. many sample types ------------------------------------------- */

/* n distinct types (t<first+i>, count), one sample of value 1 each. */
static void typed_profile(struct pbw *b, size_t n, size_t first)
{
    for (size_t i = 0; i < n; i++)
        sample_type(b, 5 + i, 2);
    function_f(b);
    location(b, 1, 1);
    sample(b, 1, 1, n);
    strings(b, n, first);
}

START_TEST(too_many_types_refused)
{
    struct profile p;
    struct pbw b = { 0 };

    typed_profile(&b, 100, 0);
    profile_init(&p);
    ck_assert_int_eq(load(&p, &b), -1);
    ck_assert_str_eq(err, "more than 64 sample types (at most 64)");
    profile_free(&p);
}
END_TEST

START_TEST(types_bounded_in_all)
{
    struct profile p;
    struct pbw b = { 0 };

    profile_init(&p);
    typed_profile(&b, 64, 0);
    ck_assert_int_eq(load(&p, &b), 0);
    ck_assert_uint_eq(p.ntypes, 64);
    typed_profile(&b, 1, 64);   /* one more type makes 65 */
    ck_assert_int_eq(load(&p, &b), -1);
    ck_assert_str_eq(err, "with the profiles before it, more than 64 sample types");
    ck_assert_uint_eq(p.ntypes, 64);
    typed_profile(&b, 3, 10);   /* t10..t12 are known: loads */
    ck_assert_int_eq(load(&p, &b), 0);
    ck_assert_uint_eq(p.ntypes, 64);
    profile_free(&p);
}
END_TEST

START_TEST(types_added_at_once_keep_values)
{
    struct profile p;
    struct sample_type t[3];
    uint32_t idx[3], a;
    size_t s;

    profile_init(&p);
    a = profile_type(&p, profile_intern(&p, "a", 1), 0);
    s = profile_add_sample(&p, 0, 0, 0);
    profile_set_value(&p, s, a, 7);
    t[0] = (struct sample_type){ profile_intern(&p, "b", 1), 0 };
    t[1] = (struct sample_type){ profile_intern(&p, "a", 1), 0 };
    t[2] = t[0];                /* twice in one file: one type */
    ck_assert_int_eq(profile_types(&p, t, 3, idx), 0);
    ck_assert_uint_eq(p.ntypes, 2);
    ck_assert_uint_eq(idx[0], 1);
    ck_assert_uint_eq(idx[1], a);
    ck_assert_uint_eq(idx[2], 1);
    ck_assert_int_eq(profile_value(&p, s, a), 7);
    ck_assert_int_eq(profile_value(&p, s, 1), 0);
    profile_free(&p);
}
END_TEST

/* ---- 5. --max-size bounds reading ----------------------------------- */

#ifndef __SANITIZE_ADDRESS__
/* Under a 1 GiB address space (this test runs in its own process), an 8 GB
 * sparse file is refused by its size: it was read into a buffer of its
 * size, which could not be had. */
START_TEST(sparse_file_refused_unread)
{
    char path[] = "/tmp/ember-sparse-XXXXXX";
    int fd = mkstemp(path);
    struct rlimit rl = { (rlim_t)1 << 30, (rlim_t)1 << 30 };
    struct load_options o = { .max_size = (size_t)1 << 30 };
    struct profile p;
    int r;

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, (off_t)8 << 30), 0);
    close(fd);
    profile_init(&p);
    ck_assert_int_eq(setrlimit(RLIMIT_AS, &rl), 0);
    r = source_load_path(&p, path, &o, err);
    unlink(path);
    ck_assert_int_eq(r, -1);
    ck_assert_str_eq(err, "file exceeds the limit of 1024 MiB (--max-size raises it)");
    profile_free(&p);
}
END_TEST
#endif

Suite *hostile_suite(void)
{
    Suite *s = suite_create("hostile");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, intmap_spreads_colliding_ids);
    tcase_add_test(tc, strtab_spreads_colliding_strings);
    tcase_add_test(tc, amplified_stacks_are_refused);
    tcase_add_test(tc, inlined_repeats_within_budget_load);
    tcase_add_test(tc, trie_not_sized_from_unchecked_counts);
    tcase_add_test(tc, too_many_types_refused);
    tcase_add_test(tc, types_bounded_in_all);
    tcase_add_test(tc, types_added_at_once_keep_values);
#ifndef __SANITIZE_ADDRESS__
    tcase_add_test(tc, sparse_file_refused_unread);
#endif
    suite_add_tcase(s, tc);
    return s;
}
