/* The review's findings on the filters (issue 13): what a filter pass
 * adds to the trie, the nested bit of the nodes it adds. Expected trees
 * and node counts are worked out by hand in the comments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "filters_fx.h"
#include "fset.h"
#include "output.h"
#include "query.h"
#include "source.h"
#include "view_fx.h"

static void apply(struct profile *p, struct fset *s, enum fset_kind k, const char *re,
                  const char *want)
{
    char err[128], *got;

    ck_assert_int_eq(fset_push(s, k, re, err, sizeof err), 0);
    got = filters_fx_filtered(p, s);
    ck_assert_str_eq(got, want);
    free(got);
}

/* A;B;C;D: root, A, B, C, D = 5 nodes. hide B adds A>C, A>C>D (7).
 * Undone, hide C adds A>B>D (8). The nodes hide B added hold no sample:
 * hide C must not reshape them too (A>C>D -> A>D would be a 9th). The
 * same hide B again finds its paths (8). */
START_TEST(reshaped_not_reshaped_again)
{
    struct profile p;
    struct fset s;

    profile_init(&p);
    fset_init(&s);
    filters_fx_load(&p, "A;B;C;D 1\n");
    ck_assert_uint_eq(p.trie.count, 5);
    apply(&p, &s, FSET_HIDE, "^B$", "A;C;D\t1\n");
    ck_assert_uint_eq(p.trie.count, 7);
    fset_pop(&s);
    apply(&p, &s, FSET_HIDE, "^C$", "A;B;D\t1\n");
    ck_assert_uint_eq(p.trie.count, 8);
    fset_pop(&s);
    apply(&p, &s, FSET_HIDE, "^B$", "A;C;D\t1\n");
    ck_assert_uint_eq(p.trie.count, 8);
    fset_free(&s);
    profile_free(&p);
}
END_TEST

/* A filter that reshapes nothing (or focus, ignore) adds no node. */
START_TEST(noop_adds_nothing)
{
    struct profile p;
    struct fset s;

    profile_init(&p);
    fset_init(&s);
    filters_fx_load(&p, "A;B;C 1\nA;D 2\n");
    apply(&p, &s, FSET_HIDE, "^nothing$", "A;B;C\t1\nA;D\t2\n");
    fset_pop(&s);
    apply(&p, &s, FSET_FOCUS, "^B$", "A;B;C\t1\n");
    ck_assert_uint_eq(p.trie.count, 5);
    fset_free(&s);
    profile_free(&p);
}
END_TEST

/* hide B on A;B;A;C: the new A>A is nested (A above), A>A>C is not; on
 * A;B;C the new A>C is not. */
START_TEST(added_nodes_nested_bit)
{
    struct profile p;
    struct fset s;
    uint32_t n;

    profile_init(&p);
    fset_init(&s);
    filters_fx_load(&p, "A;B;A;C 1\nA;B;E 2\n");
    apply(&p, &s, FSET_HIDE, "^B$", "A;A;C\t1\nA;E\t2\n");
    n = s.map[p.samples[0].node];                      /* A>A>C */
    ck_assert_uint_ne(n, FILTER_DROP);
    ck_assert(!trie_nested(&p.trie, n));
    ck_assert(trie_nested(&p.trie, p.trie.node[n].parent));
    n = s.map[p.samples[1].node];                      /* A>E */
    ck_assert(!trie_nested(&p.trie, n));
    fset_free(&s);
    profile_free(&p);
}
END_TEST

/* A sample that lands later on a node a filter added (a live data set's
 * A;C after hide B made A>C): the map is made again and counts it. */
START_TEST(sample_on_added_node)
{
    struct profile p;
    struct fset s;
    char *got;

    profile_init(&p);
    fset_init(&s);
    filters_fx_load(&p, "A;B;C 1\n");
    apply(&p, &s, FSET_HIDE, "^B$", "A;C\t1\n");
    filters_fx_load(&p, "A;C 2\n");
    got = filters_fx_filtered(&p, &s);
    ck_assert_str_eq(got, "A;C\t3\n");
    free(got);
    fset_free(&s);
    profile_free(&p);
}
END_TEST

/* x on a function named by 1500 bytes: hide=^NAME$ whole, which moves
 * its 5 to A (A 6 then); a regex cut at 1 KiB kept nothing. */
START_TEST(key_on_long_name)
{
    static char name[1501], folded[1600], want[1504];
    struct fx f;

    memset(name, 'a', 1500);
    snprintf(folded, sizeof folded, "A;%s 5\nA;B 1\n", name);
    snprintf(want, sizeof want, "^%s$", name);
    fx_open_folded(&f, folded, "t", 120, 20);
    fx_key(&f, '2');            /* the table: its cursor row is the hottest */
    ck_assert_uint_eq(f.a.sel_frame, f.p.trie.node[f.p.samples[0].node].frame);
    fx_key(&f, 'x');
    ck_assert_msg(f.a.filters.n == 1, "%s", f.a.message);
    ck_assert_str_eq(f.a.filters.e[0].text, want);
    fx_close(&f);
}
END_TEST

/* X in the tag explorer, which shows label values and no function: the
 * table's row selected before is not on screen, so nothing is ignored. */
START_TEST(key_in_tags_view)
{
    struct fx f;

    fx_open_folded(&f, "A;B 5\nA;C 1\n", "t", 120, 20);
    fx_key(&f, '2');
    ck_assert_uint_ne(f.a.sel_frame, TRIE_NO_FRAME);
    fx_key(&f, '5');
    ck_assert_int_eq(f.a.view, VIEW_TAGS);
    fx_key(&f, 'X');
    ck_assert_msg(f.a.filters.n == 0, "X in tags pushed %s", f.a.filters.n ? f.a.filters.e[0].text : "");
    ck_assert_msg(strstr(f.a.message, "no function selected here"), "%s", f.a.message);
    fx_close(&f);
}
END_TEST

Suite *filtersfix_suite(void)
{
    Suite *s = suite_create("filtersfix");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, reshaped_not_reshaped_again);
    tcase_add_test(tc, noop_adds_nothing);
    tcase_add_test(tc, added_nodes_nested_bit);
    tcase_add_test(tc, sample_on_added_node);
    tcase_add_test(tc, key_on_long_name);
    tcase_add_test(tc, key_in_tags_view);
    suite_add_tcase(s, tc);
    return s;
}
