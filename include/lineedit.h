/* A one-line editor with history, shared by the search (/) and query (:)
 * prompts so that both edit alike (readline's and vim's command line keys).
 * Text is UTF-8; the cursor is a byte offset on a character boundary. No
 * curses here: the prompts map keys to these calls through a key table. */
#ifndef EMBER_LINEEDIT_H
#define EMBER_LINEEDIT_H

#include <stddef.h>
#include <stdint.h>

#define LINEEDIT_MAX 256        /* bytes, the NUL included */
#define LINEEDIT_HISTORY 32     /* lines remembered; the oldest goes first */

struct lineedit {
    char buf[LINEEDIT_MAX];     /* always NUL-terminated */
    size_t len, cur;
    unsigned gen;               /* bumped by every change of the text */
    char hist[LINEEDIT_HISTORY][LINEEDIT_MAX];  /* oldest first */
    int nhist;
    int hpos;                   /* the history line shown, or nhist: the draft */
    char draft[LINEEDIT_MAX];   /* what was typed before Up */
};

/* Replaces the text (cursor at its end) and leaves history browsing. */
void lineedit_set(struct lineedit *e, const char *s);

/* Inserts n bytes at the cursor; returns -1 (and changes nothing) when
 * they do not fit. */
int lineedit_insert(struct lineedit *e, const char *s, size_t n);
/* Inserts one code point, UTF-8 encoded. */
int lineedit_insert_cp(struct lineedit *e, uint32_t cp);

/* Moves; each returns 1 when the cursor moved, else 0. */
int lineedit_left(struct lineedit *e);
int lineedit_right(struct lineedit *e);
int lineedit_home(struct lineedit *e);
int lineedit_end(struct lineedit *e);

/* Erases; each returns 1 when the text changed, else 0. Backspace takes
 * the character before the cursor, delete the one under it; a word is a
 * run of letters, digits, _ and non-ASCII, or a run of other signs, after
 * any spaces before the cursor (as vim's ^W). */
int lineedit_backspace(struct lineedit *e);
int lineedit_delete(struct lineedit *e);
int lineedit_erase_word(struct lineedit *e);
int lineedit_erase_to_start(struct lineedit *e);
int lineedit_erase_to_end(struct lineedit *e);

/* Up and Down: the previous or next history line replaces the text (the
 * line being typed is kept and comes back after the newest). Return 1
 * when the text changed. */
int lineedit_history_prev(struct lineedit *e);
int lineedit_history_next(struct lineedit *e);
/* Remembers s as the newest line; an empty line or a repeat of the
 * newest is not added twice. */
void lineedit_history_add(struct lineedit *e, const char *s);
/* The newest history line, or NULL when there is none. */
const char *lineedit_history_last(const struct lineedit *e);

#endif
