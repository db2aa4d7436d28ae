/* The explorer's state, event routing and screen layout: a header row, the
 * panes of the current view, a status bar and a key hint bar. */
#include "app.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"
#include "units.h"
#include "xalloc.h"


static const char *view_names[] = { "Flamegraph", "Table", "Both", "Sandwich", "Tags",
                                     "Comparison", "Diff" };

const char *app_frame_name(const struct app *a, uint32_t frame, size_t *len)
{
    uint32_t name = a->p->frames[frame].name;

    *len = strtab_len(&a->p->strings, name);
    return profile_str(a->p, name);
}

void app_format(const struct app *a, int64_t v, char *buf, size_t n)
{
    units_format(v, profile_str(a->p, a->p->types[a->type].unit), buf, n);
}

int app_frame_matches(const struct app *a, uint32_t frame)
{
    return a->searching && a->match[frame];
}

/* Counts the matching functions of each side's table (side B's once it has
 * values), then starts the pass that sums their share. */
void app_search_stats(struct app *a)
{
    a->match_count = a->match_count_b = 0;
    if (a->searching && a->match) {
        for (uint32_t i = 0; i < a->side[0].flat.count; i++)
            a->match_count += a->match[a->side[0].flat.rows[i].frame];
        for (uint32_t i = 0; a->side[1].ready && i < a->side[1].flat.count; i++)
            a->match_count_b += a->match[a->side[1].flat.rows[i].frame];
    }
    jobs_share_start(a);        /* the share comes in slices: see jobs.c */
}

static int has_upper(const char *s)
{
    for (; *s; s++)
        if (isupper((unsigned char)*s))
            return 1;
    return 0;
}

int app_set_search(struct app *a, const char *pattern)
{
    regex_t re;
    int err;

    a->message[0] = '\0';
    if (!*pattern) {
        if (a->searching)
            regfree(&a->re);
        a->searching = 0;
        a->search[0] = '\0';
    } else {
        const char *risk;
        size_t at;

        if ((risk = selector_regex_risk(pattern, &at))) {
            snprintf(a->message, sizeof a->message, "bad pattern at %zu: %s", at + 1, risk);
            return -1;
        }
        /* Smart case, as in less -i and vim: lower case ignores case. */
        err = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB | (has_upper(pattern) ? 0 : REG_ICASE));
        if (err) {
            char why[200];

            regerror(err, &re, why, sizeof why);
            snprintf(a->message, sizeof a->message, "bad pattern: %s", why);
            return -1;
        }
        if (a->searching)
            regfree(&a->re);
        a->re = re;
        a->searching = 1;
        snprintf(a->search, sizeof a->search, "%s", pattern);
        for (uint32_t f = 0; f < a->p->nframes; f++)
            a->match[f] = regexec(&a->re, profile_str(a->p, a->p->frames[f].name), 0, NULL, 0) == 0;
    }
    app_search_stats(a);
    table_pane_rebuild(a);
    return 0;
}

static void init_time(struct app *a);

/* Computes values for the sample type and rebuilds what derives from them,
 * keeping the flamegraph's zoom and selection where their paths still exist. */
/* Recomputes side s and what derives from it. */
static void requery_side(struct app *a, int s)
{
    if (a->type != a->tl_type)  /* a new sample type (t, or a query's): new steps */
        init_time(a);
    side_requery(a, s);         /* and the search's counts */
    flame_pane_reset(&a->diff);
    a->diff_built = 0;
    if (s)
        return;
    flame_pane_reset(&a->callers);   /* the sandwich, the table, the tags: side 0 */
    flame_pane_reset(&a->callees);
    a->sandwich_frame = UINT32_MAX;
    a->tags_built = 0;
    table_pane_rebuild(a);
}

/* A new sample type: every side again. */
static void requery(struct app *a)
{
    requery_side(a, 0);
    if (a->side[1].ready)
        requery_side(a, 1);
}

static int two_sides(const struct app *a);

int app_set_query(struct app *a, int s, const char *query)
{
    int r = side_set_query(a, s, query);

    if (r < 0)
        return -1;
    if (r > 0) {                /* a new sample type: every side again */
        side_ready(a, s);
        requery(a);
        if (two_sides(a))
            snprintf(a->message, sizeof a->message, "sample type %s, on both sides",
                     profile_str(a->p, a->p->types[a->type].type));
        return 0;
    }
    if (!a->side[s].ready)
        side_ready(a, s);       /* computes it */
    else
        requery_side(a, s);
    return 0;
}

