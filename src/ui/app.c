/* The explorer's state, event routing and screen layout: a header row, the
 * panes of the current view, a status bar and a key hint bar. */
#include "granularity.h"
#include "app.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"
#include "overlay_export.h"
#include "sat.h"
#include "text.h"
#include "units.h"
#include "xalloc.h"


static void init_time(struct app *a);
static int live_fetching(struct app *a);

static const struct view_class *cur(const struct app *a)
{
    return view_classes[a->view];
}

#define ST(a) ((a)->view_state[(a)->view])

/* a.requery: side s's values changed, or the search (CHANGED_SEARCH); the
 * side's flamegraph follows, then every view drops what it built. */
static void on_requery(struct app *a, int s)
{
    if (s == CHANGED_SEARCH) {
        table_pane_rebuild(a);
        return;
    }
    if (a->type != a->tl_type)  /* a new sample type (t, or a query's): new steps */
        init_time(a);
    flame_pane_rebuild_side(a, s);
    app_search_stats(a);        /* the search counts on every side */
    for (int v = 0; v < view_count; v++)
        if (view_classes[v]->requery)
            view_classes[v]->requery(a, a->view_state[v], s);
    if (s == 0)
        table_pane_rebuild(a);  /* the table: side A's */
}

/* The timeline of the current sample type: one bucket per distinct time of
 * the profiles that have it, up to 100 (a folder of profiles taken every few
 * seconds gets one step per capture; heap snapshots among CPU profiles are
 * no CPU steps). Again when the type changes; each side keeps its time
 * range, shown on the new buckets. */
static void init_time(struct app *a)
{
    uint32_t distinct = timeline_distinct(a->p, a->type), before = a->tl.buckets;
    int64_t from, until;
    int kept = a->tl.span && a->tl_type == a->type;

    timeline_free(&a->tl);
    if (ds_span(a->ds, &from, &until)) {
        /* a server: the query range, about a bucket per column */
        a->tl_steps = a->w > 20 ? (uint32_t)a->w : 100;
        timeline_span(&a->tl, a->p, from, until, a->tl_steps);
    } else {
        a->tl_steps = distinct > 100 ? 100 : distinct > 1 ? distinct : 0;
        timeline_init(&a->tl, a->p, a->type, a->tl_steps);
    }
    kept &= a->tl.buckets == before;    /* a refresh: the series stays until the new one */
    a->tl_type = a->type;
    for (int i = 0; i < 2; i++) {
        struct side *sd = &a->side[i];

        ds_release(a->req[SLOT_SERIES_A + i]);  /* of the old steps */
        a->req[SLOT_SERIES_A + i] = NULL;
        if (!kept || !a->tl_series[i]) {
            free(a->tl_series[i]);
            a->tl_series[i] = xcalloc(a->tl.buckets + 1, sizeof *a->tl_series[i]);
        }
        a->tl_valid[i] = 0;
        timeline_range(&a->tl, a->p, sd->sel.from, sd->sel.until, &sd->lo, &sd->hi);
    }
    for (int v = 0; v < view_count; v++)     /* the tag explorer's labels */
        if (view_classes[v]->requery)
            view_classes[v]->requery(a, a->view_state[v], CHANGED_TYPE);
}

/* The data changed (a live fetch landed, old steps went): every array
 * sized for the model follows it, then every slot is asked again. The
 * zoom, the selection and the queries stay: the model only grows, so trie
 * node and frame ids keep their meaning. */
/* The model grew (a live fetch, a server's answer loaded): what is sized
 * per trie node, frame or type follows, before any answer of the new
 * model is handed over. Nothing is asked again. */
static void fit_model(struct app *a)
{
    struct profile *p = a->p;

    trie_index(&p->trie);
    for (int i = 0; i < 2; i++)
        side_grow(a, i);
    a->match = xreallocarray(a->match, p->nframes + 1, 1);
    memset(a->match, 0, p->nframes + 1);
    app_hues_fit(a);
    if (a->searching)
        for (uint32_t f = 0; f < p->nframes; f++)
            a->match[f] = regexec(&a->re, profile_str(p, p->frames[f].name), 0, NULL, 0) == 0;
    free(a->name_rank);
    a->name_rank = NULL;        /* ranked again when a sort needs it (app_name_rank) */
    jobs_restart(a);
    if (p->ntypes > a->sized_types) {
        a->type_totals = xreallocarray(a->type_totals, (size_t)p->ntypes + 1,
                                       sizeof *a->type_totals);
        memset(a->type_totals, 0, ((size_t)p->ntypes + 1) * sizeof *a->type_totals);
        a->type_totals_ready = 0;
    }
    a->sized_nodes = p->trie.count;
    a->sized_frames = p->nframes;
    a->sized_types = p->ntypes;
}

