/* libFuzzer harness for the frame trees (the flamegraph's, the diff's, a
 * function's callees and callers) with their layout, and for the timeline
 * and tag groups, on profiles built from fuzz bytes (fuzz_build.h).
 * Oracles (values are never negative here): a node's children add up to
 * at most its value; the root holds the grand total; a function's callee
 * and caller trees hold its flat total; boxes lie within their parent's;
 * the series and the tag groups add up to the grand total. Run: make fuzz. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chains.h"
#include "ftree.h"
#include "fuzz_build.h"
#include "query.h"
#include "sat.h"
#include "timeline.h"

#define EXPAND_BUDGET 4000

static void fail(const char *what)
{
    fprintf(stderr, "%s\n", what);
    abort();
}

/* Expands up to EXPAND_BUDGET nodes breadth first, checking each. A
 * function's root has the flat table's self (recursion included): preset. */
static void walk(struct ftree *t, int preset_root_self)
{
    for (uint32_t n = 0; n < t->count && n < EXPAND_BUDGET; n++) {
        uint32_t first, k = ftree_children(t, n, &first);
        int64_t sum = 0;

        for (uint32_t i = 0; i < k; i++) {
            if (t->node[first + i].parent != n)
                fail("a child's parent is another node");
            sum = sat_add(sum, t->node[first + i].value);
        }
        if (sum > t->node[n].value)
            fail("children hold more than their parent");
        if ((n || !preset_root_self) && ftree_self(t, n) != t->node[n].value - sum)
            fail("self is not value less the children");
        if (t->base && (t->node[n].base < 0 || t->node[n].base > t->node[n].value))
            fail("a diff node's base is outside its value");
    }
}

/* A window of rows is those rows of the whole layout. */
static void check_window(struct ftree *t, int width, const struct flayout *whole)
{
    struct flayout w = { 0 };
    uint32_t first = (uint32_t)width % 3, want;

    ftree_layout_window(t, 0, width, first, 2, &w);
    want = whole->rows > first ? whole->rows - first : 0;
    want = want > 2 ? 2 : want;
    if (w.rows != want || w.more != (whole->rows > first + 2))
        fail("a window's rows differ from the layout's");
    if (want && (w.count != whole->row_start[first + want] - whole->row_start[first] ||
                 memcmp(w.box, whole->box + whole->row_start[first], w.count * sizeof *w.box)))
        fail("a window's boxes differ from the layout's");
    flayout_free(&w);
}

static void check_layout(struct ftree *t, int width)
{
    struct flayout l = { 0 };

    ftree_layout(t, 0, width, &l);
    for (size_t i = 0; i < l.count; i++) {
        const struct fbox *b = &l.box[i], *up;

        if (b->x < 0 || b->w < 1 || b->x + b->w > width)
            fail("a box outside the width");
        if (b->depth == 0)
            continue;
        up = flayout_find(&l, t->node[b->node].parent, b->depth - 1);
        if (!up || b->x < up->x || b->x + b->w > up->x + up->w)
            fail("a box outside its parent's");
    }
    check_window(t, width, &l);
    flayout_free(&l);
}

static void check_trees(const struct profile *p, const int64_t *total, const int64_t *other,
                        const struct flat *flat, int width)
{
    struct ftree t;

    ftree_init_root(&t, p, total);
    if (t.node[0].value != total[TRIE_ROOT])
        fail("the root does not hold the grand total");
    walk(&t, 0);
    check_layout(&t, width);
    ftree_free(&t);

    ftree_init_diff(&t, p, other, total);
    if (t.node[0].value != sat_add(total[TRIE_ROOT], other[TRIE_ROOT]) ||
        t.node[0].base != other[TRIE_ROOT])
        fail("the diff root does not hold both totals");
    walk(&t, 0);
    check_layout(&t, width);
    ftree_free(&t);

    for (uint32_t i = 0; i < flat->count && i < 4; i++) {
        for (int dir = 0; dir < 2; dir++) {
            ftree_init_function(&t, p, total, flat->rows[i].frame, (enum ftree_direction)dir,
                                flat->rows[i].self);
            if (t.node[0].value != flat->rows[i].total)
                fail("a function's tree does not hold its total");
            walk(&t, 1);
            check_layout(&t, width);
            ftree_free(&t);
        }
    }
}

