/* Issue 8: bidi and C1 controls escaped in every mode, and on the
 * explorer's canvas; out of memory exits 3. */
#include <stdlib.h>
#include <string.h>

#include "canvas.h"
#include "check_suites.h"
#include "text.h"
#include "xalloc.h"

static char *esc(const char *s, enum text_escape_mode mode)
{
    static struct sbuf b;

    b.len = 0;
    text_escape(&b, s, strlen(s), mode);
    return b.s ? b.s : (char *)"";
}

START_TEST(bidi_controls_are_escaped_in_every_mode)
{
    static const char *bidi[] = {
        "\xd8\x9c", "\xe2\x80\x8e", "\xe2\x80\x8f", "\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac",
        "\xe2\x80\xad", "\xe2\x80\xae", "\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8",
        "\xe2\x81\xa9",
    };
    enum text_escape_mode modes[] = { TEXT_ESCAPE_CONTROLS, TEXT_ESCAPE_DISPLAY };

    for (int m = 0; m < 2; m++) {
        for (size_t i = 0; i < sizeof bidi / sizeof *bidi; i++) {
            char want[16], in[8];
            const unsigned char *u = (const unsigned char *)bidi[i];

            snprintf(in, sizeof in, "a%sb", bidi[i]);
            if (strlen(bidi[i]) == 2)
                snprintf(want, sizeof want, "a\\x%02x\\x%02xb", u[0], u[1]);
            else
                snprintf(want, sizeof want, "a\\x%02x\\x%02x\\x%02xb", u[0], u[1], u[2]);
            ck_assert_str_eq(esc(in, modes[m]), want);
        }
        /* neighbours of the ranges stay for machines: U+2029 (paragraph
         * sep.) is no bidi control, nor U+206A (both are invisibles, so
         * escaped for display: check_fix8b.c) */
        if (modes[m] == TEXT_ESCAPE_CONTROLS)
            ck_assert_str_eq(esc("\xe2\x80\xa9\xe2\x81\xaa", modes[m]), "\xe2\x80\xa9\xe2\x81\xaa");
    }
}
END_TEST

START_TEST(c1_controls_are_escaped_for_machines_too)
{
    /* U+009B is CSI, U+009D OSC: as UTF-8, --raw and --folded escape them */
    ck_assert_str_eq(esc("a\xc2\x9b" "31mb", TEXT_ESCAPE_CONTROLS), "a\\xc2\\x9b31mb");
    ck_assert_str_eq(esc("\xc2\x9d", TEXT_ESCAPE_CONTROLS), "\\xc2\\x9d");
    ck_assert_str_eq(esc("\xc2\xa0", TEXT_ESCAPE_CONTROLS), "\xc2\xa0");       /* NBSP stays */
    /* invalid UTF-8 is still kept for machines, escaped for people */
    ck_assert_str_eq(esc("\x9b", TEXT_ESCAPE_CONTROLS), "\x9b");
    ck_assert_str_eq(esc("\x9b", TEXT_ESCAPE_DISPLAY), "\\x9b");
}
END_TEST

/* text_write_escaped (what fatal() and the batch writers use) writes what
 * text_escape builds, also past its 256-byte buffer. */
START_TEST(write_escaped_matches_escape)
{
    char in[700], *got = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&got, &size);

    for (size_t i = 0; i < sizeof in - 1; i++)
        in[i] = (char)(i % 3 ? 'a' + i % 26 : 0x1b);
    in[sizeof in - 1] = '\0';
    text_write_escaped(f, in, strlen(in), TEXT_ESCAPE_DISPLAY);
    fclose(f);
    ck_assert_str_eq(got, esc(in, TEXT_ESCAPE_DISPLAY));
    free(got);
}
END_TEST

/* The explorer's path: every byte of a bidi control is drawn as \xNN. */
START_TEST(canvas_escapes_bidi_controls)
{
    struct canvas c;
    char *row;

    canvas_init(&c, 20, 1, 1);
    canvas_print(&c, 0, 0, 20, "\xe2\x80\xae" "exe.txt", ROLE_NORMAL);
    row = canvas_row(&c, 0);
    ck_assert_str_eq(row, "\\xe2\\x80\\xaeexe.txt ");
    free(row);
    canvas_free(&c);
}
END_TEST

/* ASan aborts on such a request itself (allocator_may_return_null=0). */
START_TEST(out_of_memory_exits_3)
{
    fatal_set_context("some.pb.gz");
#ifdef __SANITIZE_ADDRESS__
    fatal("out of memory (%zu bytes)", SIZE_MAX / 2);
#else
    (void)xmalloc(SIZE_MAX / 2);
#endif
}
END_TEST

Suite *hardout_suite(void)
{
    Suite *s = suite_create("hardout");
    TCase *tc = tcase_create("escape");

    tcase_add_test(tc, bidi_controls_are_escaped_in_every_mode);
    tcase_add_test(tc, c1_controls_are_escaped_for_machines_too);
    tcase_add_test(tc, write_escaped_matches_escape);
    tcase_add_test(tc, canvas_escapes_bidi_controls);
    tcase_add_exit_test(tc, out_of_memory_exits_3, 3);
    suite_add_tcase(s, tc);
    return s;
}
