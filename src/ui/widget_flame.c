/* A flamegraph pane: one text row per depth, each node a bar as wide as its
 * share of the zoomed root, its name inside. Icicle (root on top) unless
 * flipped. Rows above the zoomed root show the path to it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flame_pane.h"
#include "diff.h"
#include "keymap.h"
#include "theme.h"
#include "xalloc.h"

void flame_pane_reset(struct flame_pane *f)
{
    int flipped = f->flipped;

    if (f->built)
        ftree_free(&f->tree);
    flayout_free(&f->layout);
    free(f->zoom_stack);
    free(f->growth);
    free(f->net_self);
    memset(f, 0, sizeof *f);
    f->flipped = flipped;
}

void flame_pane_build_root(struct app *a, struct flame_pane *f, const int64_t *total)
{
    flame_pane_reset(f);
    if (a->p->base) {           /* values of either sign: draw what grew */
        f->growth = xmalloc(((size_t)a->p->trie.count + 1) * sizeof *f->growth);
        ftree_growth(a->p, total, f->growth);
        f->net_self = xmalloc(((size_t)a->p->trie.count + 1) * sizeof *f->net_self);
        ftree_node_selves(a->p, total, f->net_self);
        f->net_total = total;
        total = f->growth;
    }
    ftree_init_root(&f->tree, a->p, total);
    f->built = 1;
}

void flame_pane_build_diff(struct app *a, struct flame_pane *f)
{
    flame_pane_reset(f);
    ftree_init_diff(&f->tree, a->p, a->side[0].total, a->side[1].total);
    f->built = 1;
}

void flame_pane_build_function(struct app *a, struct flame_pane *f, uint32_t frame,
                               enum ftree_direction dir)
{
    int64_t self = 0;
    uint32_t nocc;
    const uint32_t *occ;

    for (uint32_t i = 0; i < a->side[0].flat.count; i++)
        if (a->side[0].flat.rows[i].frame == frame)
            self = a->side[0].flat.rows[i].self;
    occ = jobs_occurrences(a, frame, &nocc);

    flame_pane_reset(f);
    ftree_init_occurrences(&f->tree, a->p, a->side[0].total, frame, dir, self, occ, nocc);
    f->built = 1;
    f->flipped = dir == FTREE_CALLERS;
}

uint32_t flame_pane_frame(const struct flame_pane *f, uint32_t node)
{
    return f->tree.node[node].frame;
}

static uint32_t depth_of(const struct flame_pane *f, uint32_t n)
{
    return f->tree.node[n].depth;
}

/* The ancestor of n at depth d (d <= depth of n). */
static uint32_t ancestor_at(const struct flame_pane *f, uint32_t n, uint32_t d)
{
    for (uint32_t k = depth_of(f, n); k > d; k--)
        n = f->tree.node[n].parent;
    return n;
}

static int is_ancestor(const struct flame_pane *f, uint32_t anc, uint32_t n)
{
    for (; n != FTREE_NONE; n = f->tree.node[n].parent)
        if (n == anc)
            return 1;
    return 0;
}

/* Only a window of rows is laid out (what flamegraph.pl leaves out by its
 * minimum width, a deep chain of full-width nodes would still cost a box
 * per node): at least LAYOUT_ROWS rows, or four screens, from a little
 * above the first row asked for. */
#define LAYOUT_ROWS 256

static uint32_t window_rows(const struct flame_pane *f)
{
    uint32_t screens = f->area.h > 0 ? 4 * (uint32_t)f->area.h : 0;

    return screens > LAYOUT_ROWS ? screens : LAYOUT_ROWS;
}

/* Lays out again when the width changed or row `rel` (from the zoomed
 * root) lies outside the window kept. */
static void ensure_rows(struct flame_pane *f, int width, uint32_t rel)
{
    const struct flayout *l = &f->layout;
    uint32_t n = window_rows(f), first;

    if (f->layout_w == width &&
        (rel >= l->first && (rel - l->first < l->rows || !l->more)))
        return;
    if (f->layout_w == width && rel < l->first)    /* going up: keep most of it below */
        first = rel > n / 4 * 3 ? rel - n / 4 * 3 : 0;
    else
        first = rel > n / 4 ? rel - n / 4 : 0;
    ftree_layout_window(&f->tree, f->zoom, width, first, n, &f->layout);
    f->layout_w = width;
}

static void ensure_layout(struct flame_pane *f, int width)
{
    uint32_t zd = depth_of(f, f->zoom), sd = depth_of(f, f->sel);

    ensure_rows(f, width, sd > zd ? sd - zd : 0);
}

