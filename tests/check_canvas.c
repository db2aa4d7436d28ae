#include <stdlib.h>
#include <string.h>

#include "canvas.h"
#include "check_suites.h"

static char *line(struct canvas *c, int y)
{
    static char *last;

    free(last);
    return last = canvas_row(c, y);
}

START_TEST(text_is_clipped_with_an_ellipsis)
{
    struct canvas c;

    canvas_init(&c, 10, 2, 1);
    ck_assert_int_eq(canvas_print(&c, 0, 0, 10, "runtime.mallocgc", ROLE_NORMAL), 10);
    ck_assert_str_eq(line(&c, 0), "runtime.m…");
    ck_assert_int_eq(canvas_print(&c, 2, 1, 5, "abc", ROLE_NORMAL), 3);
    ck_assert_str_eq(line(&c, 1), "  abc     ");
    canvas_free(&c);
}
END_TEST

START_TEST(ascii_terminals_get_a_tilde)
{
    struct canvas c;

    canvas_init(&c, 6, 1, 0);
    canvas_print(&c, 0, 0, 6, "abcdefgh", ROLE_NORMAL);
    ck_assert_str_eq(line(&c, 0), "abcde~");
    canvas_clear(&c);
    canvas_print(&c, 0, 0, 6, "é", ROLE_NORMAL);   /* escaped: not UTF-8 here */
    ck_assert_str_eq(line(&c, 0), "\\xc3~ ");
    canvas_free(&c);
}
END_TEST

START_TEST(hostile_bytes_are_escaped)
{
    struct canvas c;

    canvas_init(&c, 30, 1, 1);
    canvas_print(&c, 0, 0, 30, "\x1b[31mred\x07", ROLE_NORMAL);
    ck_assert_str_eq(line(&c, 0), "\\x1b[31mred\\x07               ");
    canvas_clear(&c);
    canvas_text(&c, 0, 0, 30, "a\xff\xfe" "b", 4, ROLE_NORMAL, 0);
    ck_assert_str_eq(line(&c, 0), "a\\xff\\xfeb                    ");
    for (int x = 0; x < c.w; x++)
        ck_assert_uint_ge(canvas_at(&c, x, 0)->ch, 0x20);
    canvas_free(&c);
}
END_TEST

START_TEST(wide_characters_take_two_columns)
{
    struct canvas c;

    canvas_init(&c, 8, 1, 1);
    ck_assert_int_eq(canvas_text_width("関数名", strlen("関数名"), 1), 6);
    ck_assert_int_eq(canvas_print(&c, 0, 0, 8, "関数名", ROLE_NORMAL), 6);
    ck_assert_str_eq(line(&c, 0), "関数名  ");
    canvas_clear(&c);
    /* 5 columns: two wide chars and the ellipsis, never half a character */
    ck_assert_int_eq(canvas_print(&c, 0, 0, 5, "関数名", ROLE_NORMAL), 5);
    ck_assert_str_eq(line(&c, 0), "関数…   ");
    /* overwriting half of a wide character blanks the other half */
    canvas_fill(&c, 1, 0, 1, 'x', ROLE_NORMAL, 0);
    ck_assert_str_eq(line(&c, 0), " x数…   ");
    canvas_free(&c);
}
END_TEST

START_TEST(drawing_outside_is_clipped)
{
    struct canvas c;

    canvas_init(&c, 4, 2, 1);
    canvas_fill(&c, -2, 0, 10, '#', ROLE_NORMAL, 0);
    canvas_fill(&c, 0, 5, 10, '#', ROLE_NORMAL, 0);
    ck_assert_int_eq(canvas_print(&c, 3, 1, 10, "xyz", ROLE_NORMAL), 1);
    ck_assert_int_eq(canvas_print(&c, 9, 1, 10, "xyz", ROLE_NORMAL), 0);
    ck_assert_str_eq(line(&c, 0), "####");
    ck_assert_str_eq(line(&c, 1), "   …");
    canvas_resize(&c, 0, 0);
    ck_assert_int_eq(canvas_print(&c, 0, 0, 10, "xyz", ROLE_NORMAL), 0);
    canvas_free(&c);
}
END_TEST

Suite *canvas_suite(void)
{
    Suite *s = suite_create("canvas");
    TCase *tc = tcase_create("text");

    tcase_add_test(tc, text_is_clipped_with_an_ellipsis);
    tcase_add_test(tc, ascii_terminals_get_a_tilde);
    tcase_add_test(tc, hostile_bytes_are_escaped);
    tcase_add_test(tc, wide_characters_take_two_columns);
    tcase_add_test(tc, drawing_outside_is_clipped);
    suite_add_tcase(s, tc);
    return s;
}
