/* The source view (L): pprof's -list of the selected function in the
 * terminal. Its file (found as --list finds it: srcfile.h) with the self
 * and total of every line of the focused side, lines with samples
 * highlighted; it opens on the hottest line. When the file is not read,
 * the lines with samples alone, and why. A function in several files has
 * one section each. The model must be at lines (or addresses)
 * granularity: entering switches to lines first. q or Esc goes back.
 * Its state: the function's name, its listing, the files read, the rows
 * and the cursor. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "granularity.h"
#include "keymap.h"
#include "srcfile.h"
#include "srclist.h"
#include "view.h"
#include "xalloc.h"

/* One screen line: a section's title (a file after the first), why its
 * file was not read, or a line. */
enum { ROW_LINE, ROW_TITLE, ROW_WHY, ROW_CUT };

/* A file of more lines has rows only for those within VIEW_MARGIN of its
 * lines with samples: 16 Mi newlines would be 768 MiB of rows. */
#define VIEW_ALL_LINES 100000
#define VIEW_MARGIN 1000

struct row {
    int title;                  /* ROW_* */
    uint32_t file;              /* index into the listing's files */
    int64_t line, flat, cum;
    const char *text;           /* into the file read, or NULL */
    size_t len;
};

struct source_view {
    char *func;                 /* the function's name, as the frames have it */
    int side;
    struct srclist list;
    struct srcfile *src;        /* per file of the listing (data NULL: not read) */
    char **why;                 /* per file: why it was not read, or NULL */
    char **names;               /* per file: its name as --list writes it */
    char **cut;                 /* per file: what of it is not shown, or NULL */
    struct row *rows;
    uint32_t nrows, cur, top;
    int body;                   /* rows the last draw had */
    char note[256];             /* instead of rows: why there are none */
};

static void drop(struct source_view *v)
{
    for (uint32_t i = 0; i < v->list.nfiles; i++) {
        srcfile_free(&v->src[i]);
        free(v->why[i]);
        free(v->names[i]);
        free(v->cut[i]);
    }
    free(v->cut);
    free(v->src);
    free(v->why);
    free(v->names);
    srclist_free(&v->list);
    free(v->rows);
    v->src = NULL, v->why = NULL, v->names = NULL, v->cut = NULL, v->rows = NULL;
    v->nrows = v->cur = v->top = 0;
    v->note[0] = '\0';
}

static struct row *add_row(struct source_view *v)
{
    if (!(v->nrows & (v->nrows - 1)) || !v->nrows)
        v->rows = xreallocarray(v->rows, v->nrows ? 2 * (size_t)v->nrows : 64, sizeof *v->rows);
    memset(&v->rows[v->nrows], 0, sizeof *v->rows);
    return &v->rows[v->nrows++];
}

/* Reads file i of the listing as --list does. */
static void read_file(struct app *a, struct source_view *v, uint32_t i)
{
    const char *search, *trim;
    char *trimmed, *name, err[512];

    srcfile_paths(&search, &trim);
    trimmed = srcfile_trim(profile_str(a->p, v->list.files[i].file), trim ? trim : "",
                           search ? search : "");
    name = srcfile_clean(trimmed);
    if (srcfile_read(&v->src[i], name, search, trim, err, sizeof err))
        v->why[i] = xstrdup(err);
    v->names[i] = name;
    free(trimmed);
}

/* Which lines of file i get rows: all, or those near its samples (a
 * large file), and what the view says of the rest. */
static void shown_lines(struct source_view *v, uint32_t i, int64_t *lo, int64_t *hi)
{
    const struct srclist_file *sf = &v->list.files[i];
    const struct srcfile *src = &v->src[i];
    char buf[200] = "";

    *lo = 1, *hi = (int64_t)src->nlines;
    if (src->nlines > VIEW_ALL_LINES) {
        *lo = sf->lines[0].line - VIEW_MARGIN < 1 ? 1 : sf->lines[0].line - VIEW_MARGIN;
        if (sf->lines[sf->nlines - 1].line + VIEW_MARGIN < *hi)
            *hi = sf->lines[sf->nlines - 1].line + VIEW_MARGIN;
        snprintf(buf, sizeof buf, "lines %lld-%lld of %zu shown (those within %d of the samples)",
                 (long long)*lo, (long long)*hi, src->nlines, VIEW_MARGIN);
    }
    if (src->truncated)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%sthe file was cut at %u MiB: "
                 "later lines, numbers alone", *buf ? "; " : "", SRCFILE_MAX_BYTES >> 20);
    if (*buf)
        v->cut[i] = xstrdup(buf);
}