static void on_new_data(struct app *a)
{
    struct profile *p = a->p;
    int first = !a->sized_types && p->ntypes;

    a->data_gen = ds_generation(a->ds);
    fit_model(a);
    a->type_totals = xreallocarray(a->type_totals, (size_t)p->ntypes + 1, sizeof *a->type_totals);
    memset(a->type_totals, 0, ((size_t)p->ntypes + 1) * sizeof *a->type_totals);
    a->type_totals_ready = 0;
    ds_release(a->req[SLOT_TYPES]);
    a->req[SLOT_TYPES] = NULL;
    if (a->type >= p->ntypes && p->ntypes)      /* the first fetch of an empty start */
        a->type = p->default_type < p->ntypes ? p->default_type : 0;
    if (first && a->remote_start)       /* a server's types came: its first screen */
        a->remote_start(a);
    init_time(a);               /* the steps follow the data's time span */
    if (a->overlay == OV_PICKER && !a->side[0].ready)
        return;                 /* nothing picked yet: nothing to merge */
    app_requery(a, -1);
    if (!a->side[0].ready && !a->req[SLOT_SIDE_A])
        side_ready(a, 0);
}

/* Whether the data changed since the arrays were sized; if so, follows. */
static int follow_data(struct app *a)
{
    if (ds_generation(a->ds) == a->data_gen)
        return 0;
    on_new_data(a);
    return 1;
}

/* A server's types came first: a query's type before the braces becomes
 * the explorer's, or the picker opens when no query was given. */
static void remote_start(struct app *a)
{
    char query[sizeof a->side[0].query];

    if (a->remote_pick) {
        a->remote_pick = 0;
        a->overlay = OV_PICKER;
        if (overlay_classes[OV_PICKER]->enter)
            overlay_classes[OV_PICKER]->enter(a, a->overlay_state[OV_PICKER]);
        return;
    }
    for (int s = 0; s < 2; s++) {
        snprintf(query, sizeof query, "%s", a->side[s].query);
        if (strchr(query, '{') != query && side_set_query(a, s, query) < 0)
            return;             /* a.message says which types there are */
    }
}

void app_remote(struct app *a, struct pyro_api api, const struct remote_options *o, int pick)
{
    for (int s = 0; s < SLOT_COUNT; s++)
        if (a->req[s])
            ds_cancel(a->req[s]);
    app_settle(a);
    ds_free(a->ds);
    a->ds = ds_remote_new(a->p, api, o);
    ds_set_filters(a->ds, &a->filters);
    a->data_gen = ds_generation(a->ds);
    a->remote_pick = pick;
    a->remote_start = remote_start;
    a->type = UINT32_MAX;       /* the server's default, once its types come */
    for (int s = 0; s < 2; s++)         /* the range is the data set's (relative) one */
        a->side[s].sel.from = INT64_MIN, a->side[s].sel.until = INT64_MAX;
}

void app_live(struct app *a, const struct live_options *o, const struct load_options *lo,
              const struct live_feed *feed)
{
    for (int s = 0; s < SLOT_COUNT; s++)    /* none pending: app_init settled them */
        if (a->req[s])
            ds_cancel(a->req[s]);
    app_settle(a);
    ds_free(a->ds);
    a->ds = ds_live_new(a->p, o, lo, feed);
    ds_set_filters(a->ds, &a->filters);
    a->data_gen = ds_generation(a->ds);
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
    a->ds = ds_local_new(p);
    fset_init(&a->filters);
    filters_start(a);
    ds_set_filters(a->ds, &a->filters);
    a->type = type;
    a->title = title;
    a->utf8 = utf8;
    ds_local_rank_ahead(a->ds);        /* beside the index */
    trie_index(&p->trie);
    for (int i = 0; i < 2; i++)
        side_init(a, i, spec ? &spec[i] : NULL);
    for (int v = 0; v < view_count; v++)
        a->view_state[v] = view_classes[v]->init ? view_classes[v]->init(a) : NULL;
    for (int o = 0; o < OV_COUNT; o++)
        if (overlay_classes[o] && overlay_classes[o]->init)
            a->overlay_state[o] = overlay_classes[o]->init(a);
    a->drag_x = -1;
    init_time(a);
    a->match = xcalloc(p->nframes + 1, 1);
    app_hues_fit(a);
    jobs_share_start(a);        /* no search yet; a live start builds no side to start it */
    jobs_warm_start(a);
    /* the names' ranks: between keys (jobs.c), or when a sort needs them */
    a->table = table_pane_new();
    a->view = VIEW_BOTH;
    a->focus = 1;
    a->sel_frame = UINT32_MAX;
    a->keymaps = keymap_nth;
    a->set_granularity = app_set_granularity;
    a->requery = on_requery;   /* from here, what views built follows the sides */
    a->data_changed = on_new_data;
    a->model_grew = fit_model;
    a->sized_nodes = p->trie.count;
    a->sized_frames = p->nframes;
    a->sized_types = p->ntypes;
    side_ready(a, 0);           /* one merge per side, answered at once (local) */
    if (spec && spec[1].query)
        side_ready(a, 1);
    if (a->side[0].flat.count)          /* start on the hottest function */
        a->sel_frame = a->side[0].flat.rows[0].frame;
    table_pane_follow(a);
    note_empty_default(a);
    app_settle(a);              /* the local data set: every first answer is in */
}

