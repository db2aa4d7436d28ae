/* The terminal: the only module that includes curses. It blits a canvas
 * (curses then writes only the cells that changed) and reads events. */
#ifndef EMBER_TERM_H
#define EMBER_TERM_H

#include "canvas.h"
#include "keys.h"
#include "theme.h"

/* Whether the explorer can open: stdin and stdout are a terminal. */
int term_can_open(void);
/* Opens the UI on the terminal (ending the load mode first). mono forces
 * the monochrome theme (NO_COLOR and colorless terminals get it anyway).
 * Returns -1 when stdin/stdout are not a terminal. The terminal is restored
 * on exit and before any signal whose default is to end the process ends
 * it (all but SIGKILL; signals ember was started with ignored stay so). */
int term_open(int mono);
void term_close(void);
/* The signal that made term_event return EV_QUIT (SIGINT, SIGTERM, SIGHUP
 * and the others whose default is to end the process without a core dump),
 * or 0. */
int term_signal(void);

/* Loading, before the explorer opens (no-op unless term_can_open): keys
 * are taken without echo, q ends ember at once (exit 0) and the keys
 * before it go to the explorer; a signal restores the terminal, then ends
 * ember as it would have. term_load_end (also at exit) puts the terminal
 * back. */
void term_load_begin(void);
void term_load_end(void);
/* Shows line on stderr, when it is a terminal, in place of the last one
 * shown; NULL erases it. term_open and a signal erase it too. */
void term_status(const char *line);

/* Whether the terminal takes UTF-8 (decided once, from the locale). */
int term_utf8(void);
enum theme_depth term_depth(void);
void term_size(int *w, int *h);

void term_draw(const struct canvas *c);

/* Mouse reports on (clicks, the wheel, drags) or off (the terminal's own
 * selection works). */
void term_mouse(int on);

/* Puts text on the clipboard of the terminal the person sits at, however
 * far (SSH): inside tmux ($TMUX) through `tmux load-buffer -w -`, else as
 * OSC 52 (term_osc52), wrapped for GNU screen inside it ($STY). The text
 * goes base64-encoded: no byte of it reaches the terminal as it is.
 * Returns 0, or -1; how says which way went ("OSC 52 via tmux"). */
int term_clipboard(const char *text, size_t len, char *how, size_t n);
/* Appends the OSC 52 sequence (ESC ] 52 ; c ; BASE64 BEL) that sets the
 * clipboard to text; screen: the form GNU screen passes on (DCS strings
 * of 76 base64 digits each). */
struct sbuf;
void term_osc52(struct sbuf *b, const char *text, size_t len, int screen);

/* Waits up to timeout_ms (-1: forever) for an event. */
struct event term_event(int timeout_ms);
/* The same, also waking when one of the n descriptors (a data set's
 * transfers) is ready: that returns EV_NONE, as a timeout does. */
struct pollfd;
struct event term_wait(int timeout_ms, const struct pollfd *extra, int n);

#endif
