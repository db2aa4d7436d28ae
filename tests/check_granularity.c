/* Frames at pprof's granularities (src/source/granularity.c). Every expected
 * name and number below is go tool pprof's: `go tool pprof -top -nodecount=0
 * -nodefraction=0 -sample_index=T -unit=U -GRANULARITY FILE`; the cleaned paths
 * are Go's filepath.Clean (tests/data/gran/clean.go prints them). */
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "granularity.h"
#include "source.h"
#include "trie.h"

/* Go's filepath.Clean of each input (go run tests/data/gran/clean.go). */
static const struct { const char *in, *want; } clean_cases[] = {
    { "abc", "abc" },
    { "abc/def", "abc/def" },
    { "a/b/c", "a/b/c" },
    { ".", "." },
    { "..", ".." },
    { "../..", "../.." },
    { "../../abc", "../../abc" },
    { "/abc", "/abc" },
    { "/", "/" },
    { "abc/", "abc" },
    { "abc/def/", "abc/def" },
    { "a/b/c/", "a/b/c" },
    { "./", "." },
    { "../", ".." },
    { "/abc/", "/abc" },
    { "abc//def//ghi", "abc/def/ghi" },
    { "//abc", "/abc" },
    { "///abc", "/abc" },
    { "//abc//", "/abc" },
    { "abc//", "abc" },
    { "abc/./def", "abc/def" },
    { "/./abc/def", "/abc/def" },
    { "abc/.", "abc" },
    { "abc/def/..", "abc" },
    { "abc/def/../ghi", "abc/ghi" },
    { "abc/def/../../..", ".." },
    { "/abc/def/../../..", "/" },
    { "abc/def/../../../ghi/jkl/../../../mno", "../../mno" },
    { "/../abc", "/abc" },
    { "a/../b/../c/../..", ".." },
    { "abc/./../def", "def" },
    { "abc//./../def", "def" },
    { "abc/../../././../def", "../../def" },
    { "./main.go", "main.go" },
    { "/tmp/x//y/./z.go", "/tmp/x/y/z.go" },
    { "C:\\x\\y", "C:\\x\\y" },
};

START_TEST(clean_path_is_go_filepath_clean)
{
    char out[128];

    for (size_t i = 0; i < sizeof clean_cases / sizeof *clean_cases; i++) {
        granularity_clean_path(clean_cases[i].in, strlen(clean_cases[i].in), out);
        ck_assert_msg(!strcmp(out, clean_cases[i].want), "Clean(%s) = %s, want %s",
                      clean_cases[i].in, out, clean_cases[i].want);
    }
}
END_TEST

START_TEST(names_parse_both_ways)
{
    enum granularity g;

    for (int i = 0; i < GRAN_COUNT; i++) {
        ck_assert_int_eq(granularity_parse(granularity_name((enum granularity)i), &g), 0);
        ck_assert_int_eq(g, i);
    }
    ck_assert_int_eq(granularity_parse("line", &g), -1);
}
END_TEST

/* Loads name at g and returns the self and total (recursion counted once)
 * of the frame named frame, of the default type. */
static void frame_values(const char *name, enum granularity g, const char *frame, int64_t *self,
                         int64_t *total)
{
    struct profile p;
    struct load_options o = { .max_size = (size_t)1 << 30, .granularity = g };
    char err[SOURCE_ERR_MAX];
    size_t len;
    uint8_t *d = read_fixture(name, &len);
    int64_t *node, *ftotal;
    uint32_t want = UINT32_MAX;

    profile_init(&p);
    ck_assert_msg(!source_load_buffer(&p, name, d, len, &o, err), "%s", err);
    free(d);
    ck_assert_int_eq(p.granularity, g);
    for (uint32_t f = 0; f < p.nframes; f++)
        if (!strcmp(profile_str(&p, p.frames[f].name), frame))
            want = f;
    ck_assert_msg(want != UINT32_MAX, "no frame %s", frame);
    node = calloc(p.trie.count, sizeof *node);
    ftotal = calloc(p.nframes, sizeof *ftotal);
    *self = 0;
    for (size_t s = 0; s < p.nsamples; s++)
        node[p.samples[s].node] += profile_value(&p, s, p.default_type);
    for (uint32_t n = 1; n < p.trie.count; n++)
        if (p.trie.node[n].frame == want)
            *self += node[n];
    trie_accumulate(&p.trie, node, ftotal);
    *total = ftotal[want];
    free(node);
    free(ftotal);
    profile_free(&p);
}

