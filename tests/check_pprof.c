#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "decompress.h"
#include "query.h"
#include "source.h"

static char err[SOURCE_ERR_MAX];
static const struct load_options opts = { .max_size = (size_t)1 << 30 };

static int load_fixture(struct profile *p, const char *name)
{
    size_t len;
    uint8_t *d = read_fixture(name, &len);
    int r = source_load_buffer(p, name, d, len, &opts, err);

    free(d);
    if (!r)
        profile_finish(p);
    return r;
}

static const char *type_name(const struct profile *p, uint32_t t)
{
    return profile_str(p, p->types[t].type);
}

START_TEST(heap_keeps_every_sample_type)
{
    struct profile p;
    static const char *want[] = { "alloc_objects", "alloc_space", "inuse_objects", "inuse_space" };

    profile_init(&p);
    ck_assert_int_eq(load_fixture(&p, "go-heap.pb.gz"), 0);
    ck_assert_uint_eq(p.ntypes, 4);
    for (int i = 0; i < 4; i++)
        ck_assert_str_eq(type_name(&p, (uint32_t)i), want[i]);
    ck_assert_str_eq(profile_str(&p, p.types[1].unit), "bytes");
    /* No default_sample_type in the file: pprof's rule picks the last. */
    ck_assert_str_eq(type_name(&p, p.default_type), "inuse_space");
    ck_assert_str_eq(profile_str(&p, p.sources[0].period_type.type), "space");
    profile_free(&p);
}
END_TEST

START_TEST(cpu_keeps_labels_time_and_period)
{
    struct profile p;
    uint32_t region, worker, file, n, with_labels = 0;

    profile_init(&p);
    ck_assert_int_eq(load_fixture(&p, "go-cpu.pb.gz"), 0);
    ck_assert_str_eq(type_name(&p, p.default_type), "cpu");
    ck_assert_int_eq(p.sources[0].period, 10000000);
    ck_assert_int_gt(p.sources[0].time_nanos, 1600000000LL * 1000000000LL);
    ck_assert_int_gt(p.sources[0].duration_nanos, 0);
    region = strtab_find(&p.strings, "region", 6);
    worker = strtab_find(&p.strings, "worker", 6);
    file = strtab_find(&p.strings, "file", 4);
    ck_assert_uint_ne(region, UINT32_MAX);
    for (size_t s = 0; s < p.nsamples; s++) {
        const struct label *l = profile_set_labels(&p, p.samples[s].labels, &n);
        int has_region = 0, has_worker = 0, has_file = 0;

        for (uint32_t i = 0; i < n; i++) {
            has_region |= l[i].key == region;
            has_worker |= l[i].key == worker;
            /* every sample is labelled with its file's name */
            has_file |= l[i].key == file && !strcmp(profile_str(&p, l[i].str), "go-cpu.pb.gz");
        }
        ck_assert(has_file);
        with_labels += has_region && has_worker;
    }
    ck_assert_uint_gt(with_labels, 250);        /* 261 of 265 per go tool pprof -tags */
    profile_free(&p);
}
END_TEST

START_TEST(inlined_lines_become_frames)
{
    struct profile p;
    size_t len;
    uint8_t *d = read_fixture("go-cpu.pb", &len);

    /* The raw and gzip files load to the same call tree. */
    profile_init(&p);
    ck_assert_int_eq(pprof_load(&p, 0, d, len, err), 0);
    profile_finish(&p);
    uint32_t nodes = p.trie.count, frames = p.nframes;
    profile_free(&p);
    profile_init(&p);
    ck_assert_int_eq(load_fixture(&p, "go-cpu.pb.gz"), 0);
    ck_assert_uint_eq(p.trie.count, nodes);
    ck_assert_uint_eq(p.nframes, frames);
    profile_free(&p);
    free(d);
}
END_TEST

