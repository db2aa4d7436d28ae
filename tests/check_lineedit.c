/* The line editor of the search and query prompts. */
#include <stdio.h>
#include <string.h>

#include "check_suites.h"
#include "lineedit.h"

static struct lineedit e;

static void type(const char *s)
{
    ck_assert_int_eq(lineedit_insert(&e, s, strlen(s)), 0);
}

START_TEST(inserts_at_the_cursor)
{
    memset(&e, 0, sizeof e);
    type("main.fb");
    ck_assert(lineedit_left(&e));
    type("i");
    ck_assert_str_eq(e.buf, "main.fib");
    ck_assert_uint_eq(e.cur, 7);                /* after the i, before the b */
    ck_assert(lineedit_home(&e));
    ck_assert(!lineedit_left(&e));              /* nothing left of the start */
    type("^");
    ck_assert(lineedit_end(&e));
    type("$");
    ck_assert_str_eq(e.buf, "^main.fib$");
    ck_assert(!lineedit_right(&e));
}
END_TEST

START_TEST(moves_and_erases_whole_utf8_characters)
{
    memset(&e, 0, sizeof e);
    type("a\xc3\xa9\xe6\x97\xa5z");             /* a é 日 z: 1 + 2 + 3 + 1 bytes */
    ck_assert(lineedit_left(&e));               /* before z */
    ck_assert(lineedit_left(&e));               /* before 日 */
    ck_assert_uint_eq(e.cur, 3);
    ck_assert(lineedit_delete(&e));             /* 日 goes, all three bytes */
    ck_assert_str_eq(e.buf, "a\xc3\xa9z");
    ck_assert(lineedit_backspace(&e));          /* é goes, both bytes */
    ck_assert_str_eq(e.buf, "az");
    ck_assert_uint_eq(e.cur, 1);
    ck_assert_int_eq(lineedit_insert_cp(&e, 0x65e5), 0);
    ck_assert_str_eq(e.buf, "a\xe6\x97\xa5z");
    ck_assert(lineedit_home(&e));
    ck_assert(!lineedit_backspace(&e));         /* nothing before the start */
    ck_assert(lineedit_end(&e));
    ck_assert(!lineedit_delete(&e));            /* nothing under the end */
}
END_TEST

START_TEST(erases_words_and_to_either_end)
{
    memset(&e, 0, sizeof e);
    type("{region=\"eu-north\", pod");
    ck_assert(lineedit_erase_word(&e));         /* pod */
    ck_assert_str_eq(e.buf, "{region=\"eu-north\", ");
    ck_assert(lineedit_erase_word(&e));         /* the space, then the run of signs */
    ck_assert_str_eq(e.buf, "{region=\"eu-north");
    ck_assert(lineedit_erase_word(&e));         /* north */
    ck_assert_str_eq(e.buf, "{region=\"eu-");
    lineedit_set(&e, "sort.partition");
    e.cur = 5;                                  /* before partition */
    ck_assert(lineedit_erase_to_end(&e));
    ck_assert_str_eq(e.buf, "sort.");
    lineedit_set(&e, "sort.partition");
    e.cur = 5;
    ck_assert(lineedit_erase_to_start(&e));
    ck_assert_str_eq(e.buf, "partition");
    ck_assert_uint_eq(e.cur, 0);
    ck_assert(!lineedit_erase_to_start(&e));
    ck_assert(!lineedit_erase_word(&e));
}
END_TEST

START_TEST(history_goes_back_and_returns_to_the_draft)
{
    memset(&e, 0, sizeof e);
    ck_assert_ptr_null(lineedit_history_last(&e));
    lineedit_history_add(&e, "fib");
    lineedit_history_add(&e, "sha256");
    lineedit_history_add(&e, "sha256");         /* a repeat is kept once */
    lineedit_history_add(&e, "");               /* so is nothing */
    ck_assert_int_eq(e.nhist, 2);
    ck_assert_str_eq(lineedit_history_last(&e), "sha256");
    lineedit_set(&e, "");
    type("gc");
    ck_assert(lineedit_history_prev(&e));
    ck_assert_str_eq(e.buf, "sha256");
    ck_assert_uint_eq(e.cur, 6);
    ck_assert(lineedit_history_prev(&e));
    ck_assert_str_eq(e.buf, "fib");
    ck_assert(!lineedit_history_prev(&e));      /* the oldest */
    ck_assert(lineedit_history_next(&e));
    ck_assert(lineedit_history_next(&e));
    ck_assert_str_eq(e.buf, "gc");              /* the draft is back */
    ck_assert(!lineedit_history_next(&e));
}
END_TEST

START_TEST(history_keeps_the_newest_lines)
{
    char line[16];

    memset(&e, 0, sizeof e);
    for (int i = 0; i < LINEEDIT_HISTORY + 5; i++) {
        snprintf(line, sizeof line, "p%d", i);
        lineedit_history_add(&e, line);
    }
    ck_assert_int_eq(e.nhist, LINEEDIT_HISTORY);
    ck_assert_str_eq(e.hist[0], "p5");
    snprintf(line, sizeof line, "p%d", LINEEDIT_HISTORY + 4);
    ck_assert_str_eq(lineedit_history_last(&e), line);
}
END_TEST

START_TEST(a_full_line_refuses_more)
{
    char big[LINEEDIT_MAX + 8];

    memset(&e, 0, sizeof e);
    memset(big, 'x', sizeof big);
    ck_assert_int_eq(lineedit_insert(&e, big, LINEEDIT_MAX - 1), 0);
    ck_assert_int_eq(lineedit_insert(&e, "y", 1), -1);
    ck_assert_uint_eq(e.len, LINEEDIT_MAX - 1);
    /* set cuts a long text on a character boundary: 127 two-byte é fit */
    for (int i = 0; i + 1 < (int)sizeof big; i += 2)
        big[i] = '\xc3', big[i + 1] = '\xa9';
    big[sizeof big - 1] = '\0';
    lineedit_set(&e, big);
    ck_assert_uint_eq(e.len, LINEEDIT_MAX - 2);
}
END_TEST

Suite *lineedit_suite(void)
{
    Suite *s = suite_create("lineedit");
    TCase *tc = tcase_create("editing");

    tcase_add_test(tc, inserts_at_the_cursor);
    tcase_add_test(tc, moves_and_erases_whole_utf8_characters);
    tcase_add_test(tc, erases_words_and_to_either_end);
    tcase_add_test(tc, history_goes_back_and_returns_to_the_draft);
    tcase_add_test(tc, history_keeps_the_newest_lines);
    tcase_add_test(tc, a_full_line_refuses_more);
    suite_add_tcase(s, tc);
    return s;
}
