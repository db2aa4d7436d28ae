#include "ftree.h"

#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "sat.h"
#include "xalloc.h"

static uint32_t new_node(struct ftree *t, uint32_t frame, uint32_t parent)
{
    if (t->count == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->node = xreallocarray(t->node, t->cap, sizeof *t->node);
    }
    t->node[t->count] = (struct fnode){
        .frame = frame, .parent = parent,
        .depth = parent == FTREE_NONE ? 0 : t->node[parent].depth + 1 };
    return t->count++;
}

static void reserve_members(struct ftree *t, size_t more)
{
    if (t->nmember + more <= t->member_cap)
        return;
    t->member_cap = (t->nmember + more) * 2;
    t->member = xreallocarray(t->member, t->member_cap, sizeof *t->member);
    t->carried = xreallocarray(t->carried, t->member_cap, sizeof *t->carried);
}

static void init_common(struct ftree *t, const struct profile *p, const int64_t *total,
                        enum ftree_direction dir)
{
    memset(t, 0, sizeof *t);
    t->p = p;
    t->total = total;
    t->dir = dir;
    t->slot = xmalloc(((size_t)p->nframes + 1) * sizeof *t->slot);
    t->stamp = xcalloc((size_t)p->nframes + 1, sizeof *t->stamp);
}

void ftree_init_root(struct ftree *t, const struct profile *p, const int64_t *total)
{
    uint32_t r;

    init_common(t, p, total, FTREE_CALLEES);
    r = new_node(t, TRIE_NO_FRAME, FTREE_NONE);
    reserve_members(t, 1);
    t->member[0] = TRIE_ROOT;
    t->carried[0] = total[TRIE_ROOT];
    t->nmember = 1;
    t->node[r].members = 0;
    t->node[r].nmembers = 1;
    t->node[r].value = total[TRIE_ROOT];
}

static void add_occurrence(struct ftree *t, uint32_t n)
{
    if (!t->total[n])
        return;
    reserve_members(t, 1);
    t->member[t->nmember] = n;
    t->carried[t->nmember++] = t->total[n];
}

static void finish_function_root(struct ftree *t, int64_t self);

void ftree_init_diff(struct ftree *t, const struct profile *p, const int64_t *base,
                     const int64_t *total)
{
    ftree_init_root(t, p, total);
    t->base = base;
    t->node[0].value = sat_add(base[TRIE_ROOT], total[TRIE_ROOT]);
    t->node[0].base = base[TRIE_ROOT];
}

void ftree_init_function(struct ftree *t, const struct profile *p, const int64_t *total,
                         uint32_t frame, enum ftree_direction dir, int64_t self)
{
    const struct trie *tr = &p->trie;

    init_common(t, p, total, dir);
    new_node(t, frame, FTREE_NONE);
    for (uint32_t n = 1; n < tr->count; n++)
        if (tr->node[n].frame == frame && !trie_nested(tr, n))
            add_occurrence(t, n);
    finish_function_root(t, self);
}

void ftree_init_occurrences(struct ftree *t, const struct profile *p, const int64_t *total,
                            uint32_t frame, enum ftree_direction dir, int64_t self,
                            const uint32_t *occ, uint32_t nocc)
{
    init_common(t, p, total, dir);
    new_node(t, frame, FTREE_NONE);
    for (uint32_t i = 0; i < nocc; i++)
        add_occurrence(t, occ[i]);
    finish_function_root(t, self);
}

static void finish_function_root(struct ftree *t, int64_t self)
{
    struct fnode *r = &t->node[0];

    r->nmembers = (uint32_t)t->nmember;
    for (size_t i = 0; i < t->nmember; i++)
        r->value = sat_add(r->value, t->carried[i]);
    /* Recursion hides some of the function's self below its outer
     * occurrences: the flat table's figure is the whole of it. */
    r->self = self;
    r->expanded = 2;            /* 2: self is preset, children not built yet */
}

void ftree_free(struct ftree *t)
{
    free(t->node);
    free(t->member);
    free(t->carried);
    free(t->slot);
    free(t->stamp);
    free(t->pend);
    memset(t, 0, sizeof *t);
}

