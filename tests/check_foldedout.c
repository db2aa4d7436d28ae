/* --folded (output_folded) and reading it back (folded_load): names that
 * the format cannot hold as they are come back the same, a name that only
 * looks like an escape is not taken for one, and the output is measured
 * before it is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "output.h"
#include "query.h"
#include "source.h"

struct name {
    const char *s;
    size_t len;
};
#define N(lit) { lit, sizeof lit - 1 }

static char err[SOURCE_ERR_MAX];

/* A sample of value v whose stack is names[0] (root) .. names[n-1]. */
static void add_stack(struct profile *p, int64_t v, const struct name *names, size_t n)
{
    uint32_t frames[8];

    for (size_t i = 0; i < n; i++)
        frames[i] = profile_frame(p, profile_intern(p, names[i].s, names[i].len), 0, 0);
    profile_set_value(p, profile_add_sample(p, trie_insert_path(&p->trie, frames, n), 0, 0), 0, v);
}

static void start(struct profile *p)
{
    struct source src = { 0 };

    profile_init(p);
    src.name = profile_intern(p, "t", 1);
    profile_type(p, profile_intern(p, "samples", 7), profile_intern(p, "count", 5));
    profile_add_source(p, &src);
}

static int64_t *totals(struct profile *p)
{
    int64_t *total = calloc(p->trie.count + 1, sizeof *total);

    profile_finish(p);
    query_totals(p, 0, NULL, total);
    trie_index(&p->trie);
    return total;
}

/* p's --folded into a malloc'd string (*len bytes); returns output_folded's
 * result. */
static int folded(struct profile *p, uint64_t limit, char **out, size_t *len)
{
    int64_t *total = totals(p);
    FILE *f = open_memstream(out, len);
    int r = output_folded(f, p, total, limit, err, sizeof err);

    fclose(f);
    free(total);
    return r;
}

/* Whether "\n" line "\n" is in "\n" text. */
static int has_line(const char *text, const char *line)
{
    char *a = malloc(strlen(text) + 2), *b = malloc(strlen(line) + 3);
    int r;

    sprintf(a, "\n%s", text);
    sprintf(b, "\n%s\n", line);
    r = strstr(a, b) != NULL;
    free(a);
    free(b);
    return r;
}

/* Whether q has a frame named s[0..len). */
static int has_frame(const struct profile *q, const char *s, size_t len)
{
    for (uint32_t i = 0; i < q->nframes; i++) {
        uint32_t name = q->frames[i].name;

        if (strtab_len(&q->strings, name) == len && !memcmp(profile_str(q, name), s, len))
            return 1;
    }
    return 0;
}

START_TEST(names_that_looked_alike_print_apart)
{
    struct profile p;
    const struct name semi[] = { N("main"), N("a;b") }, fake[] = { N("main"), N("a\\x3bb") },
                      spaces[] = { N("main"), N("leaf  ") };
    char *out;
    size_t len;

    start(&p);
    add_stack(&p, 1, semi, 2);
    add_stack(&p, 2, fake, 2);
    add_stack(&p, 3, spaces, 2);
    ck_assert_int_eq(folded(&p, UINT64_MAX, &out, &len), 0);
    /* by hand: ';' is \x3b; a backslash that begins \x3b is \x5c; the
     * leaf's trailing spaces (trimmed before the count) are \x20 */
    ck_assert(has_line(out, "main;a\\x3bb\t1"));
    ck_assert(has_line(out, "main;a\\x5cx3bb\t2"));
    ck_assert(has_line(out, "main;leaf\\x20\\x20\t3"));
    free(out);
    profile_free(&p);
}
END_TEST

START_TEST(every_name_reads_back_the_same)
{
    static char all[256];
    struct profile p, q;
    const struct name names[] = {
        N("a;b"), N("a\\x3bb"), N("C:\\Users\\x64\\app.exe"), N("leaf  "), N("  "),
        N("\\x5c"), N("back\\"), N("\x1b[31mred"), N("\xe2\x80\xae" "rlo"), N("\xc2\x9b"),
        N("\xff\xfe invalid"), N("tab\there"), N("\\x3B"), N("\\x41"), N("\\x2"), N("#mid"),
        { all, sizeof all },
    };
    const struct name hash[] = { N("#hash"), N("x") }, lone[] = { N("#") };
    size_t n = sizeof names / sizeof *names, len, len2;
    char *out, *out2;
    int64_t *total;

    for (int i = 0; i < 256; i++)
        all[i] = (char)i;
    start(&p);
    for (size_t i = 0; i < n; i++) {
        struct name stack[2] = { N("root"), names[i] };

        add_stack(&p, (int64_t)i + 1, stack, 2);
        add_stack(&p, 100 + (int64_t)i, &names[i], 1);      /* first and last at once */
    }
    add_stack(&p, 1000, hash, 2);
    add_stack(&p, 2000, lone, 1);
    ck_assert_int_eq(folded(&p, UINT64_MAX, &out, &len), 0);

    profile_init(&q);
    ck_assert_msg(!folded_load(&q, profile_intern(&q, "back", 4), (const uint8_t *)out, len, err),
                  "%s", err);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(has_frame(&q, names[i].s, names[i].len), "name %zu is lost", i);
    ck_assert(has_frame(&q, "#hash", 5) && has_frame(&q, "#", 1));
    /* the same stacks and values: written again, the same text */
    ck_assert_int_eq(folded(&q, UINT64_MAX, &out2, &len2), 0);
    ck_assert_uint_eq(len2, len);
    ck_assert(!memcmp(out, out2, len));
    total = calloc(q.trie.count + 1, sizeof *total);
    query_totals(&q, q.default_type, NULL, total);
    /* 1..17 twice over (i + 1 and 100 + i), 1000, 2000 */
    ck_assert_int_eq(total[TRIE_ROOT], 17 * 18 / 2 + 100 * 17 + 16 * 17 / 2 + 3000);
    free(total);
    free(out);
    free(out2);
    profile_free(&q);
    profile_free(&p);
}
END_TEST

