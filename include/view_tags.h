/* What the core asks of the tag explorer (src/ui/view_tags.c) beyond its
 * view class: no other view includes this. */
#ifndef EMBER_VIEW_TAGS_H
#define EMBER_VIEW_TAGS_H

#include "ui_shared.h"

/* Picks the grouping label by name; returns -1 when the data has none. */
int tags_group_by(struct app *a, const char *name);

#endif