static const struct profile *rank_profile;

static int by_frame_name(const void *x, const void *y)
{
    const struct profile *p = rank_profile;

    return query_name_cmp(p, p->frames[*(const uint32_t *)x].name,
                          p->frames[*(const uint32_t *)y].name);
}

/* Ranks every function by name once, so that sorts compare integers. */
static uint32_t *rank_names(const struct profile *p)
{
    uint32_t *order = xmalloc(((size_t)p->nframes + 1) * sizeof *order);
    uint32_t *rank = xmalloc(((size_t)p->nframes + 1) * sizeof *rank);

    for (uint32_t f = 0; f < p->nframes; f++)
        order[f] = f;
    rank_profile = p;
    qsort(order, p->nframes, sizeof *order, by_frame_name);
    for (uint32_t i = 0; i < p->nframes; i++)
        rank[order[i]] = i;
    free(order);
    return rank;
}

/* The timeline of the current sample type: one bucket per distinct time of
 * the profiles that have it, up to 100 (a folder of profiles taken every few
 * seconds gets one step per capture; heap snapshots among CPU profiles are
 * no CPU steps). Again when the type changes; each side keeps its time
 * range, shown on the new buckets. */
static void init_time(struct app *a)
{
    uint32_t distinct = timeline_distinct(a->p, a->type);

    timeline_free(&a->tl);
    timeline_init(&a->tl, a->p, a->type, distinct > 100 ? 100 : distinct > 1 ? distinct : 0);
    a->tl_type = a->type;
    for (int i = 0; i < 2; i++) {
        struct side *sd = &a->side[i];

        free(a->tl_series[i]);
        a->tl_series[i] = xcalloc(a->tl.buckets + 1, sizeof *a->tl_series[i]);
        a->tl_valid[i] = 0;
        timeline_range(&a->tl, a->p, sd->sel.from, sd->sel.until, &sd->lo, &sd->hi);
    }
    tags_retype(a);
}

const int64_t *app_type_totals(struct app *a)
{
    if (!a->type_totals) {
        a->type_totals = xcalloc((size_t)a->p->ntypes + 1, sizeof *a->type_totals);
        query_type_totals(a->p, a->type_totals);
    }
    return a->type_totals;
}

/* main opens on another type when the profile's default has no samples
 * (query_nonempty_type): the first screen says so. */
static void note_empty_default(struct app *a)
{
    uint32_t d = a->p->default_type;

    if (a->type == d || d >= a->p->ntypes ||
        query_nonempty_in(app_type_totals(a), a->p->ntypes, d) == d)
        return;
    snprintf(a->message, sizeof a->message,
             "the profile's default type %s has no samples: showing %s (t picks another)",
             profile_str(a->p, a->p->types[d].type), profile_str(a->p, a->p->types[a->type].type));
}

void app_init(struct app *a, struct profile *p, uint32_t type, const struct side_spec *spec,
              const char *title, int utf8)
{
    memset(a, 0, sizeof *a);
    a->p = p;
    a->type = type;
    a->title = title;
    a->utf8 = utf8;
    trie_index(&p->trie);
    for (int i = 0; i < 2; i++)
        side_init(a, i, spec ? &spec[i] : NULL);
    a->tag_mark = UINT32_MAX;
    a->drag_x = -1;
    init_time(a);
    side_ready(a, 0);
    if (spec && spec[1].query)
        side_ready(a, 1);
    a->match = xcalloc(p->nframes + 1, 1);
    a->name_rank = rank_names(p);
    a->table.sort = COL_SELF;
    a->view = VIEW_BOTH;
    a->focus = 1;
    a->sel_frame = UINT32_MAX;
    requery(a);
    if (a->side[0].flat.count)          /* start on the hottest function */
        a->sel_frame = a->side[0].flat.rows[0].frame;
    table_pane_follow(a);
    note_empty_default(a);
}

void app_free(struct app *a)
{
    side_free(a, 0);
    side_free(a, 1);
    flame_pane_reset(&a->diff);
    diff_free(a);
    tags_free(a);
    timeline_free(&a->tl);
    free(a->tl_series[0]);
    free(a->tl_series[1]);
    flame_pane_reset(&a->callers);
    flame_pane_reset(&a->callees);
    free(a->table.rows);
    jobs_free(a);
    free(a->name_rank);
    free(a->type_totals);
    free(a->match);
    if (a->searching)
        regfree(&a->re);
}