void app_free(struct app *a)
{
    free(a->clip);
    for (int s = 0; s < SLOT_COUNT; s++)
        ds_release(a->req[s]);
    ds_free(a->ds);
    fset_free(&a->filters);
    for (int v = 0; v < view_count; v++)
        if (view_classes[v]->free)
            view_classes[v]->free(a, a->view_state[v]);
    for (int o = 0; o < OV_COUNT; o++)
        if (overlay_classes[o] && overlay_classes[o]->free)
            overlay_classes[o]->free(a, a->overlay_state[o]);
    flame_pane_reset(&a->side[0].flame);
    flame_pane_reset(&a->side[1].flame);
    side_free(a, 0);
    side_free(a, 1);
    timeline_free(&a->tl);
    free(a->tl_series[0]);
    free(a->tl_series[1]);
    table_pane_free(a);
    jobs_free(a);
    free(a->name_rank);
    free(a->type_totals);
    free(a->match);
    free(a->hue);
    if (a->searching)
        regfree(&a->re);
}

void app_set_view(struct app *a, int v)
{
    const struct view_class *vc = view_classes[v];
    int back = a->back_focus;   /* app_back: the focus that view had */

    a->back_focus = 0;
    if (v != a->view) {
        a->prev_view = a->view;
        a->prev_side = app_focused_side(a);
        a->prev_focus = a->focus;
    }
    a->view = v;
    a->shows_prev_side = vc->prev_side;
    a->two_up = vc->two_sides;
    if (vc->two_sides)
        side_ready(a, 1);       /* the header and the status bar show both sides */
    a->focus = back && vc->panes == 2 ? back - 1 : vc->focus;
    if (vc->enter)
        vc->enter(a, ST(a));
}

static void open_overlay(struct app *a, enum overlay o)
{
    a->overlay = o;
    if (overlay_classes[o]->enter)
        overlay_classes[o]->enter(a, a->overlay_state[o]);
}

/* --- global keys --- */

static int open_flame(struct app *a, void *p) { (void)p; app_set_view(a, VIEW_FLAME); return R_REDRAW; }
static int open_table(struct app *a, void *p) { (void)p; app_set_view(a, VIEW_TABLE); return R_REDRAW; }
static int open_both(struct app *a, void *p) { (void)p; app_set_view(a, VIEW_BOTH); return R_REDRAW; }
static int open_sandwich(struct app *a, void *p) { (void)p; app_set_view(a, VIEW_SANDWICH); return R_REDRAW; }
static int open_tags(struct app *a, void *p) { (void)p; app_set_view(a, VIEW_TAGS); return R_REDRAW; }
/* Over a server, B unasked and {} (every service merged, rarely a
 * comparison anyone wants) starts as A's query, to be edited with :. */
static void b_as_a(struct app *a)
{
    char query[sizeof a->side[0].query];

    if (!ds_remote_of(a->ds) || a->side[1].ready || a->req[SLOT_SIDE_B] ||
        strcmp(a->side[1].query, "{}") || !a->side[0].ready)
        return;
    snprintf(query, sizeof query, "%s", a->side[0].shown_query);
    side_set_query(a, 1, query);
}

static int open_compare(struct app *a, void *p)
{
    (void)p;
    b_as_a(a);
    app_set_view(a, VIEW_COMPARE);
    return R_REDRAW;
}
/* The diff says, when its key opens it, whether the sides differ at all. */
static int open_diff(struct app *a, void *p)
{
    (void)p;
    b_as_a(a);
    app_set_view(a, VIEW_DIFF);
    if (cur(a)->keyed)
        cur(a)->keyed(a, ST(a));
    return R_REDRAW;
}

