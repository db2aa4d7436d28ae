/* The flamegraph pane, a widget (src/ui/widget_flame.c): a frame tree with
 * its zoom and selection (struct flame_pane, in ui_shared.h since each side
 * holds one), drawn into a rectangle. Used by the flamegraph, both,
 * sandwich, comparison and diff views; it includes no view. */
#ifndef EMBER_FLAME_PANE_H
#define EMBER_FLAME_PANE_H

#include "ui_shared.h"

void flame_pane_reset(struct flame_pane *f);
void flame_pane_build_root(struct app *a, struct flame_pane *f, const int64_t *total);
void flame_pane_build_diff(struct app *a, struct flame_pane *f);
void flame_pane_build_function(struct app *a, struct flame_pane *f, uint32_t frame,
                               enum ftree_direction dir);
/* Rebuilds side s's flamegraph from its values, keeping its zoom and
 * selection where their paths still exist. */
void flame_pane_rebuild_side(struct app *a, int s);
void flame_pane_draw(struct app *a, struct flame_pane *f, struct canvas *c, struct rect r,
                     int focused);
int flame_pane_key(struct app *a, struct flame_pane *f, int key);
int flame_pane_click(struct app *a, struct flame_pane *f, int x, int y, int dbl);
int flame_pane_next_match(struct app *a, struct flame_pane *f, int dir);
uint32_t flame_pane_frame(const struct flame_pane *f, uint32_t node);
uint32_t flame_pane_path(const struct flame_pane *f, uint32_t n, uint32_t *path, uint32_t cap);
uint32_t flame_pane_find(struct flame_pane *f, const uint32_t *path, uint32_t len);
void flame_pane_set_view(struct flame_pane *f, uint32_t zoom, uint32_t sel);
/* The diff color of a node of a diff tree (sides A and B): level + DIFF_LEVELS. */
uint8_t diff_color(const struct app *a, const struct flame_pane *f, uint32_t node);

#endif
