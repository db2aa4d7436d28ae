/* The explorer's filters: f focuses on the selected function, x hides it,
 * X ignores it, u undoes the last, F clears them (pprof's focus, hide,
 * ignore). The set is the app's (a.filters); the data set counts every
 * merge and series under it (ds_set_filters), so every view and both
 * sides show the filtered tree, and Y and the exports read the same set. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "dataset.h"
#include "flame_pane.h"
#include "view.h"
#include "xalloc.h"

static struct flame_pane *focused_flame(struct app *a)
{
    const struct view_class *v = view_classes[a->view];

    return v->flame ? v->flame(a, a->view_state[a->view]) : NULL;
}

/* What the status bar describes: the focused flamegraph's node, else the
 * table's row. The tag explorer (and the metadata) show no function: the
 * table's row there is not on screen, so nothing is selected. */
static uint32_t selected_frame(struct app *a)
{
    struct flame_pane *f = focused_flame(a);

    if (a->view == VIEW_TAGS || !strcmp(view_classes[a->view]->name, "Metadata"))
        return TRIE_NO_FRAME;
    return f && f->built ? f->tree.node[f->sel].frame : a->sel_frame;
}

/* ^NAME$ with every ERE special character escaped: the function alone,
 * however long its name (a cut one would end in $ and match nothing). */
static char *quote(const char *name)
{
    char *out = xmalloc(2 * strlen(name) + 3);
    size_t n = 0;

    out[n++] = '^';
    for (; *name; name++) {
        if (strchr(".[]()*+?{}|^$\\", *name))
            out[n++] = '\\';
        out[n++] = *name;
    }
    out[n++] = '$';
    out[n] = 0;
    return out;
}

/* Asks every side again under the changed set (the timelines follow). */
static int refilter(struct app *a)
{
    app_requery(a, -1);
    return R_REDRAW;
}

static int push_selected(struct app *a, enum fset_kind kind)
{
    uint32_t frame = selected_frame(a);
    const struct frame *f;
    char *re, err[256];

    if (frame == TRIE_NO_FRAME || frame >= a->p->nframes) {
        snprintf(a->message, sizeof a->message, "no function selected here: nothing to %s",
                 fset_kind_name(kind));
        return R_REDRAW;
    }
    f = &a->p->frames[frame];
    re = quote(profile_str(a->p, f->func ? f->func : f->file ? f->file : f->name));
    if (fset_push(&a->filters, kind, re, err, sizeof err)) {
        snprintf(a->message, sizeof a->message, "%s: %.200s", fset_kind_name(kind), err);
        free(re);
        return R_REDRAW;
    }
    snprintf(a->message, sizeof a->message, "%s=%s (u undoes it, F clears every filter)",
             fset_kind_name(kind), re);
    free(re);
    return refilter(a);
}

int filters_focus(struct app *a, void *pane)
{
    (void)pane;
    return push_selected(a, FSET_FOCUS);
}

int filters_hide(struct app *a, void *pane)
{
    (void)pane;
    return push_selected(a, FSET_HIDE);
}

int filters_ignore(struct app *a, void *pane)
{
    (void)pane;
    return push_selected(a, FSET_IGNORE);
}

int filters_undo(struct app *a, void *pane)
{
    (void)pane;
    if (!a->filters.n) {
        snprintf(a->message, sizeof a->message, "no filter to undo");
        return R_REDRAW;
    }
    fset_pop(&a->filters);
    snprintf(a->message, sizeof a->message, "%u filter%s left", a->filters.n,
             a->filters.n == 1 ? "" : "s");
    return refilter(a);
}

int filters_clear(struct app *a, void *pane)
{
    (void)pane;
    if (!a->filters.n) {
        snprintf(a->message, sizeof a->message, "no filter to clear");
        return R_REDRAW;
    }
    fset_clear(&a->filters);
    snprintf(a->message, sizeof a->message, "every filter cleared");
    return refilter(a);
}

static const struct fset *start_set;    /* main's --focus ... (borrowed) */

void filters_set_start(const struct fset *s)
{
    start_set = s;
}

void filters_start(struct app *a)
{
    char err[256];

    for (uint32_t i = 0; start_set && i < start_set->n; i++)
        fset_push(&a->filters, start_set->e[i].kind, start_set->e[i].text, err, sizeof err);
}

void filters_text(const struct app *a, char *buf, size_t size)
{
    struct sbuf b = { 0 };

    fset_text(&a->filters, &b, " ");
    if (b.len)
        b.len--;                /* the last separator */
    snprintf(buf, size, "%.*s", (int)b.len, b.s ? b.s : "");
    sbuf_free(&b);
}

static const struct binding filter_bindings[] = {
    { 'f', 0, "f", "focus on the selected function: only stacks through it (pprof's focus)",
      NULL, filters_focus },
    { 'x', 0, "x", "hide the selected function: its cost moves to its caller (pprof's hide)",
      NULL, filters_hide },
    { 'X', 0, "X", "ignore the selected function: drop the stacks through it (pprof's ignore)",
      NULL, filters_ignore },
    { 'u', 0, "u", "undo the last filter", NULL, filters_undo },
    { 'F', 0, "F", "clear every filter", NULL, filters_clear },
};

const struct keymap keymap_filters = { "Filters (every view; see FILTERS)", filter_bindings,
                                       sizeof filter_bindings / sizeof *filter_bindings };