static void select_node(struct app *a, struct flame_pane *f, uint32_t n)
{
    f->sel = n;
    if (f->tree.node[n].frame != TRIE_NO_FRAME)
        a->sel_frame = f->tree.node[n].frame;
}

/* The boxes of absolute depth d: [*first, *end) of the layout (laid out
 * again if d is outside its window), or none for the path rows above the
 * zoomed root and below the deepest row. */
static int row_boxes(struct flame_pane *f, uint32_t d, uint32_t *first, uint32_t *end)
{
    uint32_t zd = depth_of(f, f->zoom), rel;

    if (d < zd || f->layout_w <= 0)
        return 0;
    rel = d - zd;
    ensure_rows(f, f->layout_w, rel);
    if (rel < f->layout.first || rel - f->layout.first >= f->layout.rows)
        return 0;
    *first = f->layout.row_start[rel - f->layout.first];
    *end = f->layout.row_start[rel - f->layout.first + 1];
    return 1;
}

static enum role box_role(const struct app *a, const struct flame_pane *f, uint32_t n,
                          int focused)
{
    uint32_t frame = f->tree.node[n].frame;

    if (n == f->sel)
        return ROLE_SELECTED;
    /* While another pane (the table) has the keyboard, show where its
     * selected function runs, as Pyroscope does. */
    if (!focused && !a->searching && frame == a->sel_frame)
        return ROLE_MATCH;
    if (a->searching)
        return frame != TRIE_NO_FRAME && app_frame_matches(a, frame) ? ROLE_MATCH
                                                                     : ROLE_FLAME_FADED;
    return ROLE_FLAME;
}

/* Without colors a bar is plain text, so its end gets a rule in the gap to
 * its neighbour, and a diff bar starts with '+' (grew) or '-' (shrank),
 * which stays when it is selected or matches. */
static uint32_t mono_mark(const struct app *a, const struct flame_pane *f, uint32_t n)
{
    int level;

    if (!a->mono || !f->tree.base)
        return 0;
    level = (int)diff_color(a, f, n) - DIFF_LEVELS;
    return level > 0 ? '+' : level < 0 ? '-' : 0;
}

static void draw_box(struct app *a, struct flame_pane *f, struct canvas *c, int x, int y, int w,
                     uint32_t n, int focused)
{
    uint32_t frame = f->tree.node[n].frame, mark = mono_mark(a, f, n);
    enum role role = box_role(a, f, n, focused);
    uint8_t hue = frame == TRIE_NO_FRAME ? 0 : app_frame_hue(a, frame);
    int inner = w > 1 ? w - 1 : w;      /* a one-column gap separates neighbours */
    uint32_t rule = a->utf8 ? 0x258F : '|';

    if (f->tree.base && role == ROLE_FLAME) {   /* a diff: red grew, green shrank */
        role = ROLE_DIFF;
        hue = diff_color(a, f, n);
    }
    canvas_fill(c, x, y, inner, a->mono && inner == 1 && !mark ? rule : ' ', role, hue);
    if (a->mono && w > 1)
        canvas_fill(c, x + inner, y, 1, rule, ROLE_BORDER, 0);
    if (mark) {
        canvas_fill(c, x++, y, 1, mark, role, hue);
        inner--;
    }
    if (inner >= 2) {           /* the name read only where it shows: most boxes are narrow */
        size_t len = 5;
        const char *name = frame == TRIE_NO_FRAME ? "total" : app_frame_name(a, frame, &len);

        canvas_text(c, x, y, inner, name, len, role, hue);
    }
}

static void keep_selection_visible(struct flame_pane *f, int height)
{
    int d = (int)depth_of(f, f->sel);

    if (d < f->scroll)
        f->scroll = d;
    if (d >= f->scroll + height)
        f->scroll = d - height + 1;
    if (f->scroll < 0)
        f->scroll = 0;
}

static int row_y(const struct flame_pane *f, struct rect r, uint32_t d)
{
    int i = (int)d - f->scroll;

    return f->flipped ? r.y + r.h - 1 - i : r.y + i;
}