void app_set_view(struct app *a, enum view_id v)
{
    a->view = v;
    if (v == VIEW_COMPARE || v == VIEW_DIFF)
        side_ready(a, 1);       /* the header and the status bar show both sides */
    a->focus = v == VIEW_SANDWICH || v == VIEW_BOTH || v == VIEW_DIFF ? 1 : 0;
    if (v == VIEW_TABLE || v == VIEW_BOTH)
        table_pane_follow(a);
}

/* --- global keys --- */

static int view_flame(struct app *a, void *p) { (void)p; app_set_view(a, VIEW_FLAME); return R_REDRAW; }
static int view_table(struct app *a, void *p) { (void)p; app_set_view(a, VIEW_TABLE); return R_REDRAW; }
static int view_both(struct app *a, void *p) { (void)p; app_set_view(a, VIEW_BOTH); return R_REDRAW; }
static int view_sandwich(struct app *a, void *p) { (void)p; app_set_view(a, VIEW_SANDWICH); return R_REDRAW; }
static int view_tags(struct app *a, void *p) { (void)p; app_set_view(a, VIEW_TAGS); return R_REDRAW; }
static int view_compare(struct app *a, void *p) { (void)p; app_set_view(a, VIEW_COMPARE); return R_REDRAW; }
static int view_diff(struct app *a, void *p) { (void)p; app_set_view(a, VIEW_DIFF); compare_enter_note(a); return R_REDRAW; }

static int next_focus(struct app *a, void *p)
{
    (void)p;
    if (a->view == VIEW_BOTH || a->view == VIEW_SANDWICH || a->view == VIEW_COMPARE ||
        a->view == VIEW_DIFF)
        a->focus ^= 1;
    if (a->view == VIEW_BOTH && a->focus == 0)
        table_pane_follow(a);
    return R_REDRAW;
}

static int quit(struct app *a, void *p) { (void)a; (void)p; return R_QUIT; }
static int help(struct app *a, void *p) { (void)p; a->overlay = OV_HELP; a->help_scroll = 0; return R_REDRAW; }
static int search(struct app *a, void *p) { (void)p; widget_search_open(a); return R_REDRAW; }

static int types(struct app *a, void *p)
{
    (void)p;
    a->overlay = OV_TYPES;
    a->menu_cursor = (int)a->type;
    return R_REDRAW;
}

static int redraw(struct app *a, void *p) { (void)a; (void)p; return R_REDRAW; }
static int query(struct app *a, void *p) { (void)p; widget_query_open(a); return R_REDRAW; }

static const struct binding global_bindings[] = {
    { '1', 0, "1", "flamegraph", "flame", view_flame },
    { '2', 0, "2", "table", "table", view_table },
    { '3', 0, "3", "table and flamegraph side by side", "both", view_both },
    { '4', 0, "4", "sandwich: callers above, callees below the selected function", "sandwich",
      view_sandwich },
    { K_TAB, K_BTAB, "Tab", "move focus between panes", NULL, next_focus },
    { '/', 0, "/", "search function names (POSIX extended regex; lower case ignores case)",
      "search", search },
    { 't', 0, "t", "pick the sample type (cpu, alloc_space, ...)", "type", types },
    { ':', 0, ":", "edit the query of the focused side: {label=\"value\", ...}", "query", query },
    { '?', K_F1, "? F1", "show every key", "help", help },
    { K_CTRL('l'), 0, "^L", "redraw the screen", NULL, redraw },
    { '5', 0, "5", "tag explorer: which label value behaves abnormally", NULL, view_tags },
    { '6', 0, "6", "comparison: two queries side by side (: edits the focused one)", NULL,
      view_compare },
    { '7', 0, "7", "diff: red where the share grew from A to B, green where it shrank", NULL,
      view_diff },
    { 'q', 0, "q", "quit", "quit", quit },
};

const struct keymap keymap_global = { "Everywhere", global_bindings,
                                      sizeof global_bindings / sizeof *global_bindings };

/* The pane that has the keyboard. */
static struct flame_pane *focused_flame(struct app *a)
{
    if (a->view == VIEW_FLAME || (a->view == VIEW_BOTH && a->focus == 1))
        return &a->side[0].flame;
    if (a->view == VIEW_SANDWICH && a->callers.built)
        return a->focus == 0 ? &a->callers : &a->callees;
    if (a->view == VIEW_COMPARE && a->side[1].ready)
        return &a->side[a->focus & 1].flame;
    if (a->view == VIEW_DIFF && a->focus == 1 && a->diff.built)
        return &a->diff;
    return NULL;
}

