/* The terminal: the only module that includes curses. It blits a canvas
 * (curses then writes only the cells that changed) and reads events. */
#ifndef EMBER_TERM_H
#define EMBER_TERM_H

#include "canvas.h"
#include "keys.h"
#include "theme.h"

/* Opens the UI on the terminal. mono forces the monochrome theme (NO_COLOR
 * and colorless terminals get it anyway). Returns -1 when stdin/stdout are
 * not a terminal. The terminal is restored on exit, on SIGINT, SIGTERM,
 * SIGHUP and on a crash. */
int term_open(int mono);
void term_close(void);
/* The signal (SIGINT, SIGTERM, SIGHUP) that made term_event return
 * EV_QUIT, or 0. */
int term_signal(void);

/* Whether the terminal takes UTF-8 (decided once, from the locale). */
int term_utf8(void);
enum theme_depth term_depth(void);
void term_size(int *w, int *h);

void term_draw(const struct canvas *c);

/* Waits up to timeout_ms (-1: forever) for an event. */
struct event term_event(int timeout_ms);

#endif