void flame_pane_draw(struct app *a, struct flame_pane *f, struct canvas *c, struct rect r,
                     int focused)
{
    uint32_t zd;

    f->area = r;
    if (r.w <= 0 || r.h <= 0)
        return;
    if (!f->tree.node[0].value) {
        canvas_print(c, r.x, r.y, r.w, f->growth ? "(nothing grew over the base: the table "
                     "shows what shrank)" : "(no samples of this type here)", ROLE_DIM);
        return;
    }
    ensure_layout(f, r.w);
    keep_selection_visible(f, r.h);
    zd = depth_of(f, f->zoom);
    for (uint32_t d = (uint32_t)f->scroll; (int)d < f->scroll + r.h; d++) {
        uint32_t b, end;
        int y = row_y(f, r, d);

        if (d < zd) {
            draw_box(a, f, c, r.x, y, r.w, ancestor_at(f, f->zoom, d), focused);
            continue;
        }
        if (!row_boxes(f, d, &b, &end))
            break;
        for (; b < end; b++)
            draw_box(a, f, c, r.x + f->layout.box[b].x, y, f->layout.box[b].w,
                     f->layout.box[b].node, focused);
    }
}

/* --- navigation --- */

static int go_parent(struct app *a, void *pane)
{
    struct flame_pane *f = pane;

    if (f->tree.node[f->sel].parent == FTREE_NONE)
        return R_NONE;
    select_node(a, f, f->tree.node[f->sel].parent);
    return R_REDRAW;
}

static int go_child(struct app *a, void *pane)
{
    struct flame_pane *f = pane;
    uint32_t d = depth_of(f, f->sel), b, end, best = FTREE_NONE;

    if (d < depth_of(f, f->zoom)) {     /* on the path above the zoomed root */
        select_node(a, f, ancestor_at(f, f->zoom, d + 1));
        return R_REDRAW;
    }
    if (!row_boxes(f, d + 1, &b, &end))
        return R_NONE;
    for (; b < end; b++) {
        uint32_t n = f->layout.box[b].node;

        if (f->tree.node[n].parent == f->sel &&
            (best == FTREE_NONE || f->tree.node[n].value > f->tree.node[best].value))
            best = n;
    }
    if (best == FTREE_NONE)
        return R_NONE;
    select_node(a, f, best);
    return R_REDRAW;
}

static int go_sibling(struct app *a, struct flame_pane *f, int dir)
{
    uint32_t b, end;

    if (!row_boxes(f, depth_of(f, f->sel), &b, &end))
        return R_NONE;
    for (uint32_t i = b; i < end; i++) {
        if (f->layout.box[i].node != f->sel)
            continue;
        if ((dir < 0 && i == b) || (dir > 0 && i + 1 == end))
            return R_NONE;
        select_node(a, f, f->layout.box[dir < 0 ? i - 1 : i + 1].node);
        return R_REDRAW;
    }
    return R_NONE;
}

static int go_left(struct app *a, void *pane) { return go_sibling(a, pane, -1); }
static int go_right(struct app *a, void *pane) { return go_sibling(a, pane, 1); }
/* Up and down follow the picture: toward the root in an icicle, away from it
 * when flipped. */
static int go_up(struct app *a, void *pane)
{
    return ((struct flame_pane *)pane)->flipped ? go_child(a, pane) : go_parent(a, pane);
}
static int go_down(struct app *a, void *pane)
{
    return ((struct flame_pane *)pane)->flipped ? go_parent(a, pane) : go_child(a, pane);
}

static void set_zoom(struct flame_pane *f, uint32_t n)
{
    f->zoom = n;
    f->layout_w = 0;
    if (!is_ancestor(f, f->zoom, f->sel) && !is_ancestor(f, f->sel, f->zoom))
        f->sel = f->zoom;
}

static int zoom_in(struct app *a, void *pane)
{
    struct flame_pane *f = pane;

    (void)a;
    if (f->sel == f->zoom)
        return R_NONE;
    if (f->zoom_depth == f->zoom_cap) {
        f->zoom_cap = f->zoom_cap ? f->zoom_cap * 2 : 16;
        f->zoom_stack = xreallocarray(f->zoom_stack, f->zoom_cap, sizeof *f->zoom_stack);
    }
    f->zoom_stack[f->zoom_depth++] = f->zoom;
    set_zoom(f, f->sel);
    return R_REDRAW;
}

static int zoom_out(struct app *a, void *pane)
{
    struct flame_pane *f = pane;

    (void)a;
    if (f->zoom_depth)
        set_zoom(f, f->zoom_stack[--f->zoom_depth]);
    else if (f->tree.node[f->zoom].parent != FTREE_NONE)
        set_zoom(f, f->tree.node[f->zoom].parent);
    else
        return R_NONE;
    return R_REDRAW;
}

static int zoom_reset(struct app *a, void *pane)
{
    struct flame_pane *f = pane;

    (void)a;
    f->zoom_depth = 0;
    set_zoom(f, 0);
    return R_REDRAW;
}

