/* The filter set's node map (fset.h) on hand-built tries: each expected
 * tree is worked out by hand from pprof's rules (profile/filter.go,
 * prune.go) in the comment above it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "dataset.h"
#include "filters_fx.h"
#include "fset.h"
#include "output.h"
#include "query.h"
#include "source.h"

static void push(struct fset *s, enum fset_kind k, const char *re)
{
    char err[128];

    ck_assert_int_eq(fset_push(s, k, re, err, sizeof err), 0);
}

static void expect(const char *folded, enum fset_kind k, const char *re, const char *want)
{
    struct profile p;
    struct fset s;
    char *got;

    profile_init(&p);
    fset_init(&s);
    filters_fx_load(&p, folded);
    push(&s, k, re);
    got = filters_fx_filtered(&p, &s);
    ck_assert_str_eq(got, want);
    free(got);
    fset_free(&s);
    profile_free(&p);
}

/* hide B|D: A;B;C and A;D;C both become A;C (1 + 2 = 3), A;B becomes A
 * (4); B alone has no frame left and is dropped (pprof drops a sample
 * without locations). */
START_TEST(hide_merges_subtrees)
{
    expect("A;B;C 1\nA;D;C 2\nA;B 4\nB 8\n", FSET_HIDE, "^(B|D)$", "A\t4\nA;C\t3\n");
}
END_TEST

/* show_from B on A;B;C;B: the root-most B is the root (B;C;B, 5); A;C
 * has no B and goes. */
START_TEST(show_from_recursion)
{
    expect("A;B;C;B 5\nA;C 2\n", FSET_SHOW_FROM, "^B$", "B;C;B\t5\n");
}
END_TEST

/* prune_from B on A;B;C;B;D: the leaf-most B stays, D (its callee) goes:
 * A;B;C;B 3; A;C has no B and stays. */
START_TEST(prune_from_leafmost)
{
    expect("A;B;C;B;D 3\nA;C 1\n", FSET_PRUNE_FROM, "^B$", "A;B;C;B\t3\nA;C\t1\n");
}
END_TEST

/* prune_from matches pprof's simplifyFunc: pkg.(*T).M is "pkg." there, so
 * M matches nothing and ^pkg\.$ matches it. */
START_TEST(prune_from_simplified)
{
    expect("A;pkg.(*T).M;C 2\n", FSET_PRUNE_FROM, "M", "A;pkg.(*T).M;C\t2\n");
    expect("A;pkg.(*T).M;C 2\n", FSET_PRUNE_FROM, "^pkg\\.$", "A;pkg.(*T).M\t2\n");
}
END_TEST

/* show keeps the matching frames only: A;B;C -> B;C (1), A;X -> nothing
 * (dropped). */
START_TEST(show_keeps_matches)
{
    expect("A;B;C 1\nA;X 2\n", FSET_SHOW, "^(B|C)$", "B;C\t1\n");
}
END_TEST

/* focus B with ignore C: A;B (1) stays; A;C has no B; B;C has C; D has
 * no B. Two focus entries must both match: focus A and focus B keep A;B. */
START_TEST(focus_and_ignore)
{
    const char *data = "A;B 1\nA;C 2\nB;C 4\nD 8\n";
    struct profile p;
    struct fset s;
    char *got;

    profile_init(&p);
    fset_init(&s);
    filters_fx_load(&p, data);
    push(&s, FSET_FOCUS, "B");
    push(&s, FSET_IGNORE, "C");
    got = filters_fx_filtered(&p, &s);
    ck_assert_str_eq(got, "A;B\t1\n");
    free(got);
    fset_clear(&s);
    push(&s, FSET_FOCUS, "^A$");
    push(&s, FSET_FOCUS, "^B$");
    got = filters_fx_filtered(&p, &s);
    ck_assert_str_eq(got, "A;B\t1\n");
    free(got);
    /* undo (pop) the second focus: every stack with A */
    fset_pop(&s);
    got = filters_fx_filtered(&p, &s);
    ck_assert_str_eq(got, "A;B\t1\nA;C\t2\n");
    free(got);
    fset_free(&s);
    profile_free(&p);
}
END_TEST

/* The map extends to nodes (and frames) added after it was made, as a
 * live data set grows the trie: hide B on A;B;C 1, then A;B;C 2 more,
 * A;E;B 4 and B;F 8 arrive: A;C 3, A;E 4, F 8. */
START_TEST(trie_grows_after_map)
{
    struct profile p;
    struct fset s;
    char *got;

    profile_init(&p);
    fset_init(&s);
    filters_fx_load(&p, "A;B;C 1\n");
    push(&s, FSET_HIDE, "^B$");
    got = filters_fx_filtered(&p, &s);
    ck_assert_str_eq(got, "A;C\t1\n");
    free(got);
    filters_fx_load(&p, "A;B;C 2\nA;E;B 4\nB;F 8\n");
    got = filters_fx_filtered(&p, &s);
    ck_assert_str_eq(got, "A;C\t3\nA;E\t4\nF\t8\n");
    free(got);
    fset_free(&s);
    profile_free(&p);
}
END_TEST

/* The order pprof applies them: hide first, then show_from on what is
 * left (a hidden frame is no root), then prune_from. A;B;C;D;E with hide
 * C, show_from B|C, prune_from D: A;B;D;E -> B;D;E -> B;D. */
