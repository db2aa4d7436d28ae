#include <string.h>

#include "check_suites.h"
#include "text.h"

static char *esc(const char *s, size_t len, enum text_escape_mode mode)
{
    static struct sbuf b;

    b.len = 0;
    text_escape(&b, s, len, mode);
    return b.s ? b.s : (char *)"";
}

START_TEST(escapes_controls)
{
    ck_assert_str_eq(esc("\x1b[31mred\x1b[0m", 12, TEXT_ESCAPE_CONTROLS),
                     "\\x1b[31mred\\x1b[0m");
    ck_assert_str_eq(esc("a\tb\nc\x7f", 6, TEXT_ESCAPE_CONTROLS), "a\\x09b\\x0ac\\x7f");
    ck_assert_str_eq(esc("a\0b", 3, TEXT_ESCAPE_CONTROLS), "a\\x00b");
}
END_TEST

START_TEST(display_mode_escapes_invalid_utf8_and_c1)
{
    ck_assert_str_eq(esc("\xff\xfeok", 4, TEXT_ESCAPE_DISPLAY), "\\xff\\xfeok");
    ck_assert_str_eq(esc("\xff", 1, TEXT_ESCAPE_CONTROLS), "\xff");
    /* U+009B (CSI as a C1 control) */
    ck_assert_str_eq(esc("\xc2\x9b", 2, TEXT_ESCAPE_DISPLAY), "\\xc2\\x9b");
    ck_assert_str_eq(esc("関数名", strlen("関数名"), TEXT_ESCAPE_DISPLAY), "関数名");
    /* overlong '/' and a surrogate */
    ck_assert_str_eq(esc("\xc0\xaf", 2, TEXT_ESCAPE_DISPLAY), "\\xc0\\xaf");
    ck_assert_str_eq(esc("\xed\xa0\x80", 3, TEXT_ESCAPE_DISPLAY), "\\xed\\xa0\\x80");
    /* truncated sequence at the end */
    ck_assert_str_eq(esc("a\xe6\x97", 3, TEXT_ESCAPE_DISPLAY), "a\\xe6\\x97");
}
END_TEST

START_TEST(utf8_decode)
{
    uint32_t cp;

    ck_assert_uint_eq(text_utf8_decode("\xe6\x97\xa5", 3, &cp), 3);
    ck_assert_uint_eq(cp, 0x65e5);
    ck_assert_uint_eq(text_utf8_decode("\xf0\x9f\x94\xa5", 4, &cp), 4);
    ck_assert_uint_eq(cp, 0x1f525);
    ck_assert_uint_eq(text_utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0);
}
END_TEST

Suite *text_suite(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("escape");

    tcase_add_test(tc, escapes_controls);
    tcase_add_test(tc, display_mode_escapes_invalid_utf8_and_c1);
    tcase_add_test(tc, utf8_decode);
    suite_add_tcase(s, tc);
    return s;
}