static int flip(struct app *a, void *pane)
{
    (void)a;
    ((struct flame_pane *)pane)->flipped ^= 1;
    return R_REDRAW;
}

/* The ancestor of the selection `up` rows above it (or the root). */
static uint32_t ancestor_up(struct flame_pane *f, uint32_t up)
{
    uint32_t d = depth_of(f, f->sel);
    long want = (long)d - (long)up;
    uint32_t n = f->sel;

    if (want < 0)
        want = 0;
    while (depth_of(f, n) > (uint32_t)want && f->tree.node[n].parent != FTREE_NONE)
        n = f->tree.node[n].parent;
    return n;
}

static int page_up(struct app *a, void *pane)
{
    select_node(a, pane, ancestor_up(pane, 10));
    return R_REDRAW;
}

/* PgUp's mirror: ten rows down along the largest child (as j goes). */
static int page_down(struct app *a, void *pane)
{
    int moved = 0;

    while (moved < 10 && go_child(a, pane) == R_REDRAW)
        moved++;
    return moved ? R_REDRAW : R_NONE;
}

static int go_root(struct app *a, void *pane)
{
    struct flame_pane *f = pane;

    select_node(a, f, f->zoom);
    return R_REDRAW;
}

int flame_pane_next_match(struct app *a, struct flame_pane *f, int dir)
{
    size_t n = f->layout.count, at = n;

    if (!a->searching || !n)
        return R_NONE;
    for (size_t i = 0; i < n; i++)
        if (f->layout.box[i].node == f->sel)
            at = i;
    for (size_t k = 1; k <= n; k++) {
        size_t i = at == n ? (dir > 0 ? k - 1 : n - k) : (at + n + (dir > 0 ? k : n - k)) % n;
        uint32_t node = f->layout.box[i].node, frame = f->tree.node[node].frame;

        if (frame != TRIE_NO_FRAME && app_frame_matches(a, frame)) {
            select_node(a, f, node);
            return R_REDRAW;
        }
    }
    snprintf(a->message, sizeof a->message, "no match on screen");
    return R_REDRAW;
}

static int next_match(struct app *a, void *pane) { return flame_pane_next_match(a, pane, 1); }
static int prev_match(struct app *a, void *pane) { return flame_pane_next_match(a, pane, -1); }

int flame_pane_key(struct app *a, struct flame_pane *f, int key)
{
    if (!f->built || !f->tree.node[0].value)
        return R_UNHANDLED;
    if (f->area.w > 0)          /* keys may come before the first draw */
        ensure_layout(f, f->area.w);
    return keymap_dispatch(&keymap_flame, a, f, key);
}

int flame_pane_click(struct app *a, struct flame_pane *f, int x, int y, int dbl)
{
    struct rect r = f->area;
    int i = f->flipped ? r.y + r.h - 1 - y : y - r.y;
    uint32_t d = (uint32_t)(f->scroll + i), b, end;

    if (x < r.x || x >= r.x + r.w || y < r.y || y >= r.y + r.h || !f->built)
        return R_NONE;
    if (d < depth_of(f, f->zoom)) {
        select_node(a, f, ancestor_at(f, f->zoom, d));
    } else if (row_boxes(f, d, &b, &end)) {
        for (; b < end; b++)
            if (x - r.x >= f->layout.box[b].x && x - r.x < f->layout.box[b].x + f->layout.box[b].w)
                break;
        if (b == end)
            return R_NONE;
        select_node(a, f, f->layout.box[b].node);
    } else {
        return R_NONE;
    }
    return dbl ? zoom_in(a, f) | R_REDRAW : R_REDRAW;
}

static const struct binding flame_bindings[] = {
    { 'k', K_UP, "k Up", "select the parent (the child when flipped)", NULL, go_up },
    { 'j', K_DOWN, "j Down", "select the largest child (the parent when flipped)", NULL, go_down },
    { 'h', K_LEFT, "h Left", "select the previous node on the row", NULL, go_left },
    { 'l', K_RIGHT, "l Right", "select the next node on the row", NULL, go_right },
    { K_ENTER, 0, "Enter", "zoom into the selected node", "zoom", zoom_in },
    { K_BACKSPACE, K_ESC, "Bksp Esc", "zoom out one step", NULL, zoom_out },
    { '0', 0, "0", "reset the zoom", NULL, zoom_reset },
    { K_HOME, 'g', "g Home", "select the zoomed root", NULL, go_root },
    { K_PGUP, 0, "PgUp", "select the ancestor ten rows toward the root", NULL, page_up },
    { K_PGDN, 0, "PgDn", "select the descendant ten rows away from the root (largest child)",
      NULL, page_down },
    { 'i', 0, "i", "flip between icicle (root on top) and flame (root below)", "flip", flip },
    { 'n', 0, "n", "select the next search match", NULL, next_match },
    { 'N', 0, "N", "select the previous search match", NULL, prev_match },
};

