#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "query.h"
#include "source.h"

struct fixture {
    struct profile p;
    int64_t *total;
    struct flat flat;
};

static void build(struct fixture *f, const char *folded)
{
    char err[SOURCE_ERR_MAX];

    profile_init(&f->p);
    ck_assert_int_eq(folded_load(&f->p, 0, (const uint8_t *)folded, strlen(folded), err), 0);
    profile_finish(&f->p);
    f->total = calloc(f->p.trie.count, sizeof *f->total);
    query_totals(&f->p, 0, NULL, f->total);
    flat_build(&f->p, 0, NULL, f->total, &f->flat);
}

static void release(struct fixture *f)
{
    flat_free(&f->flat);
    free(f->total);
    profile_free(&f->p);
}

static const struct flat_row *row(const struct fixture *f, const char *name)
{
    for (uint32_t i = 0; i < f->flat.count; i++)
        if (!strcmp(profile_str(&f->p, f->p.frames[f->flat.rows[i].frame].name), name))
            return &f->flat.rows[i];
    ck_abort_msg("no row %s", name);
    return NULL;
}

START_TEST(recursion_counts_once)
{
    struct fixture f;

    /* fib recurses; a and b recurse through each other. */
    build(&f, "main;fib;fib;fib 4\n"
              "main;fib 1\n"
              "main;a;b;a;b 3\n"
              "main;other;fib;x 2\n");
    ck_assert_int_eq(f.flat.grand_total, 10);
    ck_assert_int_eq(row(&f, "fib")->self, 5);
    ck_assert_int_eq(row(&f, "fib")->total, 7);
    ck_assert_int_eq(row(&f, "a")->total, 3);
    ck_assert_int_eq(row(&f, "b")->total, 3);
    ck_assert_int_eq(row(&f, "b")->self, 3);
    ck_assert_int_eq(row(&f, "main")->total, 10);
    ck_assert_int_eq(row(&f, "main")->self, 0);
    ck_assert_int_eq(row(&f, "x")->total, 2);
    release(&f);
}
END_TEST

START_TEST(one_pass_equals_two)
{
    struct fixture f;
    struct flat g;
    int64_t *t2;

    build(&f, "main;fib;fib;fib 4\nmain;fib 1\nmain;a;b;a;b 3\nmain;other;fib;x 2\n");
    t2 = calloc(f.p.trie.count, sizeof *t2);
    query_totals_flat(&f.p, 0, NULL, t2, &g);
    ck_assert_uint_eq(g.count, f.flat.count);
    ck_assert_int_eq(g.grand_total, f.flat.grand_total);
    for (uint32_t i = 0; i < g.count; i++) {
        ck_assert_uint_eq(g.rows[i].frame, f.flat.rows[i].frame);
        ck_assert_int_eq(g.rows[i].self, f.flat.rows[i].self);
        ck_assert_int_eq(g.rows[i].total, f.flat.rows[i].total);
    }
    for (uint32_t n = 0; n < f.p.trie.count; n++)
        ck_assert_int_eq(t2[n], f.total[n]);
    flat_free(&g);
    free(t2);
    release(&f);
}
END_TEST

START_TEST(sorted_by_self_then_name)
{
    struct fixture f;

    build(&f, "r;b 5\nr;a 5\nr;c 7\nr;B 5\n");
    ck_assert_str_eq(profile_str(&f.p, f.p.frames[f.flat.rows[0].frame].name), "c");
    ck_assert_str_eq(profile_str(&f.p, f.p.frames[f.flat.rows[1].frame].name), "B");
    ck_assert_str_eq(profile_str(&f.p, f.p.frames[f.flat.rows[2].frame].name), "a");
    ck_assert_str_eq(profile_str(&f.p, f.p.frames[f.flat.rows[3].frame].name), "b");
    ck_assert_str_eq(profile_str(&f.p, f.p.frames[f.flat.rows[4].frame].name), "r");
    ck_assert_uint_eq(f.flat.count, 5);
    release(&f);
}
END_TEST

START_TEST(sums_saturate)
{
    struct fixture f;

    build(&f, "a;b 9223372036854775807\na;c 9223372036854775807\n");
    ck_assert_int_eq(f.flat.grand_total, INT64_MAX);
    ck_assert_int_eq(row(&f, "a")->total, INT64_MAX);
    release(&f);
}
END_TEST

Suite *query_suite(void)
{
    Suite *s = suite_create("query");
    TCase *tc = tcase_create("flat");

    tcase_add_test(tc, recursion_counts_once);
    tcase_add_test(tc, sorted_by_self_then_name);
    tcase_add_test(tc, one_pass_equals_two);
    tcase_add_test(tc, sums_saturate);
    suite_add_tcase(s, tc);
    return s;
}
