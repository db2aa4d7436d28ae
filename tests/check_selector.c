#include <string.h>

#include "check_suites.h"
#include "selector.h"

static char err[SELECTOR_ERR_MAX];

START_TEST(parses_matchers_and_type)
{
    struct selector s;

    ck_assert_int_eq(selector_parse("alloc_space{region=\"eu-north\", vehicle!=\"car\", "
                                    "pod=~\"pod-[0-3]\", env!~\"dev.*\"}", &s, err), 0);
    ck_assert_str_eq(s.type, "alloc_space");
    ck_assert_uint_eq(s.n, 4);
    ck_assert_str_eq(s.m[0].name, "region");
    ck_assert_int_eq(s.m[0].op, MATCH_EQ);
    ck_assert_str_eq(s.m[0].value, "eu-north");
    ck_assert_int_eq(s.m[1].op, MATCH_NE);
    ck_assert_int_eq(s.m[2].op, MATCH_RE);
    ck_assert_int_eq(s.m[3].op, MATCH_NRE);
    ck_assert(s.from == INT64_MIN && s.until == INT64_MAX);
    selector_free(&s);
    ck_assert_int_eq(selector_parse("  {  } ", &s, err), 0);
    ck_assert_uint_eq(s.n, 0);
    ck_assert_ptr_null(s.type);
    selector_free(&s);
    ck_assert_int_eq(selector_parse("", &s, err), 0);
    ck_assert_int_eq(selector_parse("{a=\"x\\\"y\\\\\",}", &s, err), 0);
    ck_assert_str_eq(s.m[0].value, "x\"y\\");
    selector_free(&s);
}
END_TEST

struct bad {
    const char *text, *err;
};

START_TEST(rejects_with_the_column)
{
    static const struct bad cases[] = {
        { "{region=\"a\"", "column 12: missing '}'" },
        { "{region \"a\"}", "column 9: expected '=', '!=', '=~' or '!~'" },
        { "{region=a}", "column 9: expected a quoted value" },
        { "{region=\"a}", "column 12: unterminated string" },
        { "{=\"a\"}", "column 2: expected a label name" },
        { "{a=\"x\" b=\"y\"}", "column 8: expected ',' or '}'" },
        { "{a=~\"(\"}", "column 5: bad regular expression" },
        { "{a=\"x\"} extra", "column 9: unexpected text after '}'" },
        { "cpu extra", "column 5: expected '{'" },
        { "region=\"x\"", "column 7: expected '{'" },
        { "{a=~\"t+++\"}", "column 8: bad regular expression: a quantifier on a quantifier" },
        { "{a=~\"(x){999}\"}", "column 9: bad regular expression: a repeat count over 255" },
    };

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct selector s;

        ck_assert_int_eq(selector_parse(cases[i].text, &s, err), -1);
        ck_assert_msg(!strncmp(err, cases[i].err, strlen(cases[i].err)), "%s: got '%s'",
                      cases[i].text, err);
        ck_assert_uint_eq(s.n, 0);
    }
}
END_TEST

static uint32_t set_of(struct profile *p, const char *region, int64_t bytes)
{
    struct label l[2];
    size_t n = 0;

    if (region)
        l[n++] = (struct label){ .key = profile_intern(p, "region", 6),
                                 .str = profile_intern(p, region, strlen(region)) };
    if (bytes >= 0)
        l[n++] = (struct label){ .key = profile_intern(p, "bytes", 5), .num = bytes };
    return profile_labelset(p, l, n);
}

static int matches(struct profile *p, const char *q, uint32_t set)
{
    struct selector s;
    int r;

    ck_assert_int_eq(selector_parse(q, &s, err), 0);
    r = selector_match_set(&s, p, set);
    selector_free(&s);
    return r;
}

