#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "query.h"
#include "source.h"

static char err[SOURCE_ERR_MAX];

static int load(struct profile *p, const char *text)
{
    return folded_load(p, profile_intern(p, "t", 1), (const uint8_t *)text, strlen(text), err);
}

START_TEST(sniffs_text_not_protobuf)
{
    ck_assert(folded_sniff((const uint8_t *)"a;b 1\n", 6));
    ck_assert(folded_sniff((const uint8_t *)"\n\na;b c\t12\r\n", 12));
    ck_assert(!folded_sniff((const uint8_t *)"a;b\n", 4));
    /* a NUL among frames is folded_load's to report; without ';' it is binary */
    ck_assert(folded_sniff((const uint8_t *)"a;b 1\0", 6));
    ck_assert(!folded_sniff((const uint8_t *)"a b 1\0", 6));
    ck_assert(!folded_sniff((const uint8_t *)"12\n", 3));
}
END_TEST

START_TEST(parses_and_merges_stacks)
{
    struct profile p;
    const char *text = "main;work;leaf 10\n"
                       "main;work 5\r\n"
                       "\n"
                       "# a comment\n"
                       "main;with space;leaf 3\n"
                       "main;work;leaf 2\n";
    int64_t *total;
    struct flat f;

    profile_init(&p);
    ck_assert_int_eq(load(&p, text), 0);
    profile_finish(&p);
    ck_assert_uint_eq(p.nsamples, 4);
    ck_assert_str_eq(profile_str(&p, p.types[p.default_type].type), "samples");
    total = calloc(p.trie.count, sizeof *total);
    query_totals(&p, p.default_type, NULL, total);
    ck_assert_int_eq(total[TRIE_ROOT], 20);
    flat_build(&p, p.default_type, NULL, total, &f);
    /* leaf 15 self; work 5 self, 17 total; main 20 total */
    ck_assert_str_eq(profile_str(&p, p.frames[f.rows[0].frame].name), "leaf");
    ck_assert_int_eq(f.rows[0].self, 15);
    ck_assert_str_eq(profile_str(&p, p.frames[f.rows[1].frame].name), "work");
    ck_assert_int_eq(f.rows[1].total, 17);
    ck_assert_uint_eq(f.count, 4);
    ck_assert_str_eq(profile_str(&p, p.frames[f.rows[3].frame].name), "with space");
    flat_free(&f);
    free(total);
    profile_free(&p);
}
END_TEST

START_TEST(reports_the_bad_line)
{
    struct profile p;

    profile_init(&p);
    ck_assert_int_eq(load(&p, "a;b 1\na;b 2\na;b;c\n"), -1);
    ck_assert_str_eq(err, "line 3: no sample count at the end of the line");
    profile_free(&p);
    profile_init(&p);
    ck_assert_int_eq(load(&p, "a 99999999999999999999999\n"), -1);
    ck_assert_str_eq(err, "line 1: count too large");
    profile_free(&p);
    profile_init(&p);
    ck_assert_int_eq(load(&p, "\n\n"), -1);
    ck_assert_str_eq(err, "no stacks in folded file");
    profile_free(&p);
}
END_TEST

Suite *folded_suite(void)
{
    Suite *s = suite_create("folded");
    TCase *tc = tcase_create("parse");

    tcase_add_test(tc, sniffs_text_not_protobuf);
    tcase_add_test(tc, parses_and_merges_stacks);
    tcase_add_test(tc, reports_the_bad_line);
    suite_add_tcase(s, tc);
    return s;
}