static const struct {
    const char *file;
    enum granularity g;
    const char *frame;
    int64_t self, total;
} pprof_rows[] = {
    /* -lines: an inlined callee's line is its own node */
    { "go-cpu.pb.gz", GRAN_LINES, "sort.partition sort/zsortinterface.go:157", 300000000, 350000000 },
    { "go-cpu.pb.gz", GRAN_LINES, "main.fib embergen/main.go:30", 160000000, 170000000 },
    { "go-cpu.pb.gz", GRAN_ADDRESSES, "000000000048b6cc sort.IntSlice.Less sort/sort.go:115",
      130000000, 130000000 },
    { "go-cpu.pb.gz", GRAN_FILES, "embergen/main.go", 670000000, 2910000000 },
    { "go-cpu.pb.gz", GRAN_FILEFUNCTIONS, "sort.partition sort/zsortinterface.go", 680000000,
      850000000 },
    /* locations without lines: [mapping], <unknown>, and the address kept */
    { "unsymbolized.pb", GRAN_ADDRESSES, "0000000000401a2b [app]", 7, 11 },
    { "unsymbolized.pb", GRAN_ADDRESSES, "0000000000401000 main main.c:12", 0, 16 },
    { "unsymbolized.pb", GRAN_ADDRESSES, "0000000000001234 <unknown>", 2, 2 },
    { "unsymbolized.pb", GRAN_LINES, "[app]", 10, 14 },
};

START_TEST(rows_equal_pprof)
{
    int64_t self, total;

    frame_values(pprof_rows[_i].file, pprof_rows[_i].g, pprof_rows[_i].frame, &self, &total);
    ck_assert_msg(self == pprof_rows[_i].self && total == pprof_rows[_i].total,
                  "%s %s: %lld %lld", pprof_rows[_i].file, pprof_rows[_i].frame, (long long)self,
                  (long long)total);
}
END_TEST

START_TEST(lines_keep_the_function_and_line)
{
    struct profile p;
    struct load_options o = { .max_size = (size_t)1 << 30, .granularity = GRAN_LINES };
    char err[SOURCE_ERR_MAX];
    size_t len;
    uint8_t *d = read_fixture("go-cpu.pb.gz", &len);
    int found = 0;

    profile_init(&p);
    ck_assert(!source_load_buffer(&p, "go-cpu.pb.gz", d, len, &o, err));
    free(d);
    for (uint32_t f = 0; f < p.nframes; f++) {
        const struct frame *fr = &p.frames[f];

        if (strcmp(profile_str(&p, fr->name), "main.fib embergen/main.go:30"))
            continue;
        found = 1;
        ck_assert_str_eq(profile_str(&p, fr->func), "main.fib");
        ck_assert_str_eq(profile_str(&p, fr->file), "embergen/main.go");
        ck_assert_int_eq(fr->line, 30);
        ck_assert_uint_eq(fr->addr, 0);
    }
    ck_assert(found);
    profile_free(&p);
}
END_TEST

Suite *granularity_suite(void)
{
    Suite *s = suite_create("granularity");
    TCase *tc = tcase_create("granularity");

    tcase_add_test(tc, clean_path_is_go_filepath_clean);
    tcase_add_test(tc, names_parse_both_ways);
    tcase_add_loop_test(tc, rows_equal_pprof, 0, (int)(sizeof pprof_rows / sizeof *pprof_rows));
    tcase_add_test(tc, lines_keep_the_function_and_line);
    suite_add_tcase(s, tc);
    return s;
}
