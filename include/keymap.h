/* Keys are data: one table per context. The same tables drive dispatch,
 * the ? overlay and the key hint bar, so help cannot drift from behaviour. */
#ifndef EMBER_KEYMAP_H
#define EMBER_KEYMAP_H

#include <stddef.h>

struct app;

/* What handling an event asks for (htop's reactions). */
enum {
    R_NONE = 0,
    R_REDRAW = 1,
    R_REQUERY = 2,              /* the sample type changed: recompute values */
    R_QUIT = 4,
    R_UNHANDLED = 8,
};

struct binding {
    int key, alt;               /* alt: a second key for the same action, or 0 */
    const char *keys;           /* how help writes the keys: "j Down" */
    const char *help;
    const char *hint;           /* short label for the hint bar, or NULL */
    int (*act)(struct app *a, void *pane);
};

struct keymap {
    const char *context;
    const struct binding *b;
    size_t n;
};

extern const struct keymap keymap_global, keymap_flame, keymap_table, keymap_sandwich,
    keymap_prompt, keymap_tags, keymap_time, keymap_query, keymap_diff, keymap_lineedit,
    keymap_both, keymap_sides, keymap_filters;
/* r, the granularity (src/ui/granularity.c): every view, after the global
 * keys; listed last. */
extern const struct keymap keymap_granularity;

/* Every table, in the order the ? overlay, --keys and the man page list
 * them (the global tables, then each view's: src/ui/views.c); NULL past
 * the last. */
const struct keymap *keymap_nth(size_t i);

/* Runs the binding for key; returns its reaction or R_UNHANDLED. */
int keymap_dispatch(const struct keymap *m, struct app *a, void *pane, int key);

#endif
