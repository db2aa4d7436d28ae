#include "theme.h"

#include <string.h>

#include "hash.h"

/* Warm and cool xterm-256 backgrounds that keep black text readable. */
static const short hue256[THEME_HUES] = {
    216, 180, 223, 187, 151, 158, 152, 153, 189, 183, 182, 218,
    209, 215, 221, 185, 149, 115, 117, 111, 147, 177, 211, 174,
};
/* The eight basic colors: each hue with the text color that reads on it
 * (black on the light ones, white on red and blue). */
static const short hue8[] = { 1, 2, 3, 4, 5, 6 };   /* red .. cyan */
static const short text8[] = { 7, 0, 0, 7, 0, 0 };

/* Roles whose look does not depend on a hue, per depth. A role left out of
 * mono_roles is plain text; roles8 and roles256 name every role (one left
 * out would be black on black: tests/check_theme.c looks). */
static const struct style mono_roles[ROLE_COUNT] = {
    [ROLE_DIM] = { -1, -1, STYLE_DIM },
    [ROLE_HEADER] = { -1, -1, STYLE_BOLD | STYLE_UNDERLINE },
    [ROLE_STATUS] = { -1, -1, STYLE_REVERSE },
    [ROLE_HINT_KEY] = { -1, -1, STYLE_BOLD },
    [ROLE_SELECTED] = { -1, -1, STYLE_BOLD | STYLE_REVERSE },
    [ROLE_MATCH] = { -1, -1, STYLE_BOLD | STYLE_UNDERLINE },
    [ROLE_ERROR] = { -1, -1, STYLE_BOLD | STYLE_REVERSE },
    [ROLE_BAR] = { -1, -1, STYLE_REVERSE },
    [ROLE_RANGE] = { -1, -1, STYLE_REVERSE },
    [ROLE_HOT] = { -1, -1, STYLE_BOLD },
};
/* With eight colors a color on the terminal's own background must read on a
 * dark and on a light one alike, so text there keeps the default color and
 * differs by attribute; colored text sits on a background of its own. */
static const struct style roles8[ROLE_COUNT] = {
    [ROLE_NORMAL] = { -1, -1, 0 },
    [ROLE_DIM] = { -1, -1, STYLE_DIM },
    [ROLE_HEADER] = { -1, -1, STYLE_BOLD },
    [ROLE_STATUS] = { 7, 4, 0 },
    [ROLE_HINT] = { -1, -1, 0 },
    [ROLE_HINT_KEY] = { -1, -1, STYLE_BOLD },
    [ROLE_SELECTED] = { 7, 4, STYLE_BOLD | STYLE_REVERSE },
    [ROLE_MATCH] = { 0, 5, STYLE_BOLD | STYLE_UNDERLINE },
    [ROLE_BORDER] = { -1, -1, 0 },
    [ROLE_ERROR] = { 7, 1, STYLE_BOLD },
    [ROLE_BAR] = { 0, 6, 0 },
    [ROLE_SPARK] = { -1, -1, 0 },
    [ROLE_RANGE] = { 0, 6, 0 },
    [ROLE_HOT] = { 0, 3, STYLE_BOLD },
};
/* Selection and matches differ by attribute too, not by color alone. */
static const struct style roles256[ROLE_COUNT] = {
    [ROLE_NORMAL] = { -1, -1, 0 },
    [ROLE_DIM] = { 245, -1, 0 },
    [ROLE_HEADER] = { -1, -1, STYLE_BOLD },
    [ROLE_STATUS] = { 15, 238, 0 },
    [ROLE_HINT] = { 250, -1, 0 },
    [ROLE_HINT_KEY] = { 220, -1, STYLE_BOLD },
    [ROLE_SELECTED] = { 15, 25, STYLE_BOLD | STYLE_REVERSE },
    [ROLE_MATCH] = { 0, 213, STYLE_BOLD | STYLE_UNDERLINE },
    [ROLE_BORDER] = { 240, -1, 0 },
    [ROLE_ERROR] = { 15, 1, STYLE_BOLD },
    [ROLE_BAR] = { -1, 67, 0 },
    [ROLE_SPARK] = { 75, -1, 0 },
    [ROLE_RANGE] = { 16, 153, 0 },
    [ROLE_HOT] = { 16, 223, STYLE_BOLD },
};

