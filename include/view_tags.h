/* What the core asks of the tag explorer (src/ui/view_tags.c) beyond its
 * view class: no other view includes this. */
#ifndef EMBER_VIEW_TAGS_H
#define EMBER_VIEW_TAGS_H

#include "ui_shared.h"

/* Picks the grouping label by name; returns -1 when the data has none. */
int tags_group_by(struct app *a, const char *name);
/* For tests: the rows shown (sorted as on screen), the selected row, the
 * label grouped by (asking what is missing first). */
const struct tag_row *tags_rows(struct app *a, uint32_t *n);
uint32_t tags_cursor(struct app *a);
const char *tags_label(struct app *a);

#endif