START_TEST(order_of_kinds)
{
    struct profile p;
    struct fset s;
    char *got;

    profile_init(&p);
    fset_init(&s);
    filters_fx_load(&p, "A;C;B;D;E 3\n");
    push(&s, FSET_PRUNE_FROM, "^D$");
    push(&s, FSET_SHOW_FROM, "^(B|C)$");
    push(&s, FSET_HIDE, "^C$");
    got = filters_fx_filtered(&p, &s);
    ck_assert_str_eq(got, "B;D\t3\n");
    free(got);
    fset_free(&s);
    profile_free(&p);
}
END_TEST

/* A merge asked of a wrapped data set (as a server's and a live
 * endpoint's merges are a local data set's inside) counts under the
 * filters, and so does one after the model grew: hide B on A;B;C 1 is A;C
 * (root total 1, C's self 1, B in no row); after A;B;C 2 and X;B 4 land,
 * the root's total is 7 and "whole" too (nothing dropped), X's self 4. */
static struct ds_result merge(struct dataset *d)
{
    struct ds_query q = { .kind = DS_MERGE, .type = 0, .query = "{}", .from = INT64_MIN,
                          .until = INT64_MAX };
    struct ds_req *r = ds_submit(d, DS_NOSLOT, &q);
    struct ds_result res;

    for (int i = 0; i < 10 && ds_state(r) == DS_PENDING; i++)
        ds_step(d);
    ck_assert_msg(ds_state(r) == DS_DONE, "%s", ds_error(r));
    ck_assert_int_eq(ds_take(r, &res), 0);
    ds_release(r);
    return res;
}

static int64_t self_of(const struct profile *p, const struct flat *f, const char *name)
{
    for (uint32_t i = 0; i < f->count; i++)
        if (!strcmp(profile_str(p, p->frames[f->rows[i].frame].name), name))
            return f->rows[i].self;
    return -1;
}

START_TEST(wrapped_dataset_counts_filtered)
{
    struct profile p;
    struct fset s;
    struct dataset *d;
    struct ds_result res;

    profile_init(&p);
    fset_init(&s);
    filters_fx_load(&p, "A;B;C 1\n");
    d = ds_test_new(ds_local_new(&p), 0, 0, NULL);
    push(&s, FSET_HIDE, "^B$");
    ds_set_filters(d, &s);
    res = merge(d);
    ck_assert_int_eq(res.flat.grand_total, 1);
    ck_assert_int_eq(res.whole, 1);
    ck_assert_int_eq(self_of(&p, &res.flat, "C"), 1);
    ck_assert_int_eq(self_of(&p, &res.flat, "B"), -1);
    ck_assert_uint_eq(res.ntotal, p.trie.count);
    ds_result_free(&res);
    filters_fx_load(&p, "A;B;C 2\nX;B 4\n");
    res = merge(d);
    ck_assert_int_eq(res.flat.grand_total, 7);
    ck_assert_int_eq(res.whole, 7);
    ck_assert_int_eq(self_of(&p, &res.flat, "X"), 4);
    ck_assert_int_eq(self_of(&p, &res.flat, "B"), -1);
    ds_result_free(&res);
    /* focus C: X;B goes; the whole stays 7 */
    fset_clear(&s);
    push(&s, FSET_FOCUS, "^C$");
    res = merge(d);
    ck_assert_int_eq(res.flat.grand_total, 3);
    ck_assert_int_eq(res.whole, 7);
    ds_result_free(&res);
    ds_free(d);
    fset_free(&s);
    profile_free(&p);
}
END_TEST

START_TEST(text_and_errors)
{
    struct fset s;
    struct sbuf b = { 0 };
    char err[128];

    fset_init(&s);
    push(&s, FSET_FOCUS, "^main\\.handle$");
    push(&s, FSET_SHOW_FROM, "x");
    ck_assert_int_eq(fset_push(&s, FSET_HIDE, "a(", err, sizeof err), -1);
    ck_assert_uint_eq(s.n, 2);
    fset_text(&s, &b, " ");
    sbuf_addc(&b, 0);
    ck_assert_str_eq(b.s, "focus=^main\\.handle$ show_from=x ");
    sbuf_free(&b);
    ck_assert_int_eq(fset_kind_parse("prune-from"), FSET_PRUNE_FROM);
    ck_assert_int_eq(fset_kind_parse("show_from"), FSET_SHOW_FROM);
    ck_assert_int_eq(fset_kind_parse("tagfocus"), -1);
    fset_free(&s);
}
END_TEST

START_TEST(simplify_func)
{
    char buf[64];

    fset_simplify("embergen/work.(*Hasher).Mix", buf, sizeof buf);
    ck_assert_str_eq(buf, "embergen/work.");
    fset_simplify(".main", buf, sizeof buf);
    ck_assert_str_eq(buf, "main");
    fset_simplify("(anonymous namespace)::f(int)", buf, sizeof buf);
    ck_assert_str_eq(buf, "(anonymous namespace)::f");
    fset_simplify("A::operator()(int)", buf, sizeof buf);
    ck_assert_str_eq(buf, "A::operator()");
}
END_TEST

Suite *filters_suite(void)
{
    Suite *s = suite_create("filters");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, hide_merges_subtrees);
    tcase_add_test(tc, show_from_recursion);
    tcase_add_test(tc, prune_from_leafmost);
    tcase_add_test(tc, prune_from_simplified);
    tcase_add_test(tc, show_keeps_matches);
    tcase_add_test(tc, focus_and_ignore);
    tcase_add_test(tc, trie_grows_after_map);
    tcase_add_test(tc, order_of_kinds);
    tcase_add_test(tc, wrapped_dataset_counts_filtered);
    tcase_add_test(tc, text_and_errors);
    tcase_add_test(tc, simplify_func);
    suite_add_tcase(s, tc);
    return s;
}
