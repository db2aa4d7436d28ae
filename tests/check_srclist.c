/* srclist (pprof's -list numbers) on hand-built models at lines
 * granularity, and srcfile's path rules (pprof's trimPath, Go's Clean). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "srcfile.h"
#include "srclist.h"

struct fx {
    struct profile p;
    int64_t *total;
};

/* The frame "func file:line" (as the loader names it at lines granularity). */
static uint32_t fr(struct fx *f, const char *func, const char *file, int64_t line)
{
    char name[256];
    struct frame x = { 0 };

    snprintf(name, sizeof name, "%s %s:%lld", func, file, (long long)line);
    x.name = profile_intern(&f->p, name, strlen(name));
    x.func = profile_intern(&f->p, func, strlen(func));
    x.file = profile_intern(&f->p, file, strlen(file));
    x.line = line;
    return profile_frame_of(&f->p, &x);
}

/* Stacks (root first, ended by UINT32_MAX) with their values; totals by
 * one backward pass (a parent comes before its children). */
static void build(struct fx *f, const uint32_t *const *stacks, const int64_t *values, int n)
{
    int64_t *self = calloc(1024, sizeof *self);

    for (int i = 0; i < n; i++) {
        size_t len = 0;

        while (stacks[i][len] != UINT32_MAX)
            len++;
        self[trie_insert_path(&f->p.trie, stacks[i], len)] += values[i];
    }
    ck_assert_uint_lt(f->p.trie.count, 1024);
    f->total = self;
    for (uint32_t k = f->p.trie.count; k-- > 1;)
        f->total[f->p.trie.node[k].parent] += f->total[k];
}

static void fx_init(struct fx *f)
{
    memset(f, 0, sizeof *f);
    profile_init(&f->p);
    f->p.granularity = GRAN_LINES;
}

static void fx_free(struct fx *f)
{
    free(f->total);
    profile_free(&f->p);
}

static int match_name(void *ctx, const struct profile *p, uint32_t func)
{
    return !strcmp(profile_str(p, func), ctx);
}

static const struct srclist_line *line_of(const struct srclist_file *sf, int64_t n)
{
    for (uint32_t i = 0; i < sf->nlines; i++)
        if (sf->lines[i].line == n)
            return &sf->lines[i];
    return NULL;
}

/* f:10 calls f:12 calls f:10 calls g:20 (5), and f:10 calls g:20 (3).
 * pprof: cum once a sample per line: f:10 5 + 3 = 8 (not 5 + 5 + 3),
 * f:12 5; flat only at the leaf line: g:20 8, f's lines 0. The routine's
 * header adds its lines: cum 8 + 5 = 13 (as pprof's fns.Sum does). */
START_TEST(recursion)
{
    struct fx f;
    struct srclist l;

    fx_init(&f);
    uint32_t f10 = fr(&f, "f", "a.go", 10), f12 = fr(&f, "f", "a.go", 12);
    uint32_t g20 = fr(&f, "g", "a.go", 20);
    const uint32_t s1[] = { f10, f12, f10, g20, UINT32_MAX }, s2[] = { f10, g20, UINT32_MAX };
    const uint32_t *st[] = { s1, s2 };
    const int64_t v[] = { 5, 3 };

    build(&f, st, v, 2);
    srclist_build(&f.p, f.total, match_name, "f", &l);
    ck_assert_uint_eq(l.nfiles, 1);
    ck_assert_int_eq(l.total, 8);
    ck_assert_int_eq(l.files[0].nlines, 2);
    ck_assert_int_eq(line_of(&l.files[0], 10)->cum, 8);
    ck_assert_int_eq(line_of(&l.files[0], 10)->flat, 0);
    ck_assert_int_eq(line_of(&l.files[0], 12)->cum, 5);
    ck_assert_int_eq(l.files[0].cum, 13);
    ck_assert_int_eq(l.files[0].flat, 0);
    srclist_free(&l);
    srclist_build(&f.p, f.total, match_name, "g", &l);
    ck_assert_uint_eq(l.nfiles, 1);
    ck_assert_int_eq(line_of(&l.files[0], 20)->flat, 8);
    ck_assert_int_eq(line_of(&l.files[0], 20)->cum, 8);
    srclist_free(&l);
    fx_free(&f);
}
END_TEST