static int next_focus(struct app *a, void *p)
{
    (void)p;
    if (cur(a)->panes == 2)
        a->focus ^= 1;
    if (cur(a)->refocus)
        cur(a)->refocus(a, ST(a));
    return R_REDRAW;
}

static int quit(struct app *a, void *p) { (void)a; (void)p; return R_QUIT; }
static int help(struct app *a, void *p) { (void)p; open_overlay(a, OV_HELP); return R_REDRAW; }
static int search(struct app *a, void *p) { (void)p; open_overlay(a, OV_SEARCH); return R_REDRAW; }
static int types(struct app *a, void *p) { (void)p; open_overlay(a, OV_TYPES); return R_REDRAW; }

static int redraw(struct app *a, void *p) { (void)a; (void)p; return R_REDRAW; }
/* Listed for ? and --keys; app_event takes Esc first while something is
 * pending (here only an Esc no pane took arrives). */
static int cancel(struct app *a, void *p)
{
    (void)p;
    if (live_fetching(a)) {
        ds_live_cancel(ds_live_of(a->ds));
        app_cancel(a);
        return R_REDRAW;
    }
    if (!app_pending(a))
        return R_UNHANDLED;
    app_cancel(a);
    return R_REDRAW;
}
static int query(struct app *a, void *p) { (void)p; open_overlay(a, OV_QUERY); return R_REDRAW; }
static int export(struct app *a, void *p) { (void)p; open_overlay(a, OV_EXPORT); return R_REDRAW; }

/* o: a server's services and profile types again (the picker). */
static int pick(struct app *a, void *p)
{
    (void)p;
    if (!ds_remote_of(a->ds) || !a->p->ntypes)
        return R_UNHANDLED;
    open_overlay(a, OV_PICKER);
    return R_REDRAW;
}

/* Space: the live data set's polling stops and starts again. */
static int live_pause(struct app *a, void *p)
{
    struct dataset *live = ds_live_of(a->ds);

    (void)p;
    if (!live)
        return R_UNHANDLED;
    ds_live_pause(live, !ds_live_paused(live));
    snprintf(a->message, sizeof a->message, "%s", ds_live_paused(live) ?
             "fetching paused (Space resumes)" : "fetching resumed");
    return R_REDRAW;
}

/* Whether a live fetch is running (Esc cancels it). */
static int live_fetching(struct app *a)
{
    struct dataset *live = ds_live_of(a->ds);
    char buf[64];

    if (!live)
        return 0;
    ds_live_status(live, buf, sizeof buf);
    return !strncmp(buf, "fetching ", 9);
}

static const struct binding global_bindings[] = {
    { '1', 0, "1", "flamegraph", "flame", open_flame },
    { '2', 0, "2", "table", "table", open_table },
    { '3', 0, "3", "table and flamegraph side by side", "both", open_both },
    { '4', 0, "4", "sandwich: callers above, callees below the selected function", "sandwich",
      open_sandwich },
    { K_TAB, K_BTAB, "Tab", "move focus between panes", NULL, next_focus },
    { '/', 0, "/", "search function names (POSIX extended regex; lower case ignores case)",
      "search", search },
    { 't', 0, "t", "pick the sample type (cpu, alloc_space, ...)", "type", types },
    { ':', 0, ":", "edit the query of the focused side: {label=\"value\", ...}", "query", query },
    { 'e', 0, "e", "export what the focused pane shows to a file (pprof, folded, JSON, "
      "speedscope, SVG, text)", NULL, export },
    { '?', K_F1, "? F1", "show every key", "help", help },
    { K_CTRL('l'), 0, "^L", "redraw the screen", NULL, redraw },
    { K_ESC, 0, "Esc", "cancel what is loading (the previous numbers stay)", NULL, cancel },
    { '5', 0, "5", "tag explorer: which label value behaves abnormally", NULL, open_tags },
    { '6', 0, "6", "comparison: two queries side by side (: edits the focused one)", NULL,
      open_compare },
    { '7', 0, "7", "diff: red where the share grew from A to B, green where it shrank", NULL,
      open_diff },
    { ' ', 0, "Space", "pause or resume fetching (live URLs)", NULL, live_pause },
    { 'o', 0, "o", "open a service and profile type of the server (--url): the picker", NULL,
      pick },
    { 'y', 0, "y", "copy the selected function's name to the clipboard (OSC 52, over SSH)",
      NULL, share_copy_name },
    { 'Y', 0, "Y", "copy a command line that reopens this view (files, view, type, queries, "
      "range, zoom)", NULL, share_copy_command },
    { 'M', 0, "M", "mouse off and on (off: the terminal selects text)", NULL, share_mouse },

    { 'q', 0, "q", "quit", "quit", quit },
};