static void check_time(struct profile *p, uint32_t type, int64_t grand, uint32_t buckets)
{
    struct timeline tl;
    uint32_t n, nrows;
    int64_t *series, sum = 0, groups = 0;
    struct tag_row *rows;

    timeline_init(&tl, p, type, buckets);
    n = tl.buckets ? tl.buckets : 1;
    series = calloc(n, sizeof *series);
    timeline_series(&tl, p, type, NULL, series);
    for (uint32_t b = 0; b < n; b++)
        sum = sat_add(sum, series[b]);
    if (sum != grand)
        fail("the series does not add up to the grand total");
    rows = tags_group(p, type, NULL, profile_intern(p, "k", 1), &tl, &nrows);
    for (uint32_t r = 0; r < nrows; r++) {
        int64_t s = 0;

        for (uint32_t b = 0; b < n; b++)
            s = sat_add(s, rows[r].series[b]);
        if (s != rows[r].total)
            fail("a tag group's series does not add up to its total");
        groups = sat_add(groups, rows[r].total);
    }
    if (groups != grand)
        fail("the tag groups do not add up to the grand total");
    tags_free_rows(rows, nrows);
    free(series);
    timeline_free(&tl);
}

/* The merge over the folded trie (chains.h) is the node-by-node one:
 * every node's total and every row. */
static void check_folded(const struct profile *p, uint32_t type, const int64_t *want,
                         const struct flat *rows)
{
    struct chains c = { 0 };
    int64_t *got = malloc(((size_t)p->trie.count + 1) * sizeof *got);
    uint32_t *rank = malloc(((size_t)p->nframes + 1) * sizeof *rank);
    struct flat f;

    if (chains_build(&c, p) || !chains_fit(&c, p))
        fail("the chains do not build on an indexed trie");
    query_rank_names(p, rank);
    query_totals_flat_folded(p, type, NULL, got, rank, &c, &f);
    if (memcmp(got, want, (size_t)p->trie.count * sizeof *got))
        fail("the folded totals differ from the node by node ones");
    if (f.count != rows->count || f.grand_total != rows->grand_total)
        fail("the folded rows differ in number or grand total");
    for (uint32_t i = 0; i < f.count; i++)
        if (f.rows[i].frame != rows->rows[i].frame || f.rows[i].self != rows->rows[i].self ||
            f.rows[i].total != rows->rows[i].total)
            fail("a folded row differs");
    flat_free(&f);
    free(rank);
    free(got);
    chains_free(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    struct profile p;
    struct flat flat[2];
    int64_t *total[2];
    int width = len ? 1 + data[len - 1] % 200 : 80;
    uint32_t buckets = len > 1 ? data[len - 2] % 70 : 0;

    profile_init(&p);
    fuzz_build(&p, data, len);
    profile_finish(&p);
    for (uint32_t t = 0; t < 2; t++) {
        total[t] = calloc(p.trie.count + 1, sizeof *total[t]);
        query_totals_flat(&p, t, NULL, total[t], &flat[t]);
    }
    trie_index(&p.trie);
    for (uint32_t t = 0; t < 2; t++)
        check_folded(&p, t, total[t], &flat[t]);
    check_trees(&p, total[0], total[1], &flat[0], width);
    check_time(&p, 0, total[0][TRIE_ROOT], buckets);
    for (int t = 0; t < 2; t++) {
        flat_free(&flat[t]);
        free(total[t]);
    }
    profile_free(&p);
    return 0;
}
