/* A grid of cells that views draw into. The terminal layer blits it through
 * ncursesw; tests and benchmarks keep it in memory. No curses here. */
#ifndef EMBER_CANVAS_H
#define EMBER_CANVAS_H

#include <stddef.h>
#include <stdint.h>

/* What a cell means; the theme decides how each role looks. */
enum role {
    ROLE_NORMAL,
    ROLE_DIM,                   /* secondary text, axis labels */
    ROLE_HEADER,                /* column headers, pane titles */
    ROLE_STATUS,                /* the status bar */
    ROLE_HINT,                  /* the key hint bar */
    ROLE_HINT_KEY,              /* a key inside the hint bar */
    ROLE_SELECTED,              /* the selected node or row */
    ROLE_MATCH,                 /* a search match */
    ROLE_FLAME,                 /* a flamegraph bar; the cell's color is its hue */
    ROLE_FLAME_FADED,           /* a bar that does not match the search */
    ROLE_BORDER,
    ROLE_ERROR,
    ROLE_BAR,                   /* share bars in tables */
    ROLE_DIFF,                  /* a diff bar; color = level + DIFF_LEVELS (0..10) */
    ROLE_SPARK,                 /* timeline and sparklines */
    ROLE_RANGE,                 /* the selected time range */
    ROLE_HOT,                   /* a source line with samples (the source view) */
    ROLE_COUNT
};

/* ch == CANVAS_WIDE_TAIL marks the right half of a double-width character. */
#define CANVAS_WIDE_TAIL 0xFFFFFFFFu

struct cell {
    uint32_t ch;                /* a Unicode code point */
    uint8_t role;
    uint8_t color;              /* palette index for ROLE_FLAME */
    uint16_t spare;
};

struct canvas {
    int w, h;
    struct cell *cells;
    int utf8;                   /* may write non-ASCII characters */
};

void canvas_init(struct canvas *c, int w, int h, int utf8);
void canvas_free(struct canvas *c);
void canvas_resize(struct canvas *c, int w, int h);
void canvas_clear(struct canvas *c);

static inline struct cell *canvas_at(struct canvas *c, int x, int y)
{
    return &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
}

/* Fills w cells of row y from x with ch (clipped to the canvas). */
void canvas_fill(struct canvas *c, int x, int y, int w, uint32_t ch, enum role role,
                 uint8_t color);

/* Writes untrusted text at (x, y) in at most maxw columns: unprintable bytes
 * and invalid UTF-8 are shown escaped (\xNN), wide characters take two
 * columns, and text that does not fit ends with an ellipsis. Returns the
 * columns used. */
int canvas_text(struct canvas *c, int x, int y, int maxw, const char *s, size_t len,
                enum role role, uint8_t color);

/* Writes a function name as canvas_text does, but a name too wide keeps its
 * end after a leading ellipsis (see text_fit_tail). Returns the columns used. */
int canvas_name(struct canvas *c, int x, int y, int maxw, const char *s, size_t len,
                enum role role, uint8_t color);

/* The same, for a NUL-terminated string. */
int canvas_print(struct canvas *c, int x, int y, int maxw, const char *s, enum role role);

/* The columns canvas_text needs to write s whole. */
int canvas_text_width(const char *s, size_t len, int utf8);

/* Row y as UTF-8, for tests and the virtual screen (caller frees). */
char *canvas_row(const struct canvas *c, int y);

#endif
