/* What a selection asks for that the data set lacks (src/query/selector.c),
 * and which bytes a folder may skip (src/source/source.c). Expected values
 * come from go tool pprof: go-cpu.pb.gz has labels region and worker and
 * types samples, cpu, taken at 2026-11-24 05:19:47 UTC (-raw, -tags);
 * go-heap.pb.gz has alloc_objects, alloc_space, inuse_objects, inuse_space. */
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "selector.h"
#include "source.h"

static void load(struct profile *p, const char *name)
{
    struct load_options o = { .max_size = 1 << 30 };
    char err[SOURCE_ERR_MAX];
    size_t len;
    uint8_t *data = read_fixture(name, &len);

    ck_assert_msg(source_load_buffer(p, name, data, len, &o, err) == 0, "%s: %s", name, err);
    free(data);
}

START_TEST(names_a_label_no_sample_has)
{
    struct profile p;
    struct selector s;
    char msg[256], err[SELECTOR_ERR_MAX];

    profile_init(&p);
    load(&p, "go-cpu.pb.gz");
    profile_finish(&p);
    ck_assert(selector_label_known(&p, "region"));
    ck_assert(selector_label_known(&p, "file"));
    ck_assert(!selector_label_known(&p, "regoin"));
    ck_assert_int_eq(selector_label_hint(&p, "worker", msg, sizeof msg), 0);
    ck_assert_int_eq(selector_label_hint(&p, "re\x1bgion", msg, sizeof msg), 1);
    ck_assert_str_eq(msg, "no sample has label 're\\x1bgion'; labels: file, region, worker");
    ck_assert_int_eq(selector_parse("{region=\"eu-north\", regoin!=\"x\"}", &s, err), 0);
    ck_assert_int_eq(selector_unknown_label(&s, &p, msg, sizeof msg), 1);
    ck_assert_str_eq(msg, "no sample has label 'regoin'; labels: file, region, worker");
    selector_free(&s);
    ck_assert_int_eq(selector_parse("{region!=\"nowhere\"}", &s, err), 0);
    ck_assert_int_eq(selector_unknown_label(&s, &p, msg, sizeof msg), 0);
    selector_free(&s);
    profile_free(&p);
}
END_TEST

START_TEST(says_when_the_profiles_were_taken)
{
    struct profile p;
    struct selector s;
    char msg[256], err[SELECTOR_ERR_MAX];
    const int64_t taken = 1795497587LL * 1000000000LL;   /* 2026-11-24T05:19:47Z */

    profile_init(&p);
    load(&p, "go-cpu.pb.gz");
    profile_finish(&p);
    selector_parse("{}", &s, err);
    ck_assert_int_eq(selector_range_hint(&s, &p, msg, sizeof msg), 0);      /* no range */
    s.from = taken;
    ck_assert_int_eq(selector_range_hint(&s, &p, msg, sizeof msg), 0);      /* it is in */
    s.from = taken + 1000000000LL;
    ck_assert_int_eq(selector_range_hint(&s, &p, msg, sizeof msg), 1);
    ck_assert_str_eq(msg, "no profile in the time range; the only profile was taken at "
                          "2026-11-24T05:19:47Z");
    selector_free(&s);
    profile_free(&p);
}
END_TEST

START_TEST(finds_the_types_each_side_has)
{
    struct profile p;
    struct selector s;
    struct filter f;
    char err[SELECTOR_ERR_MAX];
    uint8_t has[16];

    profile_init(&p);
    load(&p, "go-cpu.pb.gz");
    load(&p, "go-heap.pb.gz");
    profile_finish(&p);
    ck_assert_uint_eq(p.ntypes, 6);
    selector_parse("{file=\"go-heap.pb.gz\"}", &s, err);
    filter_build(&f, &s, &p);
    ck_assert_int_eq(selector_types_present(&p, &f, has), 4);
    ck_assert(!has[profile_find_type(&p, "cpu")] && !has[profile_find_type(&p, "samples")]);
    ck_assert(has[profile_find_type(&p, "alloc_space")] && has[profile_find_type(&p, "inuse_objects")]);
    filter_free(&f);
    selector_free(&s);
    selector_parse("{file=\"go-cpu.pb.gz\"}", &s, err);
    filter_build(&f, &s, &p);
    ck_assert_int_eq(selector_types_present(&p, &f, has), 2);
    ck_assert(has[profile_find_type(&p, "cpu")] && has[profile_find_type(&p, "samples")]);
    filter_free(&f);
    selector_free(&s);
    ck_assert_int_eq(selector_types_present(&p, NULL, has), 6);
    profile_free(&p);
}
END_TEST

/* Text that is not folded stacks and binaries that are not protobuf are in
 * no profile format (a folder skips them); a profile broken on the way is an
 * error. */
START_TEST(tells_other_files_from_damaged_profiles)
{
    static const char *other[] = { "import os\nprint(\"x\")\n", "print(1)\n", "\n\nnotes\n",
                                   "\x89PNG\r\n\x1a\n\0\0\0\rIHDR" };
    static const char *damaged[] = { "bad/bitflip.pb", "bad/truncated.pb", "bad/truncated.pb.gz",
                                     "bad/truncated.pb.zst", "bad/missing-location.pb" };
    struct load_options o = { .max_size = 1 << 30 };
    char err[SOURCE_ERR_MAX];
    struct profile p;

    profile_init(&p);
    for (size_t i = 0; i < sizeof other / sizeof *other; i++)
        ck_assert_int_eq(source_load_buffer(&p, "x", (const uint8_t *)other[i],
                                            i == 3 ? 16 : strlen(other[i]), &o, err),
                         SOURCE_NOT_PROFILE);
    ck_assert_int_eq(source_load_buffer(&p, "x", (const uint8_t *)"", 0, &o, err),
                     SOURCE_NOT_PROFILE);
    for (size_t i = 0; i < sizeof damaged / sizeof *damaged; i++) {
        size_t len;
        uint8_t *data = read_fixture(damaged[i], &len);

        ck_assert_msg(source_load_buffer(&p, damaged[i], data, len, &o, err) == -1, "%s",
                      damaged[i]);
        free(data);
    }
    profile_free(&p);
}
END_TEST

Suite *hints_suite(void)
{
    Suite *s = suite_create("hints");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, names_a_label_no_sample_has);
    tcase_add_test(tc, says_when_the_profiles_were_taken);
    tcase_add_test(tc, finds_the_types_each_side_has);
    tcase_add_test(tc, tells_other_files_from_damaged_profiles);
    suite_add_tcase(s, tc);
    return s;
}
