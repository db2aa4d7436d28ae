/* Issue 8 audit: --top and the explorer escape one set of invisible
 * characters (text_is_invisible), and machine output escapes invalid
 * UTF-8 when it goes to a terminal. */
#define _XOPEN_SOURCE 600
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "check_suites.h"
#include "text.h"

static int display_escapes(uint32_t cp)
{
    char u[4];
    size_t n = text_utf8_encode(cp, u);
    struct sbuf b = { 0 };
    int escaped;

    text_escape(&b, u, n, TEXT_ESCAPE_DISPLAY);
    escaped = b.len != n || memcmp(b.s, u, n) != 0;
    sbuf_free(&b);
    return escaped;
}

static int explorer_escapes(uint32_t cp)
{
    char u[4];
    size_t n = text_utf8_encode(cp, u);

    return text_next_glyph(u, n, 1).escaped;
}

START_TEST(the_listed_invisibles_are_escaped_by_both)
{
    static const uint32_t listed[] = { 0x200b, 0x2028, 0x2029, 0x2060, 0x2061, 0x2062,
                                       0x2063, 0x2064, 0xfeff, 0xe0000, 0xe0001, 0xe0041,
                                       0xe007f };

    for (size_t i = 0; i < sizeof listed / sizeof *listed; i++) {
        ck_assert_msg(text_is_invisible(listed[i]), "U+%04X", listed[i]);
        ck_assert_msg(display_escapes(listed[i]), "--top shows U+%04X raw", listed[i]);
        ck_assert_msg(explorer_escapes(listed[i]), "the explorer shows U+%04X", listed[i]);
    }
}
END_TEST

/* One predicate: whatever it names, both escape; a visible character
 * (wcwidth >= 1) it does not name, neither does. */
START_TEST(top_and_explorer_agree_on_every_code_point)
{
    for (uint32_t cp = 0xa0; cp <= 0x10ffff; cp++) {
        if (cp >= 0xd800 && cp <= 0xdfff)
            continue;
        if (text_is_invisible(cp)) {
            ck_assert_msg(display_escapes(cp) && explorer_escapes(cp), "U+%04X", cp);
        } else if (wcwidth((wchar_t)cp) >= 1) {
            ck_assert_msg(!display_escapes(cp) && !explorer_escapes(cp), "U+%04X", cp);
        }
    }
}
END_TEST

START_TEST(machine_output_keeps_valid_utf8)
{
    struct sbuf b = { 0 };

    text_escape(&b, "ma\xe2\x80\x8bin", 7, TEXT_ESCAPE_CONTROLS);
    ck_assert_str_eq(b.s, "ma\xe2\x80\x8bin");
    b.len = 0;
    text_escape(&b, "ma\xe2\x80\x8bin\x9b", 8, TEXT_ESCAPE_TERMINAL);
    ck_assert_str_eq(b.s, "ma\xe2\x80\x8bin\\x9b");
    sbuf_free(&b);
}
END_TEST

START_TEST(machine_mode_escapes_on_a_terminal_only)
{
    int fds[2], m = posix_openpt(O_RDWR | O_NOCTTY);
    FILE *f;

    ck_assert_int_eq(pipe(fds), 0);
    f = fdopen(fds[1], "w");
    ck_assert_int_eq(text_machine_mode(f), TEXT_ESCAPE_CONTROLS);
    fclose(f);
    close(fds[0]);
    if (m < 0 || grantpt(m) || unlockpt(m))
        return;                 /* no pty here: the CLI test covers it */
    f = fopen(ptsname(m), "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(text_machine_mode(f), TEXT_ESCAPE_TERMINAL);
    fclose(f);
    close(m);
}
END_TEST

Suite *fix8b_suite(void)
{
    Suite *s = suite_create("fix8b");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, the_listed_invisibles_are_escaped_by_both);
    tcase_add_test(tc, top_and_explorer_agree_on_every_code_point);
    tcase_add_test(tc, machine_output_keeps_valid_utf8);
    tcase_add_test(tc, machine_mode_escapes_on_a_terminal_only);
    suite_add_tcase(s, tc);
    return s;
}
