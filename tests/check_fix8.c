/* The tag explorer's queries (issue 8's audit): a value is quoted whole,
 * a query too long for a side is refused instead of cut, and a label key
 * that is not a plain name is not spliced into a query. Also
 * selector_quote, which --diff's file queries use too. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "check_suites.h"
#include "selector.h"
#include "text.h"
#include "view_fx.h"
#include "view_tags.h"

/* Two values of label key: `big` on stack "real" (1000), `small` on
 * "decoy" (7); the explorer groups by key, its cursor on big (the larger
 * total sorts first). */
static void open_two(struct fx *f, const char *key, const char *big, const char *small)
{
    fx_begin(f);
    fx_add_folded(f, "real 1000\n", fx_labelset(f, key, big));
    fx_add_folded(f, "decoy 7\n", fx_labelset(f, key, small));
    fx_start(f, 0, NULL, "fix8", 120, 24);
    app_set_view(&f->a, VIEW_TAGS);
    ck_assert_int_eq(tags_group_by(&f->a, key), 0);
    fx_render(f);
    {
        uint32_t n;
        const struct tag_row *rows = tags_rows(&f->a, &n);

        ck_assert_uint_gt(n, tags_cursor(&f->a));
        ck_assert_str_eq(profile_str(&f->p, rows[tags_cursor(&f->a)].value), big);
    }
}

/* 300 A's: `{k="` + 300 + `"}` is 306 bytes, past the side's 255. Cut at
 * the old 256-byte buffer it read {k="AAA...(249)"}, the decoy's value. */
START_TEST(long_value_is_refused_not_cut)
{
    struct fx f;
    char a300[301], a249[250];

    memset(a300, 'A', 300);
    a300[300] = 0;
    memset(a249, 'A', 249);
    a249[249] = 0;
    open_two(&f, "k", a300, a249);
    fx_key(&f, K_ENTER);
    ck_assert_int_eq(f.a.view, VIEW_TAGS);
    ck_assert_str_eq(f.a.side[0].query, "{}");
    ck_assert_ptr_nonnull(strstr(f.a.message, "longer than 255 bytes"));
    fx_key(&f, 'c');                    /* the pair of queries: the same */
    ck_assert_int_eq(f.a.view, VIEW_TAGS);
    ck_assert_str_eq(f.a.side[1].query, "{}");
    fx_close(&f);
}
END_TEST

/* A key with `="` and `,` in it: spliced in, {zone="x",region="eu"} would
 * select zone="x" and region="eu". */
START_TEST(key_that_is_no_name_is_refused)
{
    struct fx f;

    open_two(&f, "zone=\"x\",region", "eu", "us");
    fx_key(&f, K_ENTER);
    ck_assert_int_eq(f.a.view, VIEW_TAGS);
    ck_assert_str_eq(f.a.side[0].query, "{}");
    ck_assert_ptr_nonnull(strstr(f.a.message, "not a plain label name"));
    fx_key(&f, 'd');
    ck_assert_int_eq(f.a.view, VIEW_TAGS);
    ck_assert_str_eq(f.a.side[1].query, "{}");
    fx_close(&f);
}
END_TEST

/* A value with a quote, a backslash and a tab is written escaped, and the
 * query selects that value: the single view's total is real's 1000. */
START_TEST(value_is_quoted)
{
    struct fx f;

    open_two(&f, "k", "a\"b\\c\td", "other");
    fx_key(&f, K_ENTER);
    ck_assert_int_eq(f.a.view, VIEW_BOTH);
    ck_assert_str_eq(f.a.side[0].query, "{k=\"a\\\"b\\\\c\\td\"}");
    ck_assert_int_ne(fx_row_with(&f, "real"), -1);
    ck_assert_int_eq(fx_row_with(&f, "decoy"), -1);
    fx_close(&f);
}
END_TEST

START_TEST(quote_reads_back)
{
    static const char *const values[] = { "", "plain", "a\"b", "back\\slash", "tab\there",
                                          "new\nline", "{x=\"y\"}" };

    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        struct sbuf b = { 0 };
        struct selector s;
        char err[SELECTOR_ERR_MAX];

        sbuf_add(&b, "{k=", 3);
        selector_quote(&b, values[i]);
        sbuf_addc(&b, '}');
        ck_assert_msg(!selector_parse(b.s, &s, err), "%s: %s", b.s, err);
        ck_assert_uint_eq(s.n, 1);
        ck_assert_str_eq(s.m[0].value, values[i]);
        selector_free(&s);
        sbuf_free(&b);
    }
    ck_assert(selector_is_name("region"));
    ck_assert(selector_is_name("_a.b-c9"));
    ck_assert(!selector_is_name(""));
    ck_assert(!selector_is_name("9a"));
    ck_assert(!selector_is_name("zone=\"x\",region"));
}
END_TEST

Suite *fix8_suite(void)
{
    Suite *s = suite_create("fix8");
    TCase *tc = tcase_create("tag_queries");

    tcase_add_test(tc, long_value_is_refused_not_cut);
    tcase_add_test(tc, key_that_is_no_name_is_refused);
    tcase_add_test(tc, value_is_quoted);
    tcase_add_test(tc, quote_reads_back);
    suite_add_tcase(s, tc);
    return s;
}