/* The trie nodes one member leads to, with the value each carries. */
static uint32_t next_members(const struct ftree *t, uint32_t m, int64_t carried,
                             const uint32_t **kids, uint32_t *one)
{
    if (t->dir == FTREE_CALLEES)
        return trie_children(&t->p->trie, m, kids);
    (void)carried;
    if (m == TRIE_ROOT || t->p->trie.node[m].parent == TRIE_ROOT)
        return 0;
    *one = t->p->trie.node[m].parent;
    *kids = one;
    return 1;
}

/* A member's next members are two or three dependent loads away (its
 * children's range, the children, their nodes and totals), each a cache
 * miss in arrays of hundreds of MB: a hot function has hundreds of
 * thousands of members. Each load is asked for a stage earlier than it is
 * needed, the first FAR members ahead: the misses of about NEAR members
 * overlap instead of queueing. */
enum { FAR = 24, MID = 16, NEAR = 8 };

static void prefetch_members(const struct ftree *t, uint32_t i, uint32_t end)
{
    const struct trie *tr = &t->p->trie;

    if (t->dir == FTREE_CALLERS) {
        if (i + MID < end)
            __builtin_prefetch(&tr->node[t->member[i + MID]]);
        if (i + NEAR < end && t->member[i + NEAR] != TRIE_ROOT)
            __builtin_prefetch(&tr->node[tr->node[t->member[i + NEAR]].parent]);
        return;
    }
    if (i + FAR < end)
        __builtin_prefetch(&tr->child_start[t->member[i + FAR]]);
    if (i + MID < end)
        __builtin_prefetch(&tr->child[tr->child_start[t->member[i + MID]]]);
    if (i + NEAR < end) {
        uint32_t m = t->member[i + NEAR], at = tr->child_start[m], k = tr->child_start[m + 1] - at;

        for (uint32_t j = 0; j < k && j < 4; j++) {
            __builtin_prefetch(&tr->node[tr->child[at + j]]);
            __builtin_prefetch(&t->total[tr->child[at + j]]);
        }
    }
}

static int64_t member_value(const struct ftree *t, uint32_t child, int64_t carried)
{
    if (t->dir == FTREE_CALLERS)
        return carried;
    return t->base ? sat_add(t->total[child], t->base[child]) : t->total[child];
}

static const struct ftree *sort_tree;

static int by_name(const void *a, const void *b)
{
    const struct profile *p = sort_tree->p;
    const struct fnode *x = a, *y = b;

    return query_name_cmp(p, p->frames[x->frame].name, p->frames[y->frame].name);
}

/* Room for `more` pending members after the first `used`. */
static void reserve_pending(struct ftree *t, size_t used, size_t more)
{
    if (used + more <= t->pend_cap)
        return;
    t->pend_cap = (used + more) * 2;
    t->pend = xreallocarray(t->pend, t->pend_cap, sizeof *t->pend);
}

/* Groups the next members of n by frame into new child nodes. Pass 1
 * reads each next member's node and value once, where they lie in the
 * trie's arrays, and notes them in order (t->pend); pass 2 places them
 * from that list, read in sequence, instead of a second walk over the
 * same scattered nodes. */