const struct keymap keymap_global = { "Everywhere", global_bindings,
                                      sizeof global_bindings / sizeof *global_bindings };

/* The pane that has the keyboard. */
static struct flame_pane *focused_flame(struct app *a)
{
    return cur(a)->flame ? cur(a)->flame(a, ST(a)) : NULL;
}

static int pane_key(struct app *a, int key)
{
    return cur(a)->key ? cur(a)->key(a, ST(a), key) : R_UNHANDLED;
}

static int overlay_key(struct app *a, int key)
{
    return overlay_classes[a->overlay]->key(a, a->overlay_state[a->overlay], key);
}

/* The views that no global binding opens: their class's key. */
static int view_key(struct app *a, int key)
{
    for (int v = 0; v < view_count; v++) {
        if (view_classes[v]->open_key && view_classes[v]->open_key == key) {
            app_set_view(a, v);
            return R_REDRAW;
        }
    }
    return R_UNHANDLED;
}

static int mouse(struct app *a, const struct event *ev)
{
    int r = R_NONE;

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
    return cur(a)->mouse ? cur(a)->mouse(a, ST(a), ev) : R_NONE;
}

int app_event(struct app *a, const struct event *ev)
{
    int r, closed_help = a->overlay == OV_HELP;

    if (ev->kind == EV_QUIT)
        return R_QUIT;
    if (ev->kind == EV_RESIZE)
        return R_REDRAW;
    a->message[0] = '\0';
    if (ev->kind == EV_KEY && ev->key == K_ESC && a->overlay == OV_NONE &&
        (app_pending(a) || live_fetching(a))) {
        if (live_fetching(a))
            ds_live_cancel(ds_live_of(a->ds));
        app_cancel(a);          /* before Esc's other meanings (zoom out) */
        return R_REDRAW;
    }
    if (ev->kind == EV_MOUSE)
        r = a->overlay == OV_NONE && a->p->ntypes && a->side[0].ready ? mouse(a, ev) : R_NONE;
    else if (a->overlay != OV_NONE && (r = overlay_key(a, ev->key)) != R_UNHANDLED)
        ;                       /* the overlay took it (the help passes on what closes it) */
    else if (!a->p->ntypes || !a->side[0].ready)        /* no data yet: the global keys */
        r = keymap_dispatch(&keymap_global, a, NULL, ev->key);
    else if ((r = pane_key(a, ev->key)) == R_UNHANDLED &&
             (r = keymap_dispatch(&keymap_time, a, NULL, ev->key)) == R_UNHANDLED)
        if ((r = keymap_dispatch(&keymap_global, a, NULL, ev->key)) == R_UNHANDLED &&
            (r = keymap_dispatch(&keymap_granularity, a, NULL, ev->key)) == R_UNHANDLED &&
            (r = keymap_dispatch(&keymap_filters, a, NULL, ev->key)) == R_UNHANDLED)
            r = view_key(a, ev->key);
    if (a->open_view) {         /* a view asked for another (app_open_view) */
        app_set_view(a, a->open_view - 1);
        a->open_view = 0;
    }
    if (closed_help && a->overlay == OV_NONE)
        r = (r == R_UNHANDLED ? R_NONE : r) | R_REDRAW;
    if (r & R_REQUERY) {
        if (!a->side[0].ready || !app_new_run(a))       /* moved: data_changed asks again */
            app_requery(a, -1);
        r |= R_REDRAW;
    }
    if (app_settle(a) | follow_data(a))     /* what came meanwhile, or is due now */
        r = (r == R_UNHANDLED ? R_NONE : r) | R_REDRAW;
    return r == R_UNHANDLED ? R_NONE : r;
}

/* Answers that came, and the loading line's clock: redrawn every 100 ms
 * or so while something is pending, not on every turn of the loop. */