/* File i's rows: every line of the file (near its samples when it is
 * large), with the listing's numbers; or, not read, its lines with
 * samples alone. */
static void file_rows(struct source_view *v, uint32_t i)
{
    const struct srclist_file *sf = &v->list.files[i];
    const struct srcfile *src = &v->src[i];
    uint32_t k = 0;
    int64_t lo = 1, hi = 0;
    struct row *r;

    if (i) {
        r = add_row(v);
        r->title = ROW_TITLE, r->file = i;
    }
    if (v->why[i]) {
        r = add_row(v);
        r->title = ROW_WHY, r->file = i;
    }
    if (src->data)
        shown_lines(v, i, &lo, &hi);
    if (v->cut[i]) {
        r = add_row(v);
        r->title = ROW_CUT, r->file = i;
    }
    for (int64_t n = lo; src->data && n <= hi; n++) {
        r = add_row(v);
        r->file = i, r->line = n;
        r->text = srcfile_line(src, n, &r->len);
        while (k < sf->nlines && sf->lines[k].line < n)
            k++;
        if (k < sf->nlines && sf->lines[k].line == n)
            r->flat = sf->lines[k].flat, r->cum = sf->lines[k].cum;
    }
    for (; k < sf->nlines; k++) {       /* past what was read, or all of them */
        r = add_row(v);
        r->file = i, r->line = sf->lines[k].line;
        r->flat = sf->lines[k].flat, r->cum = sf->lines[k].cum;
    }
}

/* The hottest line of every section: the largest flat, then total. */
static uint32_t hottest(const struct source_view *v)
{
    uint32_t best = 0;

    for (uint32_t i = 1; i < v->nrows; i++) {
        const struct row *r = &v->rows[i], *b = &v->rows[best];

        if (!r->title && (b->title || r->flat > b->flat || (r->flat == b->flat && r->cum > b->cum)))
            best = i;
    }
    return best;
}

/* The listing of v->func from side v->side's values, its files read. */
static void build(struct app *a, struct source_view *v)
{
    const struct side *sd = &a->side[v->side];
    uint32_t id;

    drop(v);
    if (!sd->ready || !sd->total || sd->ntotal < a->p->trie.count) {
        snprintf(v->note, sizeof v->note, "(waiting for side %c's values)", "AB"[v->side]);
        return;
    }
    id = strtab_find(&a->p->strings, v->func, strlen(v->func));
    if (id)
        srclist_build(a->p, sd->total, srclist_match_id, &id, &v->list);
    if (!v->list.nfiles) {
        snprintf(v->note, sizeof v->note, "no line numbers for %.200s in side %c's samples",
                 v->func, "AB"[v->side]);
        return;
    }
    v->src = xcalloc(v->list.nfiles, sizeof *v->src);
    v->why = xcalloc(v->list.nfiles, sizeof *v->why);
    v->names = xcalloc(v->list.nfiles, sizeof *v->names);
    v->cut = xcalloc(v->list.nfiles, sizeof *v->cut);
    for (uint32_t i = 0; i < v->list.nfiles; i++) {
        if (v->list.files[i].file)
            read_file(a, v, i);
        else
            v->why[i] = xstrdup("no source information"), v->names[i] = xstrdup("?");
        file_rows(v, i);
    }
    v->cur = hottest(v);
}

static int at_lines(const struct app *a)
{
    return a->p->granularity == GRAN_LINES || a->p->granularity == GRAN_ADDRESSES;
}

/* Whether L was pressed on a flamegraph's root (no function: a->sel_frame
 * is then the last function selected elsewhere, not what is on screen).
 * The pane is the one the view before had focused, once it was drawn
 * (--view source opens on the hottest function). */
static int on_flame_root(struct app *a)
{
    const struct view_class *pv = view_classes[a->prev_view];
    struct flame_pane *fp;
    int focus = a->focus;

    if (!pv->flame || a->prev_view == a->view)
        return 0;
    a->focus = a->prev_focus;   /* its pane, as it was focused */
    fp = pv->flame(a, a->view_state[a->prev_view]);
    a->focus = focus;
    return fp && fp->built && fp->area.w > 0 && fp->tree.node[fp->sel].frame == TRIE_NO_FRAME;
}

/* Entered from another view (L): the selected function, at line
 * granularity (switched to when the model is not). */
