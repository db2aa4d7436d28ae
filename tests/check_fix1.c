/* Issue 7, point 23: an = matcher's value that no sample has is named with
 * the values the label does take. go tool pprof -tags go-cpu.pb.gz: region
 * takes eu-north and us-east, worker a and b. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "selector.h"
#include "source.h"

static void load_as(struct profile *p, const char *fixture, const char *name)
{
    struct load_options o = { .max_size = 1 << 30 };
    char err[SOURCE_ERR_MAX];
    size_t len;
    uint8_t *data = read_fixture(fixture, &len);

    ck_assert_msg(source_load_buffer(p, name, data, len, &o, err) == 0, "%s: %s", name, err);
    free(data);
}

static int hint(struct profile *p, const char *query, char *msg, size_t size)
{
    struct selector s;
    char err[SELECTOR_ERR_MAX];
    int r;

    ck_assert_msg(selector_parse(query, &s, err) == 0, "%s: %s", query, err);
    r = selector_unknown_label(&s, p, msg, size);
    selector_free(&s);
    return r;
}

START_TEST(names_a_value_no_sample_has)
{
    struct profile p;
    char msg[512];

    profile_init(&p);
    load_as(&p, "go-cpu.pb.gz", "go-cpu.pb.gz");
    profile_finish(&p);
    ck_assert_int_eq(hint(&p, "{region=\"eu-nort\"}", msg, sizeof msg), 1);
    ck_assert_str_eq(msg, "no sample has region=\"eu-nort\"; region has: eu-north, us-east");
    ck_assert_int_eq(hint(&p, "{region=\"eu-north\", worker=\"c\x1b\"}", msg, sizeof msg), 1);
    ck_assert_str_eq(msg, "no sample has worker=\"c\\x1b\"; worker has: a, b");
    /* values that exist, other operators, and "" (samples without it) say nothing */
    ck_assert_int_eq(hint(&p, "{region=\"eu-north\", worker=\"b\"}", msg, sizeof msg), 0);
    ck_assert_int_eq(hint(&p, "{region!=\"eu-nort\", worker=~\"z.*\"}", msg, sizeof msg), 0);
    ck_assert_int_eq(hint(&p, "{region=\"\"}", msg, sizeof msg), 0);
    /* an unknown name is still the name's hint */
    ck_assert_int_eq(hint(&p, "{regoin=\"eu-north\"}", msg, sizeof msg), 1);
    ck_assert_str_eq(msg, "no sample has label 'regoin'; labels: file, region, worker");
    profile_free(&p);
}
END_TEST

/* A numeric label's values as numbers: go tool pprof -tags go-heap.pb.gz
 * lists bytes 4kB (4096), 256B, 32B...: 4096 and 256 are values, 4097 not
 * (the first set holding a value ends the check; only a typo lists). */
START_TEST(numeric_values_are_known_too)
{
    struct profile p;
    char msg[512];

    profile_init(&p);
    load_as(&p, "go-heap.pb.gz", "go-heap.pb.gz");
    profile_finish(&p);
    ck_assert_int_eq(hint(&p, "{bytes=\"4096\"}", msg, sizeof msg), 0);
    ck_assert_int_eq(hint(&p, "{bytes=\"256\"}", msg, sizeof msg), 0);
    ck_assert_int_eq(hint(&p, "{bytes=\"4097\"}", msg, sizeof msg), 1);
    ck_assert_msg(!strncmp(msg, "no sample has bytes=\"4097\"; bytes has: ", 39), "%s", msg);
    ck_assert_ptr_nonnull(strstr(msg, ", ..."));   /* more than ten: pprof lists 19 */
    profile_free(&p);
}
END_TEST

/* Twelve files give the file label twelve values: ten are listed, then "...". */
START_TEST(lists_at_most_ten_values)
{
    struct profile p;
    char msg[512], name[16];

    profile_init(&p);
    for (int i = 0; i < 12; i++) {
        snprintf(name, sizeof name, "f%02d", i);
        load_as(&p, "go-cpu.pb.gz", name);
    }
    profile_finish(&p);
    ck_assert_int_eq(hint(&p, "{file=\"f12\"}", msg, sizeof msg), 1);
    ck_assert_str_eq(msg, "no sample has file=\"f12\"; file has: "
                          "f00, f01, f02, f03, f04, f05, f06, f07, f08, f09, ...");
    ck_assert_int_eq(hint(&p, "{file=\"f11\"}", msg, sizeof msg), 0);
    profile_free(&p);
}
END_TEST

Suite *fix1_suite(void)
{
    Suite *s = suite_create("fix1");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, names_a_value_no_sample_has);
    tcase_add_test(tc, lists_at_most_ten_values);
    tcase_add_test(tc, numeric_values_are_known_too);
    suite_add_tcase(s, tc);
    return s;
}