/* The frame "0xADDR func file:line" (addresses granularity). */
static uint32_t fra(struct fx *f, uint64_t addr, const char *func, const char *file, int64_t line)
{
    char name[256];
    struct frame x = { 0 };

    snprintf(name, sizeof name, "%#llx %s %s:%lld", (unsigned long long)addr, func, file,
             (long long)line);
    x.name = profile_intern(&f->p, name, strlen(name));
    x.func = profile_intern(&f->p, func, strlen(func));
    x.file = profile_intern(&f->p, file, strlen(file));
    x.line = line;
    x.addr = addr;
    return profile_frame_of(&f->p, &x);
}

/* recursion's stacks at addresses: f:10 is two addresses (0x1 and 0x2),
 * frames of their own. pprof -list counts a sample once per line whatever
 * the granularity: f:10 cum 5 + 3 = 8 (not 5 + 5 + 3 = 13), one row for
 * line 10; g:20 at 0x5 and 0x6 adds into one line, flat 8. */
START_TEST(addresses_once_a_line)
{
    struct fx f;
    struct srclist l;

    fx_init(&f);
    f.p.granularity = GRAN_ADDRESSES;
    uint32_t f10a = fra(&f, 1, "f", "a.go", 10), f10b = fra(&f, 2, "f", "a.go", 10);
    uint32_t f12 = fra(&f, 3, "f", "a.go", 12);
    uint32_t g20a = fra(&f, 5, "g", "a.go", 20), g20b = fra(&f, 6, "g", "a.go", 20);
    const uint32_t s1[] = { f10a, f12, f10b, g20a, UINT32_MAX }, s2[] = { f10a, g20b, UINT32_MAX };
    const uint32_t *st[] = { s1, s2 };
    const int64_t v[] = { 5, 3 };

    build(&f, st, v, 2);
    srclist_build(&f.p, f.total, match_name, "f", &l);
    ck_assert_uint_eq(l.nfiles, 1);
    ck_assert_int_eq(l.files[0].nlines, 2);
    ck_assert_int_eq(line_of(&l.files[0], 10)->cum, 8);
    ck_assert_int_eq(line_of(&l.files[0], 12)->cum, 5);
    ck_assert_int_eq(l.files[0].cum, 13);
    srclist_free(&l);
    srclist_build(&f.p, f.total, match_name, "g", &l);
    ck_assert_uint_eq(l.nfiles, 1);
    ck_assert_int_eq(l.files[0].nlines, 1);
    ck_assert_int_eq(line_of(&l.files[0], 20)->flat, 8);
    ck_assert_int_eq(line_of(&l.files[0], 20)->cum, 8);
    srclist_free(&l);
    fx_free(&f);
}
END_TEST

/* A location's inlined lines are frames of their own, the inlined one the
 * leaf: h:5 inlined into f:11 (one location, 7), and f:11 alone with
 * self (2) under main:3. h:5 flat 7 cum 7; f:11 flat 2 cum 9; h in its
 * own file; lines without numbers are not listed. */
START_TEST(inlined_lines)
{
    struct fx f;
    struct srclist l;

    fx_init(&f);
    uint32_t m3 = fr(&f, "main", "m.go", 3), f11 = fr(&f, "f", "f.go", 11);
    uint32_t h5 = fr(&f, "h", "h.go", 5);
    fr(&f, "f", "f.go", 40);    /* a frame no sample has */
    const uint32_t s1[] = { m3, f11, h5, UINT32_MAX }, s2[] = { m3, f11, UINT32_MAX };
    const uint32_t *st[] = { s1, s2 };
    const int64_t v[] = { 7, 2 };

    build(&f, st, v, 2);
    srclist_build(&f.p, f.total, match_name, "f", &l);
    ck_assert_uint_eq(l.nfiles, 1);
    ck_assert_uint_eq(l.files[0].nlines, 1);
    ck_assert_int_eq(l.files[0].lines[0].line, 11);
    ck_assert_int_eq(l.files[0].lines[0].flat, 2);
    ck_assert_int_eq(l.files[0].lines[0].cum, 9);
    srclist_free(&l);
    srclist_build(&f.p, f.total, match_name, "h", &l);
    ck_assert_str_eq(profile_str(&f.p, l.files[0].file), "h.go");
    ck_assert_int_eq(l.files[0].lines[0].flat, 7);
    ck_assert_int_eq(l.files[0].lines[0].cum, 7);
    srclist_free(&l);
    fx_free(&f);
}
END_TEST

