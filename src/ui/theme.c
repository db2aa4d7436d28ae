#include "theme.h"

#include <string.h>

#include "hash.h"

/* Warm and cool xterm-256 backgrounds that keep black text readable. */
static const short hue256[THEME_HUES] = {
    216, 180, 223, 187, 151, 158, 152, 153, 189, 183, 182, 218,
    209, 215, 221, 185, 149, 115, 117, 111, 147, 177, 211, 174,
};
static const short hue8[] = { 1, 2, 3, 4, 5, 6 };   /* red .. cyan */

uint8_t theme_hue(const char *name, size_t len)
{
    size_t end = len, slash = 0;

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

static struct style flame_style(enum theme_depth depth, uint8_t color, int faded)
{
    if (depth == THEME_MONO)
        return (struct style){ -1, -1, faded ? STYLE_DIM : STYLE_REVERSE };
    if (faded)
        return (struct style){ depth == THEME_256 ? 244 : 7, depth == THEME_256 ? 236 : 0, 0 };
    if (depth == THEME_256)
        return (struct style){ 16, hue256[color % THEME_HUES], 0 };
    return (struct style){ 0, hue8[color % 6], 0 };
}

/* Green (shrank) through grey to red (grew), light enough for black text. */
static const short diff256[11] = { 41, 78, 114, 151, 194, 250, 224, 217, 210, 203, 196 };

static struct style diff_style(enum theme_depth depth, uint8_t color)
{
    int level = (int)color - 5;

    if (depth == THEME_MONO)    /* grew: bold reverse; shrank: underline */
        return (struct style){ -1, -1, level > 0 ? STYLE_BOLD | STYLE_REVERSE
                                       : level < 0 ? STYLE_UNDERLINE : STYLE_REVERSE };
    if (depth == THEME_8)
        return (struct style){ 0, level > 0 ? 1 : level < 0 ? 2 : 7, level ? STYLE_BOLD : 0 };
    return (struct style){ 16, diff256[color > 10 ? 10 : color], 0 };
}

struct style theme_style(enum theme_depth depth, enum role role, uint8_t color)
{
    int mono = depth == THEME_MONO, deep = depth == THEME_256;

    switch (role) {
    case ROLE_FLAME:
        return flame_style(depth, color, 0);
    case ROLE_FLAME_FADED:
        return flame_style(depth, color, 1);
    case ROLE_DIFF:
        return diff_style(depth, color);
    case ROLE_SPARK:
        return (struct style){ mono ? -1 : deep ? 75 : 6, -1, 0 };
    case ROLE_RANGE:
        return (struct style){ mono ? -1 : deep ? 16 : 0, mono ? -1 : deep ? 153 : 6,
                               mono ? STYLE_REVERSE : 0 };
    /* Selection and matches differ by attribute too, not by color alone. */
    case ROLE_SELECTED:
        return (struct style){ mono ? -1 : 15, mono ? -1 : deep ? 25 : 4,
                               STYLE_BOLD | STYLE_REVERSE };
    case ROLE_MATCH:
        return (struct style){ mono ? -1 : 0, mono ? -1 : deep ? 213 : 5,
                               STYLE_BOLD | STYLE_UNDERLINE };
    case ROLE_STATUS:
        return (struct style){ mono ? -1 : 15, mono ? -1 : deep ? 238 : 4,
                               mono ? STYLE_REVERSE : 0 };
    case ROLE_HINT:
        return (struct style){ mono ? -1 : deep ? 250 : 7, -1, 0 };
    case ROLE_HINT_KEY:
        return (struct style){ mono ? -1 : deep ? 220 : 3, -1, STYLE_BOLD };
    case ROLE_HEADER:
        return (struct style){ -1, -1, STYLE_BOLD | (mono ? STYLE_UNDERLINE : 0) };
    case ROLE_DIM:
        return (struct style){ mono ? -1 : deep ? 245 : 7, -1, mono ? STYLE_DIM : 0 };
    case ROLE_BORDER:
        return (struct style){ mono ? -1 : deep ? 240 : 7, -1, 0 };
    case ROLE_ERROR:
        return (struct style){ mono ? -1 : 15, mono ? -1 : 1, STYLE_BOLD | (mono ? STYLE_REVERSE : 0) };
    case ROLE_BAR:
        return (struct style){ -1, mono ? -1 : deep ? 67 : 6, mono ? STYLE_REVERSE : 0 };
    default:
        return (struct style){ -1, -1, 0 };
    }
}
