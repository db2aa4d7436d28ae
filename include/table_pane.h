/* The function table pane, a widget (src/ui/widget_table.c) used by the
 * table and both views: side A's functions, sorted and filtered by the
 * search (struct table_pane, in ui_shared.h). It includes no view. */
#ifndef EMBER_TABLE_PANE_H
#define EMBER_TABLE_PANE_H

#include "ui_shared.h"

void table_pane_rebuild(struct app *a);
void table_pane_draw(struct app *a, struct canvas *c, struct rect r, int focused);
int table_pane_key(struct app *a, int key);
int table_pane_click(struct app *a, int x, int y, int dbl);
/* Puts the cursor on the selected function. */
void table_pane_follow(struct app *a);

#endif