static void expand(struct ftree *t, uint32_t n)
{
    uint32_t first = t->count, one, mbeg = t->node[n].members, mcount = t->node[n].nmembers;
    size_t npend = 0;

    if (++t->stamp_now == 0) {
        memset(t->stamp, 0, ((size_t)t->p->nframes + 1) * sizeof *t->stamp);
        t->stamp_now = 1;
    }
    /* Pass 1: one child per distinct frame, with its value and size. A
     * function can have hundreds of thousands of occurrences scattered over
     * the trie: fetch members ahead (prefetch_members). */
    for (uint32_t i = mbeg; i < mbeg + mcount; i++) {
        const uint32_t *kids;
        uint32_t k;

        prefetch_members(t, i, mbeg + mcount);
        k = next_members(t, t->member[i], t->carried[i], &kids, &one);
        reserve_pending(t, npend, k);
        for (uint32_t j = 0; j < k; j++) {
            uint32_t f = t->p->trie.node[kids[j]].frame, c;
            int64_t v = member_value(t, kids[j], t->carried[i]);

            if (!v)
                continue;
            if (t->stamp[f] != t->stamp_now) {
                t->stamp[f] = t->stamp_now;
                t->slot[f] = new_node(t, f, n) - first;
            }
            c = first + t->slot[f];
            t->node[c].value = sat_add(t->node[c].value, v);
            t->node[c].nmembers++;
            t->pend[npend++] = (struct fpend){ kids[j], f, v };
        }
    }
    /* Sort children by name, then give each its run of members. */
    sort_tree = t;
    qsort(t->node + first, t->count - first, sizeof *t->node, by_name);
    reserve_members(t, 0);
    {
        size_t at = t->nmember, need = 0;

        for (uint32_t c = first; c < t->count; c++) {
            t->slot[t->node[c].frame] = c;
            t->node[c].members = (uint32_t)(at + need);
            need += t->node[c].nmembers;
            t->node[c].nmembers = 0;
        }
        reserve_members(t, need);
        t->nmember += need;
    }
    /* Pass 2: place the members, in the order pass 1 met them. */
    for (size_t i = 0; i < npend; i++) {
        const struct fpend *m = &t->pend[i];
        struct fnode *c = &t->node[t->slot[m->frame]];

        t->member[c->members + c->nmembers] = m->node;
        t->carried[c->members + c->nmembers++] = m->value;
        if (t->base)
            c->base = sat_add(c->base, t->base[m->node]);
    }
    t->node[n].first_child = first;
    t->node[n].nchildren = t->count - first;
    if (t->node[n].expanded != 2) {
        int64_t self = t->node[n].value;

        for (uint32_t c = first; c < t->count; c++)
            self -= t->node[c].value;
        t->node[n].self = self;
    }
    t->node[n].expanded = 1;
}

int64_t ftree_self(struct ftree *t, uint32_t n)
{
    uint32_t first;

    ftree_children(t, n, &first);
    return t->node[n].self;
}

uint32_t ftree_children(struct ftree *t, uint32_t n, uint32_t *first)
{
    if (t->node[n].expanded != 1)
        expand(t, n);
    *first = t->node[n].first_child;
    return t->node[n].nchildren;
}

/* One box on its way: the row being built, with each box's value offset
 * into the root (what places its children). */
struct lrow {
    struct fbox *box;
    int64_t *off;
    int64_t *eff;               /* the value its width stands for (see drawn) */
    size_t count, cap;
};

static void lrow_push(struct lrow *r, uint32_t node, int x, int w, uint32_t depth, int64_t off,
                      int64_t eff)
{
    if (r->count == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 256;
        r->box = xreallocarray(r->box, r->cap, sizeof *r->box);
        r->off = xreallocarray(r->off, r->cap, sizeof *r->off);
        r->eff = xreallocarray(r->eff, r->cap, sizeof *r->eff);
    }
    r->box[r->count] = (struct fbox){ node, x, w, depth };
    r->eff[r->count] = eff;
    r->off[r->count++] = off;
}

/* The sum of the positive values of n's k children from first. */
static int64_t positive_children(const struct ftree *t, uint32_t first, uint32_t k)
{
    int64_t pos = 0;

    for (uint32_t c = first; c < first + k; c++)
        if (t->node[c].value > 0)
            pos = sat_add(pos, t->node[c].value);
    return pos;
}

/* With a base subtracted values may be negative: a box is drawn for what
 * grew (its value when positive), children that grew more than their
 * caller (others shrank) share its width in proportion. Without negative
 * values this is each node's value. */
static int64_t drawn(int64_t value, int64_t room, int64_t pos)
{
    if (value <= 0)
        return 0;
    if (pos <= room)
        return value;
    return (int64_t)((double)value / (double)pos * (double)room);
}

/* Columns are proportional to value: a node starting `offset` value units
 * into the root covers [col(offset), col(offset + value)). */
static int column(int64_t offset, int64_t whole, int width)
{
    return (int)((double)offset / (double)whole * width + 0.5);
}