static int pane_key(struct app *a, int key)
{
    int r;

    if (a->view == VIEW_BOTH && (r = keymap_dispatch(&keymap_both, a, NULL, key)) != R_UNHANDLED)
        return r;
    if (a->view == VIEW_TABLE || (a->view == VIEW_BOTH && a->focus == 0))
        return table_pane_key(a, key);
    if (a->view == VIEW_SANDWICH)
        return sandwich_key(a, key);
    if (a->view == VIEW_COMPARE)
        return compare_key(a, key);
    if (a->view == VIEW_DIFF)
        return diff_key(a, key);
    if (a->view == VIEW_TAGS)
        return tags_key(a, key);
    return flame_pane_key(a, &a->side[0].flame, key);
}

static int overlay_key(struct app *a, int key)
{
    switch (a->overlay) {
    case OV_HELP: return widget_help_key(a, key);
    case OV_TYPES: return widget_types_key(a, key);
    case OV_SEARCH: return widget_search_key(a, key);
    case OV_QUERY: return widget_query_key(a, key);
    default: return R_UNHANDLED;
    }
}

static int mouse(struct app *a, const struct event *ev)
{
    int dbl = ev->mouse == M_DOUBLE, r = R_NONE;

    if (ev->mouse == M_PRESS || ev->mouse == M_RELEASE) {
        r = timeline_mouse(a, ev);
        if (r != R_UNHANDLED || ev->mouse == M_PRESS)
            return r == R_UNHANDLED ? R_NONE : r;
        /* a press and release that were no drag: a click where released */
        struct event click = *ev;

        click.mouse = M_CLICK;
        return mouse(a, &click);
    }
    if (ev->mouse == M_WHEEL_UP || ev->mouse == M_WHEEL_DOWN)
        return pane_key(a, ev->mouse == M_WHEEL_UP ? K_UP : K_DOWN);
    if (a->view == VIEW_SANDWICH)
        return sandwich_click(a, ev->x, ev->y, dbl);
    if (a->view == VIEW_COMPARE)
        return compare_click(a, ev->x, ev->y, dbl);
    if (a->view == VIEW_DIFF)
        return diff_click(a, ev->x, ev->y, dbl);
    if (a->view != VIEW_FLAME && (r = table_pane_click(a, ev->x, ev->y, dbl)) != R_NONE) {
        a->focus = 0;
        return r;
    }
    if (a->view != VIEW_TABLE && (r = flame_pane_click(a, &a->side[0].flame, ev->x, ev->y, dbl)) != R_NONE)
        a->focus = 1;
    return r;
}

int app_event(struct app *a, const struct event *ev)
{
    int r, closed_help = a->overlay == OV_HELP;

    if (ev->kind == EV_QUIT)
        return R_QUIT;
    if (ev->kind == EV_RESIZE)
        return R_REDRAW;
    a->message[0] = '\0';
    if (ev->kind == EV_MOUSE)
        r = a->overlay == OV_NONE ? mouse(a, ev) : R_NONE;
    else if (a->overlay != OV_NONE && (r = overlay_key(a, ev->key)) != R_UNHANDLED)
        ;                       /* the overlay took it (the help passes on what closes it) */
    else if ((r = pane_key(a, ev->key)) == R_UNHANDLED &&
             (r = keymap_dispatch(&keymap_time, a, NULL, ev->key)) == R_UNHANDLED)
        r = keymap_dispatch(&keymap_global, a, NULL, ev->key);
    if (closed_help && a->overlay == OV_NONE)
        r = (r == R_UNHANDLED ? R_NONE : r) | R_REDRAW;
    if (r & R_REQUERY) {
        requery(a);
        r |= R_REDRAW;
    }
    return r == R_UNHANDLED ? R_NONE : r;
}

/* --- drawing --- */

/* Whether two sides are on screen: every number then says whose it is. */
static int two_sides(const struct app *a)
{
    return (a->view == VIEW_COMPARE || a->view == VIEW_DIFF) && a->side[1].ready;
}

