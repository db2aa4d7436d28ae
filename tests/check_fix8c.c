/* Issue 8: drawing a huge name costs O(width), not O(length); a zstd file
 * that opens with a skippable frame is zstd. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "canvas.h"
#include "check_suites.h"
#include "decompress.h"
#include "text.h"
#include "theme.h"

#define BIG (20u << 20)   /* a 20 MB name */

/* A BIG-byte name of which only the first and last page can be read: the
 * middle is PROT_NONE, so any drawing that scans the whole name dies of
 * SIGSEGV (Check reports the test as failed) instead of just being slow. */
static char *guarded_name(size_t *page)
{
    size_t p = (size_t)sysconf(_SC_PAGESIZE);
    char *s = mmap(NULL, BIG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    ck_assert(s != MAP_FAILED);
    memset(s, 'a', p);
    memcpy(s, "main.", 5);
    memset(s + BIG - p, 'z', p);
    /* ends in é (2 bytes), € (3), 漢 (3 bytes, 2 columns), then "end" */
    memcpy(s + BIG - 11, "\xc3\xa9\xe2\x82\xac\xe6\xbc\xa2" "end", 11);
    ck_assert_int_eq(mprotect(s + p, BIG - 2 * p, PROT_NONE), 0);
    *page = p;
    return s;
}

static char *row(struct canvas *c, int y)
{
    static char *last;

    free(last);
    return last = canvas_row(c, y);
}

START_TEST(huge_name_head_cut_reads_only_its_head)
{
    size_t p;
    char *s = guarded_name(&p);
    struct canvas c;

    canvas_init(&c, 40, 1, 1);
    for (int i = 0; i < 200; i++)
        ck_assert_int_eq(canvas_text(&c, 0, 0, 40, s, BIG, ROLE_NORMAL, 0), 40);
    /* 39 columns of the head, then the ellipsis */
    ck_assert_str_eq(row(&c, 0), "main.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…");
    canvas_free(&c);
    munmap(s, BIG);
}
END_TEST

START_TEST(huge_name_tail_cut_reads_only_its_tail)
{
    size_t p;
    char *s = guarded_name(&p);
    struct canvas c;
    int cut;

    canvas_init(&c, 40, 1, 1);
    for (int i = 0; i < 200; i++)
        ck_assert_int_eq(canvas_name(&c, 0, 0, 40, s, BIG, ROLE_NORMAL, 0), 40);
    /* the ellipsis, then 39 columns of the end: 32 z, é, €, 漢 (2), "end" */
    ck_assert_str_eq(row(&c, 0), "…zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzé€漢end");
    ck_assert_uint_eq(text_fit_tail(s, BIG, 40, 1, &cut), BIG - 11 - 32);
    ck_assert_int_eq(cut, 1);
    /* 4 columns after the ellipsis: 漢 and "end" would take 5, so "end" */
    ck_assert_uint_eq(text_fit_tail(s, BIG, 5, 1, &cut), BIG - 3);
    canvas_free(&c);
    munmap(s, BIG);
}
END_TEST

START_TEST(huge_name_hue_reads_only_its_head)
{
    size_t p;
    char *s = guarded_name(&p);

    /* the flamegraph colours every box by theme_hue: it must not scan the
     * name whole; a name shorter than the cap keeps its hue */
    for (int i = 0; i < 200; i++)
        ck_assert_int_eq(theme_hue(s, BIG), theme_hue(s, THEME_HUE_SCAN));
    ck_assert_int_eq(theme_hue("pkg/sub.Func", 12), theme_hue("pkg/sub.Other", 13));
    munmap(s, BIG);
}
END_TEST

START_TEST(tail_cut_matches_the_forward_walk)
{
    /* invalid UTF-8 (lone continuations, a cut lead, an overlong) is escaped
     * one byte at a time (4 columns) going back as going forward */
    static const char *names[] = {
        "\xc3\xa9\x80xy", "ab\xc3\xc3\xa9", "\xe2\x82z\xe2\x82\xac", "q\xc0\xafw",
        "\xf0\x9f\x98\x80tail", "\x80\x80\x80\x80\x80", "plain.name.here", "a\xe2\x80\x8bz\xe2\x80",
    };

    for (size_t n = 0; n < sizeof names / sizeof *names; n++)
        for (int w = 1; w < 24; w++)
            for (int utf8 = 0; utf8 < 2; utf8++) {
                const char *s = names[n];
                size_t len = strlen(s), want = 0, got;
                int rest = text_width(s, len, utf8), cut;

                /* the old forward definition: drop glyphs from the start */
                if (rest > w)
                    while (want < len && rest > w - 1) {
                        struct text_glyph g = text_next_glyph(s + want, len - want, utf8);

                        rest -= g.width;
                        want += g.bytes;
                    }
                got = text_fit_tail(s, len, w, utf8, &cut);
                ck_assert_msg(got == want, "name %zu width %d utf8 %d: %zu, not %zu",
                              n, w, utf8, got, want);
                ck_assert_int_eq(cut, text_width(s, len, utf8) > w);
            }
}
END_TEST

START_TEST(skippable_frame_then_zstd_inflates)
{
    /* a skippable frame (magic 0x184D2A53, 6 bytes of payload), then the
     * real frame of go-heap.pb.zst: must give go-heap.pb.gz's bytes */
    static const uint8_t skip[] = { 0x53, 0x2a, 0x4d, 0x18, 6, 0, 0, 0, 'e', 'm', 'b', 'e', 'r', '!' };
    size_t zlen, gzlen, rawlen, outlen;
    uint8_t *z = read_fixture("go-heap.pb.zst", &zlen), *gz = read_fixture("go-heap.pb.gz", &gzlen);
    uint8_t *raw, *out, *both = malloc(sizeof skip + zlen);
    char err[256];

    memcpy(both, skip, sizeof skip);
    memcpy(both + sizeof skip, z, zlen);
    ck_assert_int_eq(decompress(COMPRESSION_GZIP, gz, gzlen, 1 << 30, &raw, &rawlen, err,
                                sizeof err), 0);
    ck_assert_int_eq(decompress_detect(both, sizeof skip + zlen), COMPRESSION_ZSTD);
    for (uint8_t m = 0x50; m <= 0x5f; m++) {
        both[0] = m;
        ck_assert_int_eq(decompress_detect(both, sizeof skip + zlen), COMPRESSION_ZSTD);
    }
    both[0] = 0x4f;
    ck_assert_int_eq(decompress_detect(both, sizeof skip + zlen), COMPRESSION_NONE);
    both[0] = 0x53;
    ck_assert_int_eq(decompress(COMPRESSION_ZSTD, both, sizeof skip + zlen, 1 << 30, &out,
                                &outlen, err, sizeof err), 0);
    ck_assert_uint_eq(outlen, rawlen);
    ck_assert(!memcmp(out, raw, rawlen));
    free(out);
    free(raw);
    free(both);
    free(gz);
    free(z);
}
END_TEST

Suite *fix8c_suite(void)
{
    Suite *s = suite_create("fix8c");
    TCase *names = tcase_create("huge_names"), *zstd = tcase_create("skippable_zstd");

    tcase_add_test(names, huge_name_head_cut_reads_only_its_head);
    tcase_add_test(names, huge_name_tail_cut_reads_only_its_tail);
    tcase_add_test(names, huge_name_hue_reads_only_its_head);
    tcase_add_test(names, tail_cut_matches_the_forward_walk);
    tcase_add_test(zstd, skippable_frame_then_zstd_inflates);
    suite_add_tcase(s, names);
    suite_add_tcase(s, zstd);
    return s;
}