/* Text from flamegraph.pl's collapse scripts or inferno: backslashes are
 * names' own (Windows paths); only the escapes ember writes are decoded. */
START_TEST(other_tools_backslashes_read_as_they_are)
{
    const char *text = "C:\\Windows\\x64\\a.dll;up\\x3B;hex\\x41;semi\\x3b;two\\x5c\\n;end\\ 4\n";
    const char *want[] = { "C:\\Windows\\x64\\a.dll", "up\\x3B", "hex\\x41", "semi;",
                           "two\\\\n", "end\\" };
    struct profile q;

    profile_init(&q);
    ck_assert(!folded_load(&q, profile_intern(&q, "t", 1), (const uint8_t *)text, strlen(text),
                           err));
    ck_assert_uint_eq(q.nframes, 6);
    for (size_t i = 0; i < 6; i++)
        ck_assert_msg(has_frame(&q, want[i], strlen(want[i])), "no frame %s", want[i]);
    profile_free(&q);
}
END_TEST

START_TEST(the_output_is_measured_before_it_is_written)
{
    struct profile p;
    const struct name a[] = { N("main"), N("a") }, h[] = { N("#x") };
    char *out;
    size_t len;

    start(&p);
    add_stack(&p, 1, a, 2);
    add_stack(&p, 2, h, 1);
    /* "main;a\t1\n" 9 bytes + "\x23x\t2\n" 8 bytes (no profile data counted:
     * the limit is the one given) */
    ck_assert_int_eq(folded(&p, 16, &out, &len), -1);
    ck_assert_uint_eq(len, 0);
    ck_assert_str_eq(err, "--folded would write 17 bytes, more than the limit of 16 bytes (the "
                     "larger of --max-size and 64 bytes per byte of profile data; --max-size "
                     "raises it)");
    free(out);
    ck_assert_int_eq(folded(&p, 17, &out, &len), 0);
    ck_assert_uint_eq(len, 17);
    free(out);
    profile_free(&p);
}
END_TEST

/* A 10,000-byte name 200,000 deep: 200000 x 10000 + 199999 ';' + "\t1\n"
 * = 2,000,200,002 bytes, counted without building or writing any of it. */
START_TEST(a_huge_output_is_measured_in_proportion_to_the_tree)
{
    enum { DEPTH = 200000, NAME = 10000 };
    struct profile p;
    uint32_t *path = malloc(DEPTH * sizeof *path);
    char *name = malloc(NAME);
    int64_t *total;

    memset(name, 'f', NAME);
    start(&p);
    for (size_t i = 0; i < DEPTH; i++)
        path[i] = profile_frame(&p, profile_intern(&p, name, NAME), 0, 0);
    profile_set_value(&p, profile_add_sample(&p, trie_insert_path(&p.trie, path, DEPTH), 0, 0), 0, 1);
    total = totals(&p);
    ck_assert_uint_eq(output_folded_size(&p, total, TEXT_ESCAPE_CONTROLS), 2000200002ull);
    ck_assert_int_eq(output_folded(stdout, &p, total, 1u << 30, err, sizeof err), -1);
    ck_assert_str_eq(err, "--folded would write 1908 MiB, more than the limit of 1024 MiB (the "
                     "larger of --max-size and 64 bytes per byte of profile data; --max-size "
                     "raises it)");
    /* 20 MB of profile data (as if loaded) raise the limit to 1280 MiB */
    p.data_bytes = 20 << 20;
    ck_assert_int_eq(output_folded(stdout, &p, total, 1u << 30, err, sizeof err), -1);
    ck_assert(strstr(err, "more than the limit of 1280 MiB"));
    free(total);
    free(path);
    free(name);
    profile_free(&p);
}
END_TEST

Suite *foldedout_suite(void)
{
    Suite *s = suite_create("foldedout");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, names_that_looked_alike_print_apart);
    tcase_add_test(tc, every_name_reads_back_the_same);
    tcase_add_test(tc, other_tools_backslashes_read_as_they_are);
    tcase_add_test(tc, the_output_is_measured_before_it_is_written);
    tcase_add_test(tc, a_huge_output_is_measured_in_proportion_to_the_tree);
    suite_add_tcase(s, tc);
    return s;
}
