#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "decompress.h"

static char err[512];

START_TEST(gzip_and_zstd_match_the_raw_file)
{
    size_t raw_len, gz_len, out_len;
    uint8_t *raw = read_fixture("go-cpu.pb", &raw_len);
    uint8_t *gz = read_fixture("go-cpu.pb.gz", &gz_len), *out;

    ck_assert_int_eq(decompress_detect(gz, gz_len), COMPRESSION_GZIP);
    ck_assert_int_eq(decompress_detect(raw, raw_len), COMPRESSION_NONE);
    ck_assert_int_eq(decompress(COMPRESSION_GZIP, gz, gz_len, 1 << 30, &out, &out_len,
                                err, sizeof err), 0);
    ck_assert_uint_eq(out_len, raw_len);
    ck_assert(!memcmp(out, raw, raw_len));
    free(out);
    free(gz);
    free(raw);
}
END_TEST

START_TEST(zstd_fixture_inflates)
{
    size_t len, out_len;
    uint8_t *z = read_fixture("go-heap.pb.zst", &len), *out;

    ck_assert_int_eq(decompress_detect(z, len), COMPRESSION_ZSTD);
    ck_assert_int_eq(decompress(COMPRESSION_ZSTD, z, len, 1 << 30, &out, &out_len,
                                err, sizeof err), 0);
    ck_assert_uint_gt(out_len, len);
    free(out);
    free(z);
}
END_TEST

START_TEST(truncated_input_is_an_error)
{
    static const char *names[] = { "bad/truncated.pb.gz", "bad/truncated.pb.zst" };

    for (int i = 0; i < 2; i++) {
        size_t len, out_len;
        uint8_t *d = read_fixture(names[i], &len), *out = NULL;

        ck_assert_int_eq(decompress(decompress_detect(d, len), d, len, 1 << 30, &out, &out_len,
                                    err, sizeof err), -1);
        ck_assert_msg(strstr(err, "truncated") != NULL, "%s: %s", names[i], err);
        free(d);
    }
}
END_TEST

START_TEST(cap_stops_bombs)
{
    static const char *names[] = { "bad/bomb.pb.zst", "bad/bomb.pb.gz", "go-cpu.pb.gz" };

    for (int i = 0; i < 3; i++) {
        size_t len, out_len;
        uint8_t *d = read_fixture(names[i], &len), *out = NULL;
        size_t cap = i < 2 ? (size_t)64 << 20 : 1000;

        ck_assert_int_eq(decompress(decompress_detect(d, len), d, len, cap, &out, &out_len,
                                    err, sizeof err), -1);
        ck_assert_msg(strstr(err, "exceeds the limit") != NULL, "%s: %s", names[i], err);
        free(d);
    }
}
END_TEST

START_TEST(concatenated_gzip_members)
{
    size_t len, out_len, raw_len;
    uint8_t *gz = read_fixture("go-cpu.pb.gz", &len), *raw = read_fixture("go-cpu.pb", &raw_len);
    uint8_t *twice = malloc(2 * len), *out;

    memcpy(twice, gz, len);
    memcpy(twice + len, gz, len);
    ck_assert_int_eq(decompress(COMPRESSION_GZIP, twice, 2 * len, 1 << 30, &out, &out_len,
                                err, sizeof err), 0);
    ck_assert_uint_eq(out_len, 2 * raw_len);
    ck_assert(!memcmp(out + raw_len, raw, raw_len));
    free(out);
    free(twice);
    free(gz);
    free(raw);
}
END_TEST

Suite *decompress_suite(void)
{
    Suite *s = suite_create("decompress");
    TCase *tc = tcase_create("formats");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, gzip_and_zstd_match_the_raw_file);
    tcase_add_test(tc, zstd_fixture_inflates);
    tcase_add_test(tc, truncated_input_is_an_error);
    tcase_add_test(tc, cap_stops_bombs);
    tcase_add_test(tc, concatenated_gzip_members);
    suite_add_tcase(s, tc);
    return s;
}