static void enter(struct app *a, void *st)
{
    struct source_view *v = st;
    const struct frame *f;
    size_t len;
    const char *name;

    if (a->sel_frame >= a->p->nframes || on_flame_root(a)) {
        snprintf(a->message, sizeof a->message, "L: select a function first");
        drop(v);
        snprintf(v->note, sizeof v->note, "%s", a->message);
        app_back(a);
        return;
    }
    f = &a->p->frames[a->sel_frame];
    name = f->func ? profile_str(a->p, f->func) : app_frame_name(a, a->sel_frame, &len);
    free(v->func);
    v->func = xstrdup(name);
    v->side = app_prev_side(a);
    if (!at_lines(a) && a->set_granularity(a, GRAN_LINES) < 0) {
        drop(v);                /* shown until the core goes back (--view source) */
        snprintf(v->note, sizeof v->note, "%s", a->message);
        app_back(a);            /* a.message says why */
        return;
    }
    build(a, v);
}

/* The values changed; at a granularity without lines (r pressed here) the
 * listing would lose its samples: back to the view L was pressed in. */
static void requery(struct app *a, void *st, int s)
{
    struct source_view *v = st;

    if (!v->func)
        return;
    if (!at_lines(a)) {
        drop(v);
        free(v->func);
        v->func = NULL;
        if (a->view_state[a->view] == st) {
            snprintf(a->message, sizeof a->message, "source view left: %s granularity has no "
                     "lines (L lists at lines)", granularity_name(a->p->granularity));
            app_back(a);
        }
        return;
    }
    if (s == v->side || s == CHANGED_TYPE)
        build(a, v);
}

static const char *section_title(struct app *a, struct source_view *v, uint32_t i, char *buf,
                                 size_t n)
{
    const struct srclist_file *sf = &v->list.files[i];
    /* of the side's total before the filters, as the table's shares */
    int64_t whole = a->side[v->side].whole ? a->side[v->side].whole : v->list.total;
    char flat[32], cum[32];

    app_format(a, sf->flat, flat, sizeof flat);
    app_format(a, sf->cum, cum, sizeof cum);
    snprintf(buf, n, "%s in %s   flat %s  cum %s (%.2f%% of total)", v->func, v->names[i],
             flat, cum, whole ? 100.0 * fabs((double)sf->cum / (double)whole) : 0.0);
    return buf;
}

/* The text of a source line, tabs to the next multiple of 8 columns (the
 * rest is escaped by canvas_text). */
static size_t expand_tabs(const char *s, size_t len, char *out, size_t n)
{
    size_t w = 0;

    for (size_t i = 0; i < len && w + 8 < n; i++) {
        if (s[i] != '\t') {
            out[w++] = s[i];
            continue;
        }
        do
            out[w++] = ' ';
        while (w % 8);
    }
    return w;
}

static void draw_row(struct app *a, struct source_view *v, struct canvas *c, struct rect r,
                     int y, uint32_t i)
{
    const struct row *row = &v->rows[i];
    enum role role = i == v->cur ? ROLE_SELECTED : row->flat || row->cum ? ROLE_HOT : ROLE_NORMAL;
    char buf[SRCFILE_LINE_MAX + 64], flat[32] = ".", cum[32] = ".";
    size_t len;

    if (row->title == ROW_TITLE) {
        canvas_print(c, r.x, y, r.w, section_title(a, v, row->file, buf, sizeof buf),
                     ROLE_HEADER);
        return;
    }
    if (row->title == ROW_WHY || row->title == ROW_CUT) {
        if (row->title == ROW_WHY)
            snprintf(buf, sizeof buf, "(the lines alone: %s)", v->why[row->file]);
        else
            snprintf(buf, sizeof buf, "(%s)", v->cut[row->file]);
        canvas_print(c, r.x + 1, y, r.w - 1, buf, i == v->cur ? ROLE_SELECTED : ROLE_DIM);
        return;
    }
    if (row->flat)
        app_format(a, row->flat, flat, sizeof flat);
    if (row->cum)
        app_format(a, row->cum, cum, sizeof cum);
    canvas_fill(c, r.x, y, r.w, ' ', role, 0);
    snprintf(buf, sizeof buf, "%10s %10s %6lld: ", flat, cum, (long long)row->line);
    int x = canvas_print(c, r.x, y, r.w, buf, role);
    if (row->text && x < r.w) {
        len = expand_tabs(row->text, row->len, buf, sizeof buf);
        canvas_text(c, r.x + x, y, r.w - x, buf, len, role, 0);
    }
}

/* Keeps the cursor on screen, a few lines from the edges when it moved
 * far (it opens in the middle). */
static void follow(struct source_view *v, int h)
{
    if (h <= 0)
        return;
    if (v->cur < v->top || v->cur >= v->top + (uint32_t)h)
        v->top = v->cur > (uint32_t)h / 2 ? v->cur - (uint32_t)h / 2 : 0;
    if (v->nrows > (uint32_t)h && v->top > v->nrows - (uint32_t)h)
        v->top = v->nrows - (uint32_t)h;
}