int app_tick(struct app *a)
{
    struct dataset *live = ds_live_of(a->ds);
    int r;

    if (live || ds_remote_of(a->ds))    /* a transfer's descriptor may be what woke the loop */
        ds_step(a->ds);
    r = app_settle(a) ? R_REDRAW : R_NONE;      /* a landing: data_changed from there */
    r |= gran_step(a);          /* r's switch, once the screen said it */
    if (a->open_view) {         /* the switch left a view (the source view at no lines) */
        app_set_view(a, a->open_view - 1);
        a->open_view = 0;
        r |= R_REDRAW;
    }

    if (follow_data(a)) {
        app_settle(a);
        r |= R_REDRAW;
    }
    if (app_pending(a) && ds_now(a->ds) - a->pending_drawn >= 100000000)
        r |= R_REDRAW;
    r |= export_reap(a, a->overlay_state[OV_EXPORT]);   /* e's file written */
    if (ds_remote_of(a->ds) && strcmp(ds_remote_error(ds_remote_of(a->ds)), a->live_drawn)) {
        /* the server's types failed (or came after all): the body says it */
        snprintf(a->live_drawn, sizeof a->live_drawn, "%s", ds_remote_error(ds_remote_of(a->ds)));
        r |= R_REDRAW;
    }
    if (live) {                 /* its clock: `next fetch in 8s`, `... 3.1s` */
        char now[sizeof a->live_drawn];

        ds_live_status(live, now, sizeof now);
        if (strcmp(now, a->live_drawn))
            r |= R_REDRAW;
    }
    return r;
}

int app_wait_ms(struct app *a, int cap_ms)
{
    if (gran_pending())         /* r was pressed: read again at once */
        return 0;
    /* an export being written: look for its end every 50 ms */
    if (export_running(a->overlay_state[OV_EXPORT])) {
        int ds = app_pending(a) || ds_live_of(a->ds) ? ds_poll_timeout(a->ds, cap_ms) : -1;

        return ds >= 0 && ds < 50 ? ds : 50;
    }
    if (ds_live_of(a->ds))      /* the next fetch, a transfer, the status clock */
        return ds_poll_timeout(a->ds, cap_ms);
    if (ds_remote_of(a->ds))    /* its calls' timeouts, --every; the types at the start */
        return ds_poll_timeout(a->ds, app_pending(a) || !a->p->ntypes ? cap_ms : -1);
    if (!app_pending(a))
        return -1;
    return ds_poll_timeout(a->ds, cap_ms);
}

/* --- drawing --- */

/* The side a one-side view shows: A, or the side the view before had
 * focused (the source view's). */
static int one_side(const struct app *a)
{
    return !app_two_sides(a) && cur(a)->prev_side ? a->prev_side : 0;
}

/* Under filters: what they kept of side A's total, as pprof's "Showing
 * nodes accounting for X, Y% of Z total", and the filters as pprof writes
 * them. */
static void filters_header(struct app *a, char *buf, size_t size)
{
    const struct side *sd = &a->side[one_side(a)];
    char kept[UNITS_BUF], whole[UNITS_BUF], pct[UNITS_BUF], text[256], view[64];
    char *at = strrchr(buf, '[');

    if (!at || at - buf < 2)
        return;
    app_format(a, sd->flat.net, kept, sizeof kept);        /* pprof's: signed */
    app_format(a, sd->whole, whole, sizeof whole);
    units_percent(sd->flat.net < 0 ? -sd->flat.net : sd->flat.net, sd->whole, pct, sizeof pct);
    filters_text(a, text, sizeof text);
    snprintf(view, sizeof view, "%s", at);      /* "[Table]" goes last */
    snprintf(at - 2, size - (size_t)(at - 2 - buf), "  %s  showing %s, %s of %s total  %s",
             text, kept, pct, whole, view);
}