static int match_all(void *ctx, const struct profile *p, uint32_t func)
{
    (void)ctx, (void)p, (void)func;
    return 1;
}

/* One name in two files (Node's "(anonymous)"): two routines, by file
 * name; functions by name (b before z whatever the frame order). Each
 * file's sums are its own: z.js 4 + 6 = 10 flat, b.js 1. The hottest line
 * is the largest flat (line 9, 6), not the first. */
START_TEST(two_files)
{
    struct fx f;
    struct srclist l;

    fx_init(&f);
    uint32_t z2 = fr(&f, "z", "y.js", 2), a1 = fr(&f, "anon", "z.js", 1);
    uint32_t a9 = fr(&f, "anon", "z.js", 9), b1 = fr(&f, "anon", "b.js", 1);
    const uint32_t s1[] = { z2, a1, UINT32_MAX }, s2[] = { z2, a9, UINT32_MAX };
    const uint32_t s3[] = { b1, UINT32_MAX };
    const uint32_t *st[] = { s1, s2, s3 };
    const int64_t v[] = { 4, 6, 1 };

    build(&f, st, v, 3);
    srclist_build(&f.p, f.total, match_all, NULL, &l);
    ck_assert_uint_eq(l.nfiles, 3);
    ck_assert_str_eq(profile_str(&f.p, l.files[0].func), "anon");
    ck_assert_str_eq(profile_str(&f.p, l.files[0].file), "b.js");
    ck_assert_str_eq(profile_str(&f.p, l.files[1].file), "z.js");
    ck_assert_str_eq(profile_str(&f.p, l.files[2].func), "z");
    ck_assert_int_eq(l.files[0].flat, 1);
    ck_assert_int_eq(l.files[1].flat, 10);
    ck_assert_int_eq(l.files[1].cum, 10);
    ck_assert_int_eq(l.files[2].cum, 10);
    ck_assert_int_eq(l.files[1].lines[srclist_hottest(&l.files[1])].line, 9);
    ck_assert_int_eq(l.total, 11);
    srclist_free(&l);
    fx_free(&f);
}
END_TEST

/* pprof's trimPath (its comment's example, the /proc/self/cwd prefixes,
 * a configured prefix with or without its slash) and Go's path.Clean
 * (its documented cases: go doc path.Clean). */
START_TEST(paths)
{
    const char *trim[][4] = {
        { "/some/remote/path/my-project/foo/bar.c", "", "/my/local/path/my-project",
          "foo/bar.c" },
        { "/proc/self/cwd/./x.go", "", "", "x.go" },
        { "/proc/self/cwd/y.go", "", "", "y.go" },
        { "/build/src/a.go", "/other:/build", "", "src/a.go" },
        { "/build/src/a.go", "/build/", "", "src/a.go" },
        { "/buildx/a.go", "/build", "", "/buildx/a.go" },
        { "embergen/main.go", "embergen", "tests/data/go", "main.go" },
        { "embergen/main.go", "", "tests/data/go", "embergen/main.go" },
    };
    const char *clean[][2] = {
        { "a//b/./../c", "a/c" }, { "/../x", "/x" }, { "../a/..", ".." }, { "", "." },
        { "a/c/", "a/c" }, { "a/../..", ".." }, { "/", "/" }, { "./x", "x" },
    };

    for (size_t i = 0; i < sizeof trim / sizeof *trim; i++) {
        char *t = srcfile_trim(trim[i][0], trim[i][1], trim[i][2]);

        ck_assert_msg(!strcmp(t, trim[i][3]), "trim %s: %s", trim[i][0], t);
        free(t);
    }
    for (size_t i = 0; i < sizeof clean / sizeof *clean; i++) {
        char *c = srcfile_clean(clean[i][0]);

        ck_assert_msg(!strcmp(c, clean[i][1]), "clean '%s': '%s'", clean[i][0], c);
        free(c);
    }
}
END_TEST

Suite *srclist_suite(void)
{
    Suite *s = suite_create("srclist");
    TCase *tc = tcase_create("srclist");

    tcase_add_test(tc, recursion);
    tcase_add_test(tc, addresses_once_a_line);
    tcase_add_test(tc, inlined_lines);
    tcase_add_test(tc, two_files);
    tcase_add_test(tc, paths);
    suite_add_tcase(s, tc);
    return s;
}