static void draw_header(struct app *a, struct canvas *c)
{
    char buf[512], total[2 * UNITS_BUF + 8], ta[UNITS_BUF], tb[UNITS_BUF];

    app_format(a, a->side[0].flat.grand_total, ta, sizeof ta);
    if (two_sides(a)) {         /* each side's own total */
        app_format(a, a->side[1].flat.grand_total, tb, sizeof tb);
        snprintf(total, sizeof total, "A %s  B %s", ta, tb);
    } else {
        snprintf(total, sizeof total, "%s", ta);
    }
    const char *q = a->side[0].query;
    int shown = strcmp(q, "{}") && !strstr(a->title, q) && a->view != VIEW_COMPARE &&
                a->view != VIEW_DIFF;

    snprintf(buf, sizeof buf, " ember  %s%s%s  %s (%s)  total %s  [%s]", a->title,
             shown ? " " : "", shown ? q : "", profile_str(a->p, a->p->types[a->type].type),
             profile_str(a->p, a->p->types[a->type].unit), total, view_names[a->view]);
    canvas_fill(c, 0, 0, c->w, ' ', ROLE_STATUS, 0);
    canvas_print(c, 0, 0, c->w, buf, ROLE_STATUS);
}

/* --- the status bar: the search, then the selection, per context --- */

/* Whether n lies in the zoomed subtree (the zoomed root included); the
 * path rows above it hold the zoom and more: no share "of zoom". */
static int in_zoom(const struct flame_pane *f, uint32_t n)
{
    for (; n != FTREE_NONE; n = f->tree.node[n].parent)
        if (n == f->zoom)
            return 1;
    return 0;
}

/* What the status bar describes on one side: the focused flamegraph's
 * node, else the selected function's row of side s's table. zoomed is the
 * zoomed root's value, 0 when no share "of zoom" applies: outside the
 * zoomed subtree, or when the zoom is the whole profile (it would repeat
 * the share of the total). */
static int status_target(struct app *a, int s, uint32_t *frame, int64_t *self, int64_t *total,
                         int64_t *zoomed)
{
    struct flame_pane *f = focused_flame(a);
    const struct flat *fl = &a->side[s].flat;

    if (f && f->built) {
        const struct fnode *n = &f->tree.node[f->sel];
        int whole = f->zoom == 0 && f->tree.node[0].frame == TRIE_NO_FRAME;

        *frame = n->frame, *self = ftree_self(&f->tree, f->sel), *total = n->value;
        *zoomed = !whole && in_zoom(f, f->sel) ? f->tree.node[f->zoom].value : 0;
        return 1;
    }
    for (uint32_t i = 0; i < fl->count; i++) {
        if (fl->rows[i].frame == a->sel_frame) {
            *frame = a->sel_frame, *self = fl->rows[i].self, *total = fl->rows[i].total;
            *zoomed = 0;
            return 1;
        }
    }
    return 0;
}

/* The selected frame's name and, where there is room for it and for the
 * `room` columns of numbers after it, its file and line. Returns x. */
static int status_name(struct app *a, struct canvas *c, int x, int y, uint32_t frame, int room)
{
    size_t len;
    const char *name;
    const struct frame *fr;

    if (frame == TRIE_NO_FRAME)
        return x + canvas_print(c, x, y, c->w - x, " total", ROLE_STATUS);
    name = app_frame_name(a, frame, &len);
    fr = &a->p->frames[frame];
    room = c->w - x - room;
    x += canvas_text(c, x + 1, y, room > 20 ? room - 1 : 20, name, len, ROLE_STATUS, 0) + 1;
    if (fr->file && room - x > 10) {
        char where[300];

        snprintf(where, sizeof where, " %s:%lld", profile_str(a->p, fr->file),
                 (long long)fr->line);
        x += canvas_print(c, x, y, room - x, where, ROLE_DIM);
    }
    return x;
}

/* The tag explorer's status bar: the selected value, its total and share,
 * its mean and deviation over the steps. */
static void draw_status_tags(struct app *a, struct canvas *c, int y)
{
    const struct tag_row *t;
    char tot[UNITS_BUF], pct[UNITS_BUF], mean[UNITS_BUF], dev[UNITS_BUF], sum[UNITS_BUF];
    char buf[800];
    const char *key;
    uint32_t steps = a->tl.buckets ? a->tl.buckets : 1;

    if (!a->tags_built || a->tag_cursor >= a->ntag_rows)
        return;
    t = &a->tag_rows[a->tag_cursor];
    app_format(a, t->total, tot, sizeof tot);
    units_percent(t->total, a->tag_sum, pct, sizeof pct);
    app_format(a, (int64_t)t->mean, mean, sizeof mean);
    app_format(a, (int64_t)t->stddev, dev, sizeof dev);
    app_format(a, a->tag_sum, sum, sizeof sum);
    key = profile_str(a->p, a->tag_keys[a->tag_key]);
    /* the share is of the samples that carry the label, as in the table */
    snprintf(buf, sizeof buf, " %s=\"%s\": %s, %s of %s with a %s, mean %s, stddev %s over %u "
             "step%s", key, profile_str(a->p, t->value), tot, pct, sum, key, mean, dev, steps,
             steps == 1 ? "" : "s");
    canvas_print(c, 0, y, c->w, buf, ROLE_STATUS);
}