const struct keymap keymap_flame = { "Flamegraph", flame_bindings,
                                     sizeof flame_bindings / sizeof *flame_bindings };

/* Remembers the frame path of n (root excluded) into path; returns its
 * length, at most cap. */
uint32_t flame_pane_path(const struct flame_pane *f, uint32_t n, uint32_t *path, uint32_t cap)
{
    uint32_t d = depth_of(f, n), len = d < cap ? d : cap;

    for (; d > 0; d--, n = f->tree.node[n].parent)
        if (d <= len)
            path[d - 1] = f->tree.node[n].frame;
    return len;
}

/* The node at the end of a frame path, or the deepest one that exists. */
uint32_t flame_pane_find(struct flame_pane *f, const uint32_t *path, uint32_t len)
{
    uint32_t n = 0;

    for (uint32_t i = 0; i < len; i++) {
        uint32_t first, k = ftree_children(&f->tree, n, &first), c;

        for (c = first; c < first + k; c++)
            if (f->tree.node[c].frame == path[i])
                break;
        if (c == first + k)
            break;
        n = c;
    }
    return n;
}

void flame_pane_set_view(struct flame_pane *f, uint32_t zoom, uint32_t sel)
{
    f->zoom = zoom;
    f->sel = sel;
    f->layout_w = 0;
    f->zoom_depth = 0;
}

#define PATH_MAX_DEPTH 256

/* Frame b stands for old frame a: the same frame, or (across a switch of
 * granularity: the old frames stay) the same function, or at files the
 * same file. */
static int stands_for(const struct profile *p, uint32_t a, uint32_t b)
{
    if (a == b)
        return 1;
    if (a >= p->nframes || b >= p->nframes)
        return 0;
    const struct frame *fa = &p->frames[a], *fb = &p->frames[b];

    if (fa->func && fb->func)
        return fa->func == fb->func;
    return fa->file && fa->file == fb->file;
}

/* flame_pane_find, a step on by the same frame, else by its heaviest
 * child that stands for it: the selection follows by function name. */
static uint32_t find_following(const struct app *a, struct flame_pane *f, const uint32_t *path,
                               uint32_t len)
{
    uint32_t n = 0;

    for (uint32_t i = 0; i < len; i++) {
        uint32_t first, k = ftree_children(&f->tree, n, &first), best = FTREE_NONE;

        for (uint32_t c = first; c < first + k; c++) {
            const struct fnode *cn = &f->tree.node[c];

            if (cn->frame == path[i]) {
                best = c;
                break;
            }
            if (stands_for(a->p, path[i], cn->frame) &&
                (best == FTREE_NONE || cn->value > f->tree.node[best].value))
                best = c;
        }
        if (best == FTREE_NONE)
            break;
        n = best;
    }
    return n;
}

void flame_pane_rebuild_side(struct app *a, int s)
{
    struct side *sd = &a->side[s];
    struct flame_pane *f = &sd->flame;
    uint32_t zpath[PATH_MAX_DEPTH] = { 0 }, spath[PATH_MAX_DEPTH] = { 0 }, zn = 0, sn = 0;

    if (f->built) {
        zn = flame_pane_path(f, f->zoom, zpath, PATH_MAX_DEPTH);
        sn = flame_pane_path(f, f->sel, spath, PATH_MAX_DEPTH);
    }
    flame_pane_build_root(a, f, sd->total);
    uint32_t zoom = flame_pane_find(f, zpath, zn), sel = find_following(a, f, spath, sn);

    /* a zoom that lost its path (a switch of granularity) is the root, and
     * the selection must stay inside it */
    flame_pane_set_view(f, zoom, zoom ? flame_pane_find(f, spath, sn) : sel);
}

uint8_t diff_color(const struct app *a, const struct flame_pane *f, uint32_t node)
{
    const struct fnode *n = &f->tree.node[node];
    double change = diff_change(n->base, a->side[0].flat.grand_total, n->value - n->base,
                                a->side[1].flat.grand_total);

    return (uint8_t)(diff_level(change) + DIFF_LEVELS);
}
