/* The timeline above every view and the sparklines, a widget
 * (src/ui/widget_timeline.c): side s's series over time, its range, and the
 * keys and drags that move the range. It includes no view. */
#ifndef EMBER_WIDGET_TIMELINE_H
#define EMBER_WIDGET_TIMELINE_H

#include "ui_shared.h"

/* Draws side s's timeline (two rows) in r. */
void timeline_draw(struct app *a, struct canvas *c, struct rect r, int s);
/* A sparkline of v[0..n) in w columns, scaled to max (0: to v's own
 * maximum; rows to compare share one max). */
void sparkline_draw(struct canvas *c, int utf8, int x, int y, int w, const int64_t *v, uint32_t n,
                    int64_t max);
int timeline_key(struct app *a, int key);
/* A press or release of the mouse; a drag across the timeline picks the
 * range under it. Returns R_UNHANDLED when it was not about the timeline. */
int timeline_mouse(struct app *a, const struct event *ev);

#endif