/* The row below `cur`: every child at least one column wide. */
static void next_row(struct ftree *t, const struct lrow *cur, int64_t whole, int width,
                     struct lrow *out)
{
    out->count = 0;
    for (size_t b = 0; b < cur->count; b++) {
        uint32_t first, k = ftree_children(t, cur->box[b].node, &first);
        int64_t off = cur->off[b], room = cur->eff[b], pos = positive_children(t, first, k);

        for (uint32_t c = first; c < first + k; c++) {
            int64_t v = drawn(t->node[c].value, room, pos);
            int x0 = column(off, whole, width), x1 = column(off + v, whole, width);

            if (x1 > x0)
                lrow_push(out, c, x0, x1 - x0, cur->box[b].depth + 1, off, v);
            off += v;
        }
    }
}

static void keep_row(struct flayout *l, const struct lrow *r)
{
    if (l->rows + 2 > l->rows_cap) {
        l->rows_cap = l->rows_cap ? l->rows_cap * 2 : 64;
        l->row_start = xreallocarray(l->row_start, l->rows_cap, sizeof *l->row_start);
    }
    if (l->count + r->count > l->cap) {
        l->cap = (l->count + r->count) * 2;
        l->box = xreallocarray(l->box, l->cap, sizeof *l->box);
    }
    memcpy(l->box + l->count, r->box, r->count * sizeof *r->box);
    l->row_start[l->rows++] = (uint32_t)l->count;
    l->count += r->count;
    l->row_start[l->rows] = (uint32_t)l->count;
}

void ftree_layout_window(struct ftree *t, uint32_t root, int width, uint32_t first,
                         uint32_t nrows, struct flayout *l)
{
    uint32_t kid, k = ftree_children(t, root, &kid);
    int64_t whole = t->node[root].value, pos = positive_children(t, kid, k);
    struct lrow row[2] = { { 0 } }, *cur = &row[0], *next = &row[1], *swap;

    l->count = 0;
    l->rows = 0;
    l->first = first;
    l->more = 0;
    if (pos > whole)            /* the zoomed node shrank, or less than its callees grew */
        whole = pos;
    if (whole <= 0 || width <= 0)
        return;
    lrow_push(cur, root, 0, width, 0, 0, whole);
    for (uint32_t d = 0; cur->count; d++) {
        if (d >= first && d - first >= nrows) {
            l->more = 1;
            break;
        }
        if (d >= first)
            keep_row(l, cur);
        next_row(t, cur, whole, width, next);
        swap = cur, cur = next, next = swap;
    }
    for (int i = 0; i < 2; i++) {
        free(row[i].box);
        free(row[i].off);
        free(row[i].eff);
    }
}

void ftree_layout(struct ftree *t, uint32_t root, int width, struct flayout *l)
{
    ftree_layout_window(t, root, width, 0, UINT32_MAX, l);
}

void flayout_free(struct flayout *l)
{
    free(l->box);
    free(l->row_start);
    memset(l, 0, sizeof *l);
}

const struct fbox *flayout_find(const struct flayout *l, uint32_t n, uint32_t depth)
{
    if (depth < l->first || depth - l->first >= l->rows)
        return NULL;
    depth -= l->first;
    for (uint32_t b = l->row_start[depth]; b < l->row_start[depth + 1]; b++)
        if (l->box[b].node == n)
            return &l->box[b];
    return NULL;
}

void ftree_node_selves(const struct profile *p, const int64_t *total, int64_t *out)
{
    const struct trie *t = &p->trie;

    memcpy(out, total, (size_t)t->count * sizeof *out);
    for (uint32_t n = t->count; n-- > 1;) {
        int64_t minus = total[n] == INT64_MIN ? INT64_MAX : -total[n];

        out[t->node[n].parent] = sat_add(out[t->node[n].parent], minus);
    }
}

void ftree_growth(const struct profile *p, const int64_t *total, int64_t *out)
{
    const struct trie *t = &p->trie;

    /* the selves, then the positive ones summed upwards; parents come
     * before children */
    ftree_node_selves(p, total, out);
    for (uint32_t n = 0; n < t->count; n++)
        out[n] = out[n] > 0 ? out[n] : 0;
    for (uint32_t n = t->count; n-- > 1;)
        out[t->node[n].parent] = sat_add(out[t->node[n].parent], out[n]);
}