static void draw(struct app *a, void *st, struct canvas *c, struct rect r)
{
    struct source_view *v = st;

    char buf[1024];

    if (!v->nrows) {
        canvas_print(c, r.x + 1, r.y, r.w - 1, v->note, ROLE_DIM);
        return;
    }
    /* the cursor's section is named on the first row, whatever the scroll */
    canvas_print(c, r.x, r.y, r.w, section_title(a, v, v->rows[v->cur].file, buf, sizeof buf),
                 ROLE_HEADER);
    r.y++, r.h--;
    v->body = r.h;
    follow(v, r.h);
    for (int y = 0; y < r.h && v->top + (uint32_t)y < v->nrows; y++)
        draw_row(a, v, c, r, r.y + y, v->top + (uint32_t)y);
}

static int move_to(struct source_view *v, int64_t to)
{
    uint32_t was = v->cur;

    if (!v->nrows)
        return R_NONE;
    v->cur = to < 0 ? 0 : to >= (int64_t)v->nrows ? v->nrows - 1 : (uint32_t)to;
    return v->cur == was ? R_NONE : R_REDRAW;
}

/* The next (dir 1) or previous (-1) line with samples, wrapping. */
static int next_hot(struct source_view *v, int dir)
{
    for (uint32_t k = 1; k <= v->nrows; k++) {
        uint32_t i = (uint32_t)(((int64_t)v->cur + dir * (int64_t)k + v->nrows) % v->nrows);

        if (!v->rows[i].title && (v->rows[i].flat || v->rows[i].cum))
            return move_to(v, i);
    }
    return R_NONE;
}

static int page(const struct source_view *v)
{
    return v->body > 1 ? v->body - 1 : 1;
}

static int down(struct app *a, void *st) { struct source_view *v = st; (void)a; return move_to(v, (int64_t)v->cur + 1); }
static int up(struct app *a, void *st) { struct source_view *v = st; (void)a; return move_to(v, (int64_t)v->cur - 1); }
static int pgdn(struct app *a, void *st) { struct source_view *v = st; (void)a; return move_to(v, (int64_t)v->cur + page(v)); }
static int pgup(struct app *a, void *st) { struct source_view *v = st; (void)a; return move_to(v, (int64_t)v->cur - page(v)); }
static int top(struct app *a, void *st) { (void)a; return move_to(st, 0); }
static int bottom(struct app *a, void *st) { (void)a; return move_to(st, INT64_MAX); }
static int hot_next(struct app *a, void *st) { (void)a; return next_hot(st, 1); }
static int hot_prev(struct app *a, void *st) { (void)a; return next_hot(st, -1); }

static int back(struct app *a, void *st)
{
    (void)st;
    app_back(a);
    return R_REDRAW;
}

static const struct binding source_bindings[] = {
    { 'L', 0, "L", "source of the selected function: each line's self and total (pprof's "
      "list; switches to line granularity)", NULL, NULL },
    { 'j', K_DOWN, "j Down", "next line", "line", down },
    { 'k', K_UP, "k Up", "previous line", NULL, up },
    { K_PGDN, ' ', "PgDn Space", "a page down", NULL, pgdn },
    { K_PGUP, 0, "PgUp", "a page up", NULL, pgup },
    { 'g', K_HOME, "g Home", "first line", NULL, top },
    { 'G', K_END, "G End", "last line", NULL, bottom },
    { 'n', 0, "n", "next line with samples", "hot", hot_next },
    { 'N', 0, "N", "previous line with samples", NULL, hot_prev },
    { 'q', K_ESC, "q Esc", "back to the view L was pressed in", "back", back },
};

static const struct keymap keymap_source = { "Source (L)", source_bindings,
                                             sizeof source_bindings / sizeof *source_bindings };

static int key(struct app *a, void *st, int k)
{
    return keymap_dispatch(&keymap_source, a, st, k);
}

static const struct keymap *hints(const struct app *a, void *st)
{
    (void)a, (void)st;
    return &keymap_source;
}

static void *init(struct app *a)
{
    (void)a;
    return xcalloc(1, sizeof(struct source_view));
}

static void source_free(struct app *a, void *st)
{
    struct source_view *v = st;

    (void)a;
    drop(v);
    free(v->func);
    free(v);
}

const struct view_class view_source = {
    .name = "Source", .open_key = 'L', .prev_side = 1, .help = { &keymap_source },
    .init = init, .free = source_free, .enter = enter, .requery = requery, .draw = draw,
    .key = key, .hints = hints,
};