/* One side's selection: self and total as shares of that side's total
 * ("of B" in a comparison), and of the zoomed root when inside the zoom. */
static void status_side(struct app *a, struct canvas *c, int x, int y, int s)
{
    uint32_t frame;
    int64_t self, total, zoomed, whole = a->side[s].flat.grand_total;
    char vs[UNITS_BUF], vt[UNITS_BUF], ps[UNITS_BUF], pt[UNITS_BUF], pz[UNITS_BUF], buf[512];
    char of[8] = "", zoom[64] = "";

    if (!status_target(a, s, &frame, &self, &total, &zoomed))
        return;
    if (two_sides(a))
        snprintf(of, sizeof of, " of %c", s ? 'B' : 'A');
    app_format(a, self, vs, sizeof vs);
    app_format(a, total, vt, sizeof vt);
    units_percent(self, whole, ps, sizeof ps);
    units_percent(total, whole, pt, sizeof pt);
    if (zoomed) {
        units_percent(total, zoomed, pz, sizeof pz);
        snprintf(zoom, sizeof zoom, ", %s of zoom", pz);
    }
    snprintf(buf, sizeof buf, " self %s (%s%s)  total %s (%s%s%s)  ", vs, ps, of, vt, pt, of,
             zoom);
    x = status_name(a, c, x, y, frame, (int)strlen(buf));
    canvas_print(c, x, y, c->w - x, buf, ROLE_STATUS);
}

/* The diff's selection: the diff flamegraph's node, else the diff table's
 * cursor row; v[0] is side A's total, v[1] side B's. */
static int diff_target(struct app *a, uint32_t *frame, int64_t v[2])
{
    if (a->focus == 1 && a->diff.built) {
        const struct fnode *n = &a->diff.tree.node[a->diff.sel];

        *frame = n->frame, v[0] = n->base, v[1] = n->value - n->base;
        return 1;
    }
    if (a->focus == 0 && a->diff_cursor < a->diff_count) {
        const struct diff_row *d = &a->diff_rows[a->diff_cursor];

        *frame = d->frame, v[0] = d->base_total, v[1] = d->new_total;
        return 1;
    }
    return 0;
}

/* Both sides' value of the selection, each a share of its own side's
 * total, and the change: in points, and relative to A's share. */
static void status_diff(struct app *a, struct canvas *c, int x, int y)
{
    uint32_t frame;
    int64_t v[2];
    char va[UNITS_BUF], vb[UNITS_BUF], pa[UNITS_BUF], pb[UNITS_BUF], pp[32], rel[32], buf[512];

    if (!a->diff_built || !diff_target(a, &frame, v))
        return;
    app_format(a, v[0], va, sizeof va);
    app_format(a, v[1], vb, sizeof vb);
    units_percent(v[0], a->side[0].flat.grand_total, pa, sizeof pa);
    units_percent(v[1], a->side[1].flat.grand_total, pb, sizeof pb);
    diff_change_text(a, v[0], v[1], pp, sizeof pp, rel, sizeof rel);
    snprintf(buf, sizeof buf, " A %s (%s)  B %s (%s)  %spp%s%s%s  ", va, pa, vb, pb, pp,
             *rel ? " (" : "", rel, *rel ? ")" : "");
    x = status_name(a, c, x, y, frame, (int)strlen(buf));
    canvas_print(c, x, y, c->w - x, buf, ROLE_STATUS);
}

/* The search: its matches and their share, on each side when two are on
 * screen. Returns the column after it. */
