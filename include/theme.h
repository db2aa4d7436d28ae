/* How roles look, and the flamegraph's hues. No curses: the terminal layer
 * turns a style into attributes and color pairs. */
#ifndef EMBER_THEME_H
#define EMBER_THEME_H

#include <stddef.h>
#include <stdint.h>

#include "canvas.h"

enum theme_depth { THEME_MONO, THEME_8, THEME_256 };

#define THEME_HUES 24           /* as many as Pyroscope's palette */

enum { STYLE_BOLD = 1, STYLE_REVERSE = 2, STYLE_UNDERLINE = 4, STYLE_DIM = 8 };

/* fg/bg: color numbers for the depth (-1 = the terminal's default). */
struct style {
    short fg, bg;
    uint8_t attrs;
};

/* The style of a cell of `role` with flame hue `color`. */
struct style theme_style(enum theme_depth depth, enum role role, uint8_t color);

/* s made drawable on a terminal of `colors` colors: a bright color (8..15)
 * becomes its basic one, another one out of range the default; where the
 * terminal has no default colors (default_colors 0), white on black stands
 * in for them beside an explicit color; and text never gets the color of
 * its background. */
struct style theme_fit(struct style s, int colors, int default_colors);

/* The hue of a function: its package (the name up to the first '.' after
 * the last '/': "net/http.(*conn).serve" -> "net/http") hashed into the
 * palette, so one package has one hue in every view and every run. */
/* Bytes of a name theme_hue looks at (names longer are cut there). */
#define THEME_HUE_SCAN 1024
uint8_t theme_hue(const char *name, size_t len);
/* The 256-color flamegraph's fill of a function as 0xRRGGBB (the SVG
 * export's colors are the terminal's). */
uint32_t theme_hue_rgb(const char *name, size_t len);

#endif