static void draw_header(struct app *a, struct canvas *c)
{
    char buf[768], total[2 * UNITS_BUF + 8], ta[UNITS_BUF], tb[UNITS_BUF];
    const struct side *sa = &a->side[one_side(a)];

    app_format(a, sa->flat.grand_total, ta, sizeof ta);
    if (app_two_sides(a)) {         /* each side's own total */
        app_format(a, a->side[1].flat.grand_total, tb, sizeof tb);
        snprintf(total, sizeof total, "A %s  B %s", ta, tb);
    } else {
        snprintf(total, sizeof total, "%s", ta);
    }
    const char *q = sa->ready ? sa->shown_query : sa->query;
    int shown = strcmp(q, "{}") && !strstr(a->title, q) && !cur(a)->two_sides;
    char title[200];            /* the granularity beside what was loaded, unless functions */

    snprintf(title, sizeof title, "%.180s%s%s", a->title, a->p->granularity ? "  " : "",
             a->p->granularity ? granularity_name(a->p->granularity) : "");

    uint32_t t = sa->ready ? sa->shown_type : a->type;    /* of the numbers */

    char agg[64];

    flat_agg_text(&sa->flat, agg, sizeof agg);      /* "avg of 12 snapshots" */
    if (t >= a->p->ntypes)      /* a live explorer before its first profile */
        snprintf(buf, sizeof buf, " ember  %s  (waiting for the first profile)  [%s]", title,
                 cur(a)->name);
    else if (!sa->ready)         /* a server before its first answer: no total yet */
        snprintf(buf, sizeof buf, " ember  %s  %s (%s)  [%s]", title,
                 profile_str(a->p, a->p->types[t].type), profile_str(a->p, a->p->types[t].unit),
                 cur(a)->name);
    else
        snprintf(buf, sizeof buf, " ember  %s%s%s  %s (%s)  total %s%s%s  [%s]", title,
                 shown ? " " : "", shown ? q : "", profile_str(a->p, a->p->types[t].type),
                 profile_str(a->p, a->p->types[t].unit), total, *agg ? "  " : "", agg,
                 cur(a)->name);
    if (a->filters.n && sa->ready && t < a->p->ntypes)
        filters_header(a, buf, sizeof buf);
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
        if (f->growth) {        /* the bars are what grew: say the signed values */
            *self = *total = *zoomed = 0;
            for (uint32_t i = 0; i < n->nmembers; i++) {
                uint32_t m = f->tree.member[n->members + i];

                *self = sat_add(*self, f->net_self[m]);
                *total = sat_add(*total, f->net_total[m]);
            }
        }
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
    if (app_two_sides(a) || s)
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
    x = app_status_name(a, c, x, y, frame, (int)strlen(buf));
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
    if (app_two_sides(a))
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
    const struct view_class *vc = cur(a);
    char wait[512];
    int x;

    if (app_pending_text(a, wait, sizeof wait)) {   /* every view: what it waits for */
        canvas_fill(c, 0, y, c->w, ' ', ROLE_STATUS, 0);
        x = canvas_print(c, 1, y, c->w - 1, wait, ROLE_STATUS) + 1;
        if (a->message[0])
            canvas_print(c, x + 2, y, c->w - x - 2, a->message, ROLE_ERROR);
        return;
    }
    canvas_fill(c, 0, y, c->w, ' ', a->message[0] ? ROLE_ERROR : ROLE_STATUS, 0);
    if (a->message[0]) {
        canvas_print(c, 1, y, c->w - 1, a->message, ROLE_ERROR);
        return;
    }
    x = vc->bare_status ? 0 : status_search(a, c, y);
    if (!vc->status || !vc->status(a, ST(a), c, x, y))
        status_side(a, c, x, y, app_two_sides(a) ? a->focus & 1 : one_side(a));
}

/* A live data set's line, at the status bar's right end over what is there:
 * the next fetch, the running one, the last error. */
static void draw_live(struct app *a, struct canvas *c, int y)
{
    struct dataset *live = ds_live_of(a->ds);
    char line[sizeof a->live_drawn + 4];
    int w;

    if (!live)
        return;
    ds_live_status(live, a->live_drawn, sizeof a->live_drawn);
    snprintf(line, sizeof line, " %s ", a->live_drawn);
    w = (int)strlen(line) < c->w ? (int)strlen(line) : c->w;
    canvas_print(c, c->w - w, y, w, line, strstr(line, "last error") ? ROLE_ERROR : ROLE_STATUS);
}

/* A server's line, at the status bar's right end: where the data is from
 * and that the tree is whole, or that the server cut it (an `other` node).
 * A message (an error) comes first: the line takes only the room it
 * leaves, and says nothing of a tree beside a failed request. */
