/* The framed box of the overlays (help, type menu), a widget
 * (src/ui/widget_box.c). */
#ifndef EMBER_WIDGET_BOX_H
#define EMBER_WIDGET_BOX_H

#include "ui_shared.h"

/* A box of want_w x want_h, centred, at most the screen less a margin. */
struct rect widget_box_rect(const struct app *a, int want_w, int want_h);
/* Clears r and frames it, with title on its top edge. */
void widget_box_draw(struct app *a, struct canvas *c, struct rect r, const char *title);

#endif