START_TEST(matching_follows_prometheus)
{
    struct profile p;
    uint32_t eu, us, none;

    profile_init(&p);
    eu = set_of(&p, "eu-north", 512);
    us = set_of(&p, "us-east", -1);
    none = set_of(&p, NULL, -1);
    ck_assert(matches(&p, "{region=\"eu-north\"}", eu));
    ck_assert(!matches(&p, "{region=\"eu-north\"}", us));
    ck_assert(!matches(&p, "{region=\"eu-north\"}", none));
    ck_assert(matches(&p, "{region!=\"eu-north\"}", none));        /* missing reads "" */
    ck_assert(matches(&p, "{region=\"\"}", none));
    ck_assert(matches(&p, "{region=~\"eu-.*\"}", eu));
    ck_assert(!matches(&p, "{region=~\"eu\"}", eu));              /* anchored */
    ck_assert(matches(&p, "{region!~\"eu.*\"}", us));
    ck_assert(matches(&p, "{bytes=\"512\"}", eu));                 /* numbers in decimal */
    ck_assert(matches(&p, "{region=\"eu-north\", bytes=~\"5.*\"}", eu));
    ck_assert(!matches(&p, "{region=\"eu-north\", bytes!=\"512\"}", eu));
    ck_assert(matches(&p, "{nosuchlabel!=\"x\"}", eu));
    ck_assert(matches(&p, "{}", none));
    profile_free(&p);
}
END_TEST

START_TEST(parses_times)
{
    const int64_t s = 1000000000LL, now = 1800000000LL * s;
    int64_t t;

    ck_assert_int_eq(selector_parse_time("2026-11-24T05:00:00Z", now, &t), 0);
    ck_assert_int_eq(t, 1795496400LL * s);
    ck_assert_int_eq(selector_parse_time("2026-11-24T07:00:00+02:00", now, &t), 0);
    ck_assert_int_eq(t, 1795496400LL * s);
    ck_assert_int_eq(selector_parse_time("2026-11-24T05:00:00.25Z", now, &t), 0);
    ck_assert_int_eq(t, 1795496400LL * s + 250000000);
    ck_assert_int_eq(selector_parse_time("2026-11-24", now, &t), 0);
    ck_assert_int_eq(t, 1795478400LL * s);
    ck_assert_int_eq(selector_parse_time("1795496400", now, &t), 0);
    ck_assert_int_eq(t, 1795496400LL * s);
    ck_assert_int_eq(selector_parse_time("now", now, &t), 0);
    ck_assert_int_eq(t, now);
    ck_assert_int_eq(selector_parse_time("now-1h", now, &t), 0);
    ck_assert_int_eq(t, now - 3600 * s);
    ck_assert_int_eq(selector_parse_time("now-30m", now, &t), 0);
    ck_assert_int_eq(t, now - 1800 * s);
    ck_assert_int_eq(selector_parse_time("now-2w", now, &t), 0);
    ck_assert_int_eq(t, now - 14 * 86400 * s);
    ck_assert_int_eq(selector_parse_time("now-1x", now, &t), -1);
    ck_assert_int_eq(selector_parse_time("now+1h", now, &t), -1);
    ck_assert_int_eq(selector_parse_time("yesterday", now, &t), -1);
    ck_assert_int_eq(selector_parse_time("2026-13-45", now, &t), -1);
    ck_assert_int_eq(selector_parse_time("2026-11-24T05:00:00", now, &t), -1);  /* no zone */
    ck_assert_int_eq(selector_parse_time("", now, &t), -1);
    ck_assert_int_eq(selector_parse_time("9999-01-01", now, &t), -1);     /* past 2262 */
    ck_assert_int_eq(selector_parse_time("700000000015", now, &t), -1);
    ck_assert_int_eq(selector_parse_time("9999999999", now, &t), -1);
    ck_assert_int_eq(selector_parse_time("9000000000", now, &t), 0);
}
END_TEST

Suite *selector_suite(void)
{
    Suite *s = suite_create("selector");
    TCase *tc = tcase_create("query");

    tcase_add_test(tc, parses_matchers_and_type);
    tcase_add_test(tc, rejects_with_the_column);
    tcase_add_test(tc, matching_follows_prometheus);
    tcase_add_test(tc, parses_times);
    suite_add_tcase(s, tc);
    return s;
}