static int status_search(struct app *a, struct canvas *c, int y)
{
    char buf[512], pa[UNITS_BUF], pb[UNITS_BUF];
    const char *wait = a->utf8 ? "\u2026%" : "...%";

    if (!a->searching)
        return 0;
    if (a->share_ready) {
        units_percent(a->match_total, a->side[0].flat.grand_total, pa, sizeof pa);
        units_percent(a->match_total_b, a->side[1].flat.grand_total, pb, sizeof pb);
    } else {
        snprintf(pa, sizeof pa, "%s", wait);
        snprintf(pb, sizeof pb, "%s", wait);
    }
    if (two_sides(a))
        snprintf(buf, sizeof buf, " /%s/ A %u match%s %s of A, B %u match%s %s of B |",
                 a->search, a->match_count, a->match_count == 1 ? "" : "es", pa,
                 a->match_count_b, a->match_count_b == 1 ? "" : "es", pb);
    else
        snprintf(buf, sizeof buf, " /%s/ %u match%s, %s of total |", a->search, a->match_count,
                 a->match_count == 1 ? "" : "es", pa);
    return canvas_print(c, 0, y, c->w, buf, ROLE_STATUS);
}

static void draw_status(struct app *a, struct canvas *c, int y)
{
    int x;

    canvas_fill(c, 0, y, c->w, ' ', a->message[0] ? ROLE_ERROR : ROLE_STATUS, 0);
    if (a->message[0]) {
        canvas_print(c, 1, y, c->w - 1, a->message, ROLE_ERROR);
        return;
    }
    if (a->view == VIEW_TAGS) {
        draw_status_tags(a, c, y);
        return;
    }
    x = status_search(a, c, y);
    if (a->view == VIEW_DIFF && a->side[1].ready)
        status_diff(a, c, x, y);
    else if (a->view == VIEW_COMPARE && a->side[1].ready)
        status_side(a, c, x, y, a->focus & 1);
    else
        status_side(a, c, x, y, 0);
}

/* ? and q stay on the hint bar however narrow it is: without them a new
 * user is lost. */
static int essential(const struct binding *b)
{
    return b->act == help || b->act == quit;
}

/* Writes the hints of m (the essential ones only, or all the others) that
 * fit whole before column end; returns the column after them. With no
 * canvas it only measures them. */
static int draw_hints_from(struct canvas *c, int x, int y, int end, const struct keymap *m,
                           int only_essential)
{
    for (size_t i = 0; i < m->n; i++) {
        char key[16];
        int w;

        if (!m->b[i].hint || essential(&m->b[i]) != only_essential)
            continue;
        snprintf(key, sizeof key, "%s", m->b[i].keys);
        *strchrnul(key, ' ') = '\0';
        w = (int)strlen(key) + 1 + (int)strlen(m->b[i].hint);
        if (!c) {               /* measuring: the room these hints take */
            x += w + 2;
            continue;
        }
        if (x + w + (only_essential ? 0 : 2) > end)
            continue;           /* a shorter one further on may still fit */
        x += canvas_print(c, x, y, end - x, key, ROLE_HINT_KEY);
        x += canvas_print(c, x, y, end - x, " ", ROLE_HINT);
        x += canvas_print(c, x, y, end - x, m->b[i].hint, ROLE_HINT);
        x += canvas_print(c, x, y, end - x, "  ", ROLE_HINT);
    }
    return x;
}

/* The key table of the focused pane, beside the flamegraph's when the
 * focused pane is (also) a flamegraph. */
static const struct keymap *focused_keymap(const struct app *a)
{
    static const struct keymap none = { "", NULL, 0 };

    switch (a->view) {
    case VIEW_TABLE: return &keymap_table;
    case VIEW_BOTH: return a->focus == 0 ? &keymap_table : &none;
    case VIEW_SANDWICH: return &keymap_sandwich;
    case VIEW_TAGS: return &keymap_tags;
    case VIEW_DIFF: return a->focus == 0 ? &keymap_diff : &none;
    default: return &none;
    }
}

static void draw_hints(struct app *a, struct canvas *c, int y)
{
    int x = 1, keep = draw_hints_from(NULL, 0, y, 0, &keymap_global, 1);

    canvas_fill(c, 0, y, c->w, ' ', ROLE_HINT, 0);
    if (a->overlay == OV_SEARCH || a->overlay == OV_QUERY) {
        widget_prompt_draw(a, c, y);
        return;
    }
    x = draw_hints_from(c, x, y, c->w - keep, focused_keymap(a), 0);
    if (focused_flame(a))
        x = draw_hints_from(c, x, y, c->w - keep, &keymap_flame, 0);
    x = draw_hints_from(c, x, y, c->w - keep, &keymap_global, 0);
    draw_hints_from(c, x, y, c->w, &keymap_global, 1);
}