static void draw_remote(struct app *a, struct canvas *c, int y)
{
    struct dataset *remote = ds_remote_of(a->ds);
    const struct side *sd = &a->side[app_two_sides(a) ? a->focus & 1 : 0];
    char line[600], wait[512];
    const char *dot = a->utf8 ? " \u00b7 " : " - ";
    int w, tree = sd->ready && !a->message[0], room = c->w - 48;  /* the selection keeps 48 */

    if (!remote)
        return;
    if (a->message[0]) {        /* as draw_status puts it: after the pending text */
        room = c->w - 3 - text_width(a->message, strlen(a->message), a->utf8);
        if (app_pending_text(a, wait, sizeof wait))
            room -= 2 + text_width(wait, strlen(wait), a->utf8);
        if (room < 16)
            return;             /* the server's name goes */
    }
    snprintf(line, sizeof line, " server %.400s%s%s ", ds_remote_name(remote),
             tree ? dot : "", !tree ? "" : sd->truncated ?
             "truncated by the server: `other` holds the small nodes" :
             "full tree (SelectMergeProfile)");
    w = (int)strlen(line) - (a->utf8 && tree ? 1 : 0);    /* the dot: two bytes */
    w = w < room ? w : room > 0 ? room : 0;
    canvas_print(c, c->w - w, y, w, line, tree && sd->truncated ? ROLE_ERROR : ROLE_STATUS);
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
static const struct keymap *focused_keymap(struct app *a)
{
    static const struct keymap none = { "", NULL, 0 };
    const struct keymap *m = cur(a)->hints ? cur(a)->hints(a, ST(a)) : NULL;

    return m ? m : &none;
}

static void draw_hints(struct app *a, struct canvas *c, int y)
{
    int x = 1, keep = draw_hints_from(NULL, 0, y, 0, &keymap_global, 1);

    canvas_fill(c, 0, y, c->w, ' ', ROLE_HINT, 0);
    if (a->overlay && overlay_classes[a->overlay]->on_hint_bar) {   /* a prompt */
        overlay_classes[a->overlay]->draw(a, a->overlay_state[a->overlay], c,
                                        (struct rect){ 0, y, c->w, 1 });
        return;
    }
    x = draw_hints_from(c, x, y, c->w - keep, focused_keymap(a), 0);
    if (focused_flame(a))
        x = draw_hints_from(c, x, y, c->w - keep, &keymap_flame, 0);
    x = draw_hints_from(c, x, y, c->w - keep, &keymap_global, 0);
    draw_hints_from(c, x, y, c->w, &keymap_global, 1);
}

void app_render(struct app *a, struct canvas *c, int w, int h)
{
    if (w != a->w || h != a->h)         /* a resize: every view hears of it */
        for (int v = 0; v < view_count; v++)
            if (view_classes[v]->resize)
                view_classes[v]->resize(a, a->view_state[v], w, h);
    if (c->w != w || c->h != h)
        canvas_resize(c, w, h);
    else
        canvas_clear(c);
    a->w = w;
    a->h = h;
    a->two_up = cur(a)->two_sides;      /* also when a.view was set directly */
    if (w < APP_MIN_W || h < APP_MIN_H) {
        canvas_print(c, 0, 0, w, "terminal too small", ROLE_ERROR);
        if (h > 1)
            canvas_print(c, 0, 1, w, "(need 40x10)", ROLE_DIM);
        return;
    }
    draw_header(a, c);
    a->tl_area[0].w = a->tl_area[1].w = 0;
    /* the timeline, above every view (the comparison draws one per side) */
    if (!a->p->ntypes) {        /* a live explorer before its first profile: no view yet */
        struct dataset *remote = ds_remote_of(a->ds);

        canvas_print(c, 2, 2, w - 2, remote ? "asking the server for its profile types (q quits)" :
                     "waiting for the first profile (q quits)", ROLE_DIM);
        if (remote && *ds_remote_error(remote))         /* asked again in a while */
            canvas_print(c, 2, 3, w - 2, ds_remote_error(remote), ROLE_ERROR);
    } else if (!a->side[0].ready) {     /* a server's first answer: no view yet */
        canvas_print(c, 2, 2, w - 2, a->req[SLOT_SIDE_A] ? "waiting for the server's answer" :
                     "o picks a service and a profile type; : types a query", ROLE_DIM);
    } else if (a->tl.buckets && h >= APP_MIN_H + 2 && !cur(a)->own_timeline) {
        timeline_draw(a, c, (struct rect){ 0, 1, w, 2 }, 0);
        cur(a)->draw(a, ST(a), c, (struct rect){ 0, 3, w, h - 5 });
    } else {
        cur(a)->draw(a, ST(a), c, (struct rect){ 0, 1, w, h - 3 });
    }
    draw_status(a, c, h - 2);
    draw_live(a, c, h - 2);
    draw_remote(a, c, h - 2);
    draw_hints(a, c, h - 1);
    if (a->overlay && !overlay_classes[a->overlay]->on_hint_bar) {
        int waited = app_pending(a);

        overlay_classes[a->overlay]->draw(a, a->overlay_state[a->overlay], c,
                                        (struct rect){ 0, 0, w, h });
        if (app_pending(a) > waited)    /* it asked (the type totals): say so now */
            draw_status(a, c, h - 2);
    }
}
