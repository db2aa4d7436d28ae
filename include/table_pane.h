/* The function table pane, a widget (src/ui/widget_table.c) used by the
 * table and both views: side A's functions, sorted and filtered by the
 * search. Its state (struct table_pane) is private to widget_table.c; the
 * explorer holds one, a.table, that both views draw, so the cursor and the
 * sort survive switching between them. It includes no view. */
#ifndef EMBER_TABLE_PANE_H
#define EMBER_TABLE_PANE_H

#include "ui_shared.h"

/* Made by app_init (sorted by self, as pprof -top), freed by app_free. */
struct table_pane *table_pane_new(void);
void table_pane_free(struct app *a);
void table_pane_rebuild(struct app *a);
void table_pane_draw(struct app *a, struct canvas *c, struct rect r, int focused);
int table_pane_key(struct app *a, int key);
int table_pane_click(struct app *a, int x, int y, int dbl);
/* Puts the cursor on the selected function. */
void table_pane_follow(struct app *a);

#endif
