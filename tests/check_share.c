/* Sharing (src/ui/share.c, term.c's OSC 52): y and Y leave the text for
 * the clipboard in a.clip, refuse what terminals would not take, Y's line
 * names every part of the view and --zoom's path reads back; the OSC 52
 * bytes, plain and in GNU screen's DCS pieces, checked by hand. */
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "term.h"
#include "text.h"
#include "view_fx.h"

static const char fixture[] = "main;work;parse 4\n"
                              "main;work;a\\x3bb 2\n"   /* the frame "a;b" */
                              "main;idle 3\n"
                              "main;work 1\n";

START_TEST(y_copies_the_selected_name)
{
    struct fx f;

    fx_open_folded(&f, fixture, "fixture", 60, 12);
    app_set_view(&f.a, VIEW_FLAME);
    fx_render(&f);
    fx_key(&f, 'j');
    fx_key(&f, 'j');                          /* main, then its largest child: work */
    fx_key(&f, 'y');
    ck_assert_ptr_nonnull(f.a.clip);
    ck_assert_str_eq(f.a.clip, "work");
    ck_assert_uint_eq(f.a.clip_len, 4);
    ck_assert_ptr_nonnull(strstr(fx_status(&f), "copied \"work\""));
    fx_close(&f);
}
END_TEST

/* Opens a table of one function named by n bytes 'n', and presses y. */
static void y_on_a_name_of(struct fx *f, int n)
{
    struct sbuf b = { 0 };

    for (int i = 0; i < n; i++)
        sbuf_addc(&b, 'n');
    sbuf_add(&b, " 1\n", 4);
    fx_open_folded(f, b.s, "long", 60, 12);
    sbuf_free(&b);
    app_set_view(&f->a, VIEW_TABLE);
    fx_render(f);
    fx_key(f, 'y');
}

/* 75000 bytes are 100000 in base64: taken; 75001 are 100004: refused. */
START_TEST(y_refuses_what_terminals_would_not_take)
{
    struct fx f;

    y_on_a_name_of(&f, 75001);
    ck_assert_ptr_null(f.a.clip);
    ck_assert_ptr_nonnull(strstr(f.a.message, "not copied: "));
    ck_assert_ptr_nonnull(strstr(f.a.message, "101 kB in base64"));
    fx_close(&f);
    y_on_a_name_of(&f, 75000);
    ck_assert_ptr_nonnull(f.a.clip);
    ck_assert_uint_eq(f.a.clip_len, 75000);
    fx_close(&f);
}
END_TEST

/* Y: the view, the type, the query, the zoom path with ';' in a name
 * escaped as --folded escapes it; share_apply_zoom reads it back. */
START_TEST(Y_line_names_the_view_and_zoom_reads_back)
{
    struct fx f;
    struct sbuf b = { 0 };
    char *at;

    fx_open_folded(&f, fixture, "fixture", 60, 12);
    app_set_view(&f.a, VIEW_FLAME);
    fx_render(&f);
    fx_key(&f, 'j');
    fx_key(&f, 'j');
    fx_key(&f, 'j');                          /* work's largest child: parse (4) */
    fx_key(&f, 'h');                          /* the previous on the row (by name): a;b */
    ck_assert_ptr_nonnull(strstr(fx_status(&f), " a;b "));
    fx_key(&f, K_ENTER);
    fx_key(&f, 'Y');
    ck_assert_ptr_nonnull(f.a.clip);
    ck_assert_ptr_nonnull(strstr(f.a.clip, " --view flame -t samples/count"));
    at = strstr(f.a.clip, " --zoom ");
    ck_assert_ptr_nonnull(at);
    ck_assert_str_eq(at, " --zoom 'main;work;a\\x3bb'");
    /* the path back: a new explorer zoomed there */
    share_set_zoom("main;work;a\\x3bb");
    fx_key(&f, '0');                          /* zoom reset */
    ck_assert_uint_eq(f.a.side[0].flame.zoom, 0);
    share_apply_zoom(&f.a);
    fx_render(&f);
    ck_assert_uint_ne(f.a.side[0].flame.zoom, 0);
    ck_assert_ptr_nonnull(strstr(fx_status(&f), " a;b "));
    share_set_zoom("main;nosuch");
    share_apply_zoom(&f.a);
    ck_assert_str_eq(f.a.message, "--zoom: no function 'nosuch' in these profiles");
    share_set_zoom(NULL);
    sbuf_free(&b);
    fx_close(&f);
}
END_TEST

