/* The e overlay's file is written by a child process (a copy of the model
 * as it was: the explorer keeps taking keys meanwhile); the core asks
 * whether one runs and reaps it (src/ui/overlay_export.c). */
#ifndef EMBER_OVERLAY_EXPORT_H
#define EMBER_OVERLAY_EXPORT_H

#include "ui_shared.h"

/* Whether an export is being written (st: the overlay's state). */
int export_running(const void *st);
/* When the writer has ended: the status line says what was written or why
 * not, and R_REDRAW; else R_NONE. */
int export_reap(struct app *a, void *st);

#endif