START_TEST(merging_two_files_doubles_values)
{
    struct profile one, two;
    int64_t *t1, *t2;

    profile_init(&one);
    profile_init(&two);
    ck_assert_int_eq(load_fixture(&one, "go-cpu.pb.gz"), 0);
    ck_assert_int_eq(load_fixture(&two, "go-cpu.pb.gz"), 0);
    ck_assert_int_eq(load_fixture(&two, "go-cpu.pb"), 0);
    ck_assert_uint_eq(two.trie.count, one.trie.count);
    ck_assert_uint_eq(two.nsources, 2);
    t1 = calloc(one.trie.count, 8), t2 = calloc(two.trie.count, 8);
    query_totals(&one, one.default_type, NULL, t1);
    query_totals(&two, two.default_type, NULL, t2);
    ck_assert_int_eq(t2[TRIE_ROOT], 2 * t1[TRIE_ROOT]);
    free(t1), free(t2);
    profile_free(&one);
    profile_free(&two);
}
END_TEST

struct bad_case {
    const char *file, *error;
};

START_TEST(bad_files_name_the_reason)
{
    static const struct bad_case cases[] = {
        { "bad/empty.file", "empty file" },
        { "bad/garbage.bin", "not a pprof profile" },
        { "bad/bitflip.pb", "not a pprof profile" },
        { "bad/truncated.pb", "truncated pprof data" },
        { "bad/truncated.pb.gz", "truncated or corrupt gzip data" },
        { "bad/truncated.pb.zst", "truncated zstd data" },
        { "bad/missing-location.pb", "sample 2: location 999 not found" },
        { "bad/missing-function.pb", "location 2: function 77 not found" },
        { "bad/bad-string.pb", "function 2: string index 500 out of range" },
        { "bad/no-samples.pb", "profile has no samples" },
        { "bad/bomb.pb.zst", "exceeds the limit" },
        { "bad/folded-bad.txt", "line 3: no sample count" },
    };

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct profile p;

        profile_init(&p);
        err[0] = '\0';
        ck_assert_int_lt(load_fixture(&p, cases[i].file), 0);     /* -1 or SOURCE_NOT_PROFILE */
        ck_assert_msg(strstr(err, cases[i].error) != NULL, "%s: got '%s', want '%s'",
                      cases[i].file, err, cases[i].error);
        profile_free(&p);
    }
}
END_TEST

START_TEST(unsymbolized_locations_show_addresses)
{
    struct profile p;

    profile_init(&p);
    ck_assert_int_eq(load_fixture(&p, "unsymbolized.pb"), 0);
    ck_assert_uint_ne(strtab_find(&p.strings, "[app]", 5), UINT32_MAX);
    ck_assert_uint_ne(strtab_find(&p.strings, "[libfoo.so]", 11), UINT32_MAX);
    ck_assert_uint_ne(strtab_find(&p.strings, "<unknown>", 9), UINT32_MAX);
    profile_free(&p);
}
END_TEST

/* Every prefix of a real profile must fail cleanly or load: never crash. */
START_TEST(every_truncation_fails_cleanly)
{
    size_t len;
    uint8_t *d = read_fixture("bad/hostile-names.pb", &len);

    for (size_t cut = 0; cut < len; cut++) {
        struct profile p;

        profile_init(&p);
        pprof_load(&p, 0, d, cut, err);
        profile_free(&p);
    }
    free(d);
}
END_TEST

Suite *pprof_suite(void)
{
    Suite *s = suite_create("pprof");
    TCase *tc = tcase_create("load");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, heap_keeps_every_sample_type);
    tcase_add_test(tc, cpu_keeps_labels_time_and_period);
    tcase_add_test(tc, inlined_lines_become_frames);
    tcase_add_test(tc, merging_two_files_doubles_values);
    tcase_add_test(tc, bad_files_name_the_reason);
    tcase_add_test(tc, unsymbolized_locations_show_addresses);
    tcase_add_test(tc, every_truncation_fails_cleanly);
    suite_add_tcase(s, tc);
    return s;
}