/* Two sides: --diff with each side's query; quotes and spaces quoted. */
START_TEST(Y_line_quotes_for_the_shell)
{
    struct fx f;
    struct side_spec spec[2] = { { "{file=\"it's here\"}", INT64_MIN, INT64_MAX },
                                 { NULL, 1000000000, INT64_MAX } };
    char *paths[] = { "/tmp/a b.txt", "http://host:6060/debug/pprof/profile" };

    share_set_sources(paths, 2);
    fx_begin(&f);
    fx_add_folded(&f, fixture, fx_labelset(&f, "file", "it's here"));
    fx_start(&f, 0, spec, "two", 80, 12);
    app_set_view(&f.a, VIEW_COMPARE);
    fx_render(&f);
    fx_key(&f, 'Y');
    ck_assert_ptr_nonnull(f.a.clip);
    ck_assert_str_eq(f.a.clip, "ember '/tmp/a b.txt' http://host:6060/debug/pprof/profile "
                     "--view compare -t samples/count --diff '{file=\"it'\\''s here\"}' '{}'");
    share_set_sources(NULL, 0);
    fx_close(&f);
}
END_TEST

/* The tag explorer: --group-by and its label; a time range in RFC 3339
 * (1700000000.5 s is 2023-11-14T22:13:20.5 UTC: date -u -d @1700000000). */
START_TEST(Y_line_in_the_tag_explorer)
{
    struct fx f;
    struct side_spec spec[2] = { { NULL, 1700000000500000000, INT64_MAX }, { NULL, INT64_MIN,
                                                                              INT64_MAX } };

    fx_begin(&f);
    fx_add_folded(&f, fixture, fx_labelset(&f, "region", "eu-north"));
    fx_start(&f, 0, spec, "tags", 80, 12);
    app_set_view(&f.a, VIEW_TAGS);
    ck_assert_int_eq(tags_group_by(&f.a, "region"), 0);
    fx_render(&f);
    fx_key(&f, 'Y');
    ck_assert_ptr_nonnull(f.a.clip);
    ck_assert_str_eq(f.a.clip, "ember --view tags -t samples/count "
                     "--from 2023-11-14T22:13:20.500000000Z --group-by region");
    fx_close(&f);
}
END_TEST

/* A Pyroscope server: --url and --tenant-id where the files go. */
START_TEST(Y_line_names_a_server)
{
    struct fx f;

    share_set_server("http://pyro.internal:4040", "team a");
    fx_open_folded(&f, fixture, "server", 60, 12);
    app_set_view(&f.a, VIEW_TABLE);
    fx_render(&f);
    fx_key(&f, 'Y');
    ck_assert_ptr_nonnull(f.a.clip);
    ck_assert_str_eq(f.a.clip, "ember --url http://pyro.internal:4040 --tenant-id 'team a' "
                     "--view table -t samples/count");
    fx_close(&f);
}
END_TEST

START_TEST(M_turns_the_mouse_off_and_on)
{
    struct fx f;

    fx_open_folded(&f, fixture, "fixture", 60, 12);
    fx_render(&f);
    ck_assert_int_eq(f.a.mouse_off, 0);
    fx_key(&f, 'M');
    ck_assert_int_eq(f.a.mouse_off, 1);
    ck_assert_ptr_nonnull(strstr(fx_status(&f), "mouse off"));
    fx_key(&f, 'M');
    ck_assert_int_eq(f.a.mouse_off, 0);
    fx_close(&f);
}
END_TEST

/* "main.work" is bWFpbi53b3Jr in base64 (by hand: "mai" -> bWFp, "n.w" ->
 * bi53, "ork" -> b3Jr). Screen: ESC P, then the OSC in DCS pieces of 76
 * digits; 60 bytes are 80 digits: 76, then ESC \ ESC P, then 4. */
START_TEST(osc52_bytes)
{
    struct sbuf b = { 0 };
    char sixty[61], want[200];

    term_osc52(&b, "main.work", 9, 0);
    ck_assert_uint_eq(b.len, 7 + 12 + 1);
    ck_assert_int_eq(memcmp(b.s, "\033]52;c;bWFpbi53b3Jr\a", b.len), 0);
    sbuf_free(&b);
    b = (struct sbuf){ 0 };
    memset(sixty, 0, sizeof sixty);    /* 60 NUL bytes: 80 'A's */
    term_osc52(&b, sixty, 60, 1);
    memcpy(want, "\033P\033]52;c;", 9);
    memset(want + 9, 'A', 76);
    memcpy(want + 85, "\033\\\033P", 4);
    memset(want + 89, 'A', 4);
    memcpy(want + 93, "\a\033\\", 3);
    ck_assert_uint_eq(b.len, 96);
    ck_assert_int_eq(memcmp(b.s, want, 96), 0);
    sbuf_free(&b);
}
END_TEST

Suite *share_suite(void)
{
    Suite *s = suite_create("share");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, y_copies_the_selected_name);
    tcase_add_test(tc, y_refuses_what_terminals_would_not_take);
    tcase_add_test(tc, Y_line_names_the_view_and_zoom_reads_back);
    tcase_add_test(tc, Y_line_quotes_for_the_shell);
    tcase_add_test(tc, Y_line_in_the_tag_explorer);
    tcase_add_test(tc, Y_line_names_a_server);
    tcase_add_test(tc, M_turns_the_mouse_off_and_on);
    tcase_add_test(tc, osc52_bytes);
    suite_add_tcase(s, tc);
    return s;
}
