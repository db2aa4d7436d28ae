#include "check_suites.h"
#include "units.h"

static const char *fmt(int64_t v, const char *unit)
{
    static char buf[UNITS_BUF];

    units_format(v, unit, buf, sizeof buf);
    return buf;
}

START_TEST(formats_time)
{
    ck_assert_str_eq(fmt(2660000000, "nanoseconds"), "2.66s");
    ck_assert_str_eq(fmt(850000000, "nanoseconds"), "850ms");
    ck_assert_str_eq(fmt(70000000, "nanoseconds"), "70ms");
    ck_assert_str_eq(fmt(1500, "nanoseconds"), "1.5us");
    ck_assert_str_eq(fmt(999, "nanoseconds"), "999ns");
    ck_assert_str_eq(fmt(0, "nanoseconds"), "0ns");
    ck_assert_str_eq(fmt(3, "seconds"), "3s");
    ck_assert_str_eq(fmt(36000, "seconds"), "10h");
}
END_TEST

START_TEST(formats_bytes_and_counts)
{
    ck_assert_str_eq(fmt(1385126952, "bytes"), "1.29GB");
    ck_assert_str_eq(fmt(512, "bytes"), "512B");
    ck_assert_str_eq(fmt(1536, "bytes"), "1.5kB");
    ck_assert_str_eq(fmt(12345, "count"), "12.3k");
    ck_assert_str_eq(fmt(999, "count"), "999");
    ck_assert_str_eq(fmt(-2500000, "count"), "-2.5M");
    ck_assert_str_eq(fmt(12, "objects"), "12");
}
END_TEST

START_TEST(parses_sizes)
{
    size_t v;

    ck_assert_int_eq(units_parse_size("1048576", &v), 0);
    ck_assert_uint_eq(v, 1048576);
    ck_assert_int_eq(units_parse_size("2G", &v), 0);
    ck_assert_uint_eq(v, (size_t)2 << 30);
    ck_assert_int_eq(units_parse_size("512MiB", &v), 0);
    ck_assert_uint_eq(v, (size_t)512 << 20);
    ck_assert_int_eq(units_parse_size("10kb", &v), 0);
    ck_assert_uint_eq(v, 10240);
    ck_assert_int_eq(units_parse_size("", &v), -1);
    ck_assert_int_eq(units_parse_size("12Q", &v), -1);
    ck_assert_int_eq(units_parse_size("-5", &v), -1);
    ck_assert_int_eq(units_parse_size("99999999999999999999", &v), -1);
    ck_assert_int_eq(units_parse_size("99999999999T", &v), -1);
}
END_TEST

START_TEST(percent)
{
    char buf[UNITS_BUF];

    units_percent(1, 3, buf, sizeof buf);
    ck_assert_str_eq(buf, "33.33%");
    units_percent(5, 0, buf, sizeof buf);
    ck_assert_str_eq(buf, "-");
}
END_TEST

Suite *units_suite(void)
{
    Suite *s = suite_create("units");
    TCase *tc = tcase_create("format");

    tcase_add_test(tc, formats_time);
    tcase_add_test(tc, formats_bytes_and_counts);
    tcase_add_test(tc, parses_sizes);
    tcase_add_test(tc, percent);
    suite_add_tcase(s, tc);
    return s;
}