/* The table's share of the Both view, in percent: half the width side by
 * side (so that at 120 columns a 40-column name shows whole), 40% of the
 * height stacked; < and > move the split by 5. */
static int table_share(const struct app *a, int stacked)
{
    int pct = (stacked ? 40 : 50) + a->split;

    return pct < 20 ? 20 : pct > 80 ? 80 : pct;
}

static int move_split(struct app *a, int by)
{
    int was = a->split;

    a->split += by;
    if (a->split < -30)
        a->split = -30;
    if (a->split > 30)
        a->split = 30;
    return a->split == was ? R_NONE : R_REDRAW;
}

static int split_right(struct app *a, void *p) { (void)p; return move_split(a, 5); }
static int split_left(struct app *a, void *p) { (void)p; return move_split(a, -5); }

static const struct binding both_bindings[] = {
    { '>', 0, ">", "give the table more room (the split moves right, or down when stacked)",
      NULL, split_right },
    { '<', 0, "<", "give the flamegraph more room (the split moves left, or up)", NULL,
      split_left },
};

const struct keymap keymap_both = { "Table and flamegraph (3)", both_bindings,
                                    sizeof both_bindings / sizeof *both_bindings };

static void draw_body(struct app *a, struct canvas *c, struct rect r)
{
    switch (a->view) {
    case VIEW_FLAME:
        flame_pane_draw(a, &a->side[0].flame, c, r, 1);
        break;
    case VIEW_TABLE:
        table_pane_draw(a, c, r, 1);
        break;
    case VIEW_SANDWICH:
        sandwich_draw(a, c, r);
        break;
    case VIEW_COMPARE:
        compare_draw(a, c, r);
        break;
    case VIEW_DIFF:
        diff_draw(a, c, r);
        break;
    case VIEW_TAGS:
        tags_draw(a, c, r);
        break;
    case VIEW_BOTH:
        /* Side by side when there is room, stacked on narrow or tall screens. */
        if (r.w < 100 || r.h * 2 > r.w) {
            int th = r.h * table_share(a, 1) / 100;

            table_pane_draw(a, c, (struct rect){ r.x, r.y, r.w, th }, a->focus == 0);
            flame_pane_draw(a, &a->side[0].flame, c, (struct rect){ r.x, r.y + th + 1, r.w, r.h - th - 1 },
                            a->focus == 1);
            canvas_fill(c, r.x, r.y + th, r.w, a->utf8 ? 0x2500 : '-', ROLE_BORDER, 0);
        } else {
            int tw = r.w * table_share(a, 0) / 100;

            table_pane_draw(a, c, (struct rect){ r.x, r.y, tw, r.h }, a->focus == 0);
            for (int y = r.y; y < r.y + r.h; y++)
                canvas_fill(c, r.x + tw, y, 1, a->utf8 ? 0x2502 : '|', ROLE_BORDER, 0);
            flame_pane_draw(a, &a->side[0].flame, c, (struct rect){ r.x + tw + 1, r.y, r.w - tw - 1, r.h },
                            a->focus == 1);
        }
        break;
    }
}

void app_render(struct app *a, struct canvas *c, int w, int h)
{
    if (c->w != w || c->h != h)
        canvas_resize(c, w, h);
    else
        canvas_clear(c);
    a->w = w;
    a->h = h;
    if (w < APP_MIN_W || h < APP_MIN_H) {
        canvas_print(c, 0, 0, w, "terminal too small", ROLE_ERROR);
        if (h > 1)
            canvas_print(c, 0, 1, w, "(need 40x10)", ROLE_DIM);
        return;
    }
    draw_header(a, c);
    a->tl_area[0].w = a->tl_area[1].w = 0;
    /* the timeline, above every view (the comparison draws one per side) */
    if (a->tl.buckets && h >= APP_MIN_H + 2 && a->view != VIEW_COMPARE) {
        timeline_draw(a, c, (struct rect){ 0, 1, w, 2 }, 0);
        draw_body(a, c, (struct rect){ 0, 3, w, h - 5 });
    } else {
        draw_body(a, c, (struct rect){ 0, 1, w, h - 3 });
    }
    draw_status(a, c, h - 2);
    draw_hints(a, c, h - 1);
    if (a->overlay == OV_HELP)
        widget_help_draw(a, c);
    else if (a->overlay == OV_TYPES)
        widget_types_draw(a, c);
}