uint8_t theme_hue(const char *name, size_t len)
{
    size_t end, slash = 0;

    /* the package is in a name's head: a 50 MB name hashes its first
     * THEME_HUE_SCAN bytes, so each box costs its width, not the name */
    if (len > THEME_HUE_SCAN)
        len = THEME_HUE_SCAN;
    end = len;
    for (size_t i = 0; i < len; i++)
        if (name[i] == '/')
            slash = i + 1;
    for (size_t i = slash; i < len; i++) {
        if (name[i] == '.' || name[i] == ':' || name[i] == ' ' || name[i] == '(') {
            end = i;
            break;
        }
    }
    if (end == 0)
        end = len;
    return (uint8_t)(hash_bytes(name, end) % THEME_HUES);
}

/* Without colors a bar is plain text (the flamegraph draws a rule where it
 * ends), so that reverse video is left to the selection. */
static struct style flame_style(enum theme_depth depth, uint8_t color, int faded)
{
    if (depth == THEME_MONO)
        return (struct style){ -1, -1, faded ? STYLE_DIM : 0 };
    if (faded)
        return (struct style){ depth == THEME_256 ? 244 : 7, depth == THEME_256 ? 236 : 0, 0 };
    if (depth == THEME_256)
        return (struct style){ 16, hue256[color % THEME_HUES], 0 };
    return (struct style){ text8[color % 6], hue8[color % 6], 0 };
}

/* Green (shrank) through grey to red (grew), light enough for black text. */
static const short diff256[11] = { 41, 78, 114, 151, 194, 250, 224, 217, 210, 203, 196 };

static struct style diff_style(enum theme_depth depth, uint8_t color)
{
    int level = (int)color - 5;

    if (depth == THEME_MONO)    /* the flamegraph marks them '+' and '-' too */
        return (struct style){ -1, -1, level > 0 ? STYLE_BOLD : level < 0 ? STYLE_UNDERLINE : 0 };
    if (depth == THEME_8)
        return (struct style){ 0, level > 0 ? 1 : level < 0 ? 2 : 7, level ? STYLE_BOLD : 0 };
    return (struct style){ 16, diff256[color > 10 ? 10 : color], 0 };
}

struct style theme_style(enum theme_depth depth, enum role role, uint8_t color)
{
    switch (role) {
    case ROLE_FLAME:
        return flame_style(depth, color, 0);
    case ROLE_FLAME_FADED:
        return flame_style(depth, color, 1);
    case ROLE_DIFF:
        return diff_style(depth, color);
    default:
        break;
    }
    if ((unsigned)role >= ROLE_COUNT)
        return (struct style){ -1, -1, 0 };
    if (depth == THEME_MONO) {
        struct style s = mono_roles[role];

        s.fg = s.bg = -1;       /* the designated initialisers leave 0 */
        return s;
    }
    return depth == THEME_8 ? roles8[role] : roles256[role];
}

static short fit_color(short c, int colors)
{
    if (c < colors)
        return c;
    return colors >= 8 && c < 16 ? (short)(c - 8) : -1;     /* 8..15: bright 0..7 */
}

/* Green, yellow, cyan and white want black text; the others white. */
static short text_on(short bg)
{
    return bg == 2 || bg == 3 || bg == 6 || bg == 7 ? 0 : 7;
}

struct style theme_fit(struct style s, int colors, int default_colors)
{
    s.fg = fit_color(s.fg, colors);
    s.bg = fit_color(s.bg, colors);
    if (!default_colors && (s.fg >= 0 || s.bg >= 0)) {
        if (s.bg < 0)
            s.bg = 0;           /* the usual default: a black screen */
        if (s.fg < 0)
            s.fg = text_on(s.bg);
    }
    if (s.fg >= 0 && s.fg == s.bg)      /* never text the color of its ground */
        s.fg = text_on(s.bg);
    return s;
}

/* xterm-256's color cube (16..231): six levels a channel. */
uint32_t theme_hue_rgb(const char *name, size_t len)
{
    static const uint8_t level[6] = { 0, 95, 135, 175, 215, 255 };
    int c = hue256[theme_hue(name, len) % THEME_HUES] - 16;

    return (uint32_t)level[c / 36] << 16 | (uint32_t)level[c / 6 % 6] << 8 | level[c % 6];
}
