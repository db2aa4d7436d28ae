/* The view interface: what the explorer core (src/ui/app.c) knows of a
 * view or an overlay. A view is one file that defines one `const struct
 * view_class` and keeps its private state in its own struct, made by init
 * and handed back to every call as `st`; the core holds the table of them
 * (src/ui/views.c: view_classes). Adding a view is one file plus one line in that table.
 * Every hook but draw may be NULL. */
#ifndef EMBER_VIEW_H
#define EMBER_VIEW_H

#include "ui_shared.h"

struct sbuf;

struct keymap;

struct view_class {
    const char *name;           /* the header's [Name] */
    /* The key that opens it, with its help line, listed at the top of its
     * first key table; 0 when a global binding (1 to 7) opens it. */
    int open_key;
    int panes;                  /* 2: Tab moves the focus between its two panes */
    int focus;                  /* the pane focused on entering */
    int two_sides;              /* it shows sides A and B: B is made on entering */
    /* it shows the side focused in the view before it (app_prev_side):
     * the header and the status bar are that side's */
    int prev_side;
    int own_timeline;           /* it draws its own timelines (one per side) */
    int on_hint_bar;            /* an overlay drawn on the hint bar (a prompt) */
    /* Its key tables, for ? and --keys (the first NULL ends the list). */
    const struct keymap *help[3];

    void *(*init)(struct app *a);
    void (*free)(struct app *a, void *st);
    /* Entered (after the focus is set), or the focus moved (Tab). */
    void (*enter)(struct app *a, void *st);
    void (*keyed)(struct app *a, void *st);     /* its global key opened it */
    void (*refocus)(struct app *a, void *st);
    /* Side s's values changed: drop what was built from them. */
    void (*requery)(struct app *a, void *st, int s);
    void (*resize)(struct app *a, void *st, int w, int h);
    void (*draw)(struct app *a, void *st, struct canvas *c, struct rect r);
    int (*key)(struct app *a, void *st, int key);
    int (*mouse)(struct app *a, void *st, const struct event *ev);
    /* The status bar from column x (after the search's counts, unless
     * bare_status): returns 0 to leave it to the core (the selection's). */
    int (*status)(struct app *a, void *st, struct canvas *c, int x, int y);
    int bare_status;
    /* The key table of the focused pane, for the hint bar. */
    const struct keymap *(*hints)(const struct app *a, void *st);
    /* The flamegraph pane that has the keyboard, or NULL. */
    struct flame_pane *(*flame)(struct app *a, void *st);
    /* Its own table as text, every row as shown, for the export's text
     * (NULL: the function table); into out, a string. */
    void (*text)(struct app *a, void *st, struct sbuf *out);
};

/* The views, indexed by enum view_id (then the ones without an id); the
 * overlays, indexed by enum overlay. */
extern const struct view_class *const view_classes[];
extern const int view_count;
extern const struct view_class *const overlay_classes[];

#endif
