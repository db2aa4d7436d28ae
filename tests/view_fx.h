/* A view-test fixture shared by the suites that drive struct app into an
 * in-memory canvas, with the events a terminal would send. Build a profile
 * (fx_begin, fx_add_*), start the app on it (fx_start), or do both at once
 * (fx_open_folded); every event re-renders into rows[]; fx_close frees it
 * all. Failures are Check assertions, so call these inside a test. */
#ifndef EMBER_VIEW_FX_H
#define EMBER_VIEW_FX_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"

#define FX_ROWS 64

struct fx {
    struct profile p;
    struct app a;
    struct canvas c;
    char *rows[FX_ROWS];        /* the canvas's rows as text, after the last render */
    /* Set by a suite whose expected screens need the app's sliced work
     * (the search's shares) done before each render; 0 renders what a
     * terminal shows at once. */
    int settle;
};

/* Zeroes f and starts an empty profile. */
void fx_begin(struct fx *f);
/* Adds folded stacks; a nonzero labels gives each new sample that label
 * set. Returns the index of the first sample added. */
size_t fx_add_folded(struct fx *f, const char *folded, uint32_t labels);
/* Adds a fixture file of tests/data, read as ember reads a file. */
void fx_add_file(struct fx *f, const char *name);
/* Adds a file or a folder by path, as on ember's command line. */
void fx_add_path(struct fx *f, const char *path);
/* The label set {key=value}, interned in f's profile. */
uint32_t fx_labelset(struct fx *f, const char *key, const char *value);
/* Finishes the profile and starts the app (sample type, sides' specs or
 * NULL, title) on a w x h UTF-8 canvas. Renders nothing yet. */
void fx_start(struct fx *f, uint32_t type, const struct side_spec *spec, const char *title, int w,
              int h);
/* fx_begin, fx_add_folded (no labels), fx_start on the first type. */
void fx_open_folded(struct fx *f, const char *folded, const char *title, int w, int h);
void fx_close(struct fx *f);

/* Draws the app into the canvas and refreshes rows[]. */
void fx_render(struct fx *f);
/* Sends a key, then renders; returns app_event's answer. */
int fx_key(struct fx *f, int k);
/* Sends each byte of s as a key. */
void fx_type(struct fx *f, const char *s);
void fx_click(struct fx *f, int x, int y, enum mouse_action m);

/* The status bar's row (the hint bar is the last). */
const char *fx_status(struct fx *f);
/* The open prompt's text as the hint bar shows it: after its sign ("/",
 * ":", "A:", "B:") and a space, without the cursor block at its end, the
 * hint after an empty line, or trailing spaces. */
const char *fx_prompt(struct fx *f);
/* The first row holding text, or -1. */
int fx_row_with(struct fx *f, const char *text);
/* How many rows of the body (not the status or hint bar) hold text. */
int fx_rows_with(struct fx *f, const char *text);

#endif
