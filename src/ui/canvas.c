#include "canvas.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "text.h"
#include "xalloc.h"

void canvas_init(struct canvas *c, int w, int h, int utf8)
{
    memset(c, 0, sizeof *c);
    c->utf8 = utf8;
    canvas_resize(c, w, h);
}

void canvas_free(struct canvas *c)
{
    free(c->cells);
    c->cells = NULL;
}

void canvas_resize(struct canvas *c, int w, int h)
{
    c->w = w > 0 ? w : 0;
    c->h = h > 0 ? h : 0;
    c->cells = xreallocarray(c->cells, (size_t)c->w * (size_t)c->h + 1, sizeof *c->cells);
    canvas_clear(c);
}

void canvas_clear(struct canvas *c)
{
    for (size_t i = 0; i < (size_t)c->w * (size_t)c->h; i++)
        c->cells[i] = (struct cell){ ' ', ROLE_NORMAL, 0, 0 };
}

/* Writing over half of a wide character blanks its other half. */
static void put(struct canvas *c, int x, int y, uint32_t ch, enum role role, uint8_t color)
{
    struct cell *cell = canvas_at(c, x, y);

    if (cell->ch == CANVAS_WIDE_TAIL && x > 0)
        canvas_at(c, x - 1, y)->ch = ' ';
    if (x + 1 < c->w && canvas_at(c, x + 1, y)->ch == CANVAS_WIDE_TAIL && ch != CANVAS_WIDE_TAIL)
        canvas_at(c, x + 1, y)->ch = ' ';
    *cell = (struct cell){ ch, (uint8_t)role, color, 0 };
}

void canvas_fill(struct canvas *c, int x, int y, int w, uint32_t ch, enum role role,
                 uint8_t color)
{
    if (y < 0 || y >= c->h)
        return;
    for (int i = x < 0 ? 0 : x; i < x + w && i < c->w; i++)
        put(c, i, y, ch, role, color);
}

int canvas_text_width(const char *s, size_t len, int utf8)
{
    return text_width(s, len, utf8);
}

static void put_escaped(struct canvas *c, int x, int y, unsigned char b, enum role role,
                        uint8_t color)
{
    static const char hex[] = "0123456789abcdef";
    const char e[4] = { '\\', 'x', hex[b >> 4], hex[b & 15] };

    for (int i = 0; i < 4; i++)
        put(c, x + i, y, (uint32_t)e[i], role, color);
}

int canvas_text(struct canvas *c, int x, int y, int maxw, const char *s, size_t len,
                enum role role, uint8_t color)
{
    uint32_t ellipsis = c->utf8 ? 0x2026 : '~';
    int col = 0, full;

    if (y < 0 || y >= c->h || x < 0 || x >= c->w || maxw <= 0)
        return 0;
    if (maxw > c->w - x)
        maxw = c->w - x;
    /* whether it fits needs only maxw + 1 columns: a 50 MB name costs the box */
    full = text_width_upto(s, len, c->utf8, maxw);
    for (size_t i = 0; i < len;) {
        struct text_glyph g = text_next_glyph(s + i, len - i, c->utf8);

        /* Keep one column for the ellipsis when the rest will not fit. */
        if (col + g.width > maxw - (full > maxw))
            break;
        if (g.escaped)
            put_escaped(c, x + col, y, (unsigned char)s[i], role, color);
        else
            put(c, x + col, y, g.cp, role, color);
        if (g.width == 2)
            put(c, x + col + 1, y, CANVAS_WIDE_TAIL, role, color);
        col += g.width;
        i += g.bytes;
    }
    if (full > maxw)
        put(c, x + col++, y, ellipsis, role, color);
    return col;
}

int canvas_name(struct canvas *c, int x, int y, int maxw, const char *s, size_t len,
                enum role role, uint8_t color)
{
    int cut;
    size_t start;

    if (y < 0 || y >= c->h || x < 0 || x >= c->w || maxw <= 0)
        return 0;
    if (maxw > c->w - x)
        maxw = c->w - x;
    start = text_fit_tail(s, len, maxw, c->utf8, &cut);
    if (!cut)
        return canvas_text(c, x, y, maxw, s, len, role, color);
    put(c, x, y, c->utf8 ? 0x2026 : '~', role, color);
    return 1 + canvas_text(c, x + 1, y, maxw - 1, s + start, len - start, role, color);
}

int canvas_print(struct canvas *c, int x, int y, int maxw, const char *s, enum role role)
{
    return canvas_text(c, x, y, maxw, s, strlen(s), role, 0);
}

char *canvas_row(const struct canvas *c, int y)
{
    struct sbuf b = { 0 };

    for (int x = 0; x < c->w; x++) {
        uint32_t cp = c->cells[(size_t)y * (size_t)c->w + (size_t)x].ch;
        char u[4];

        if (cp == CANVAS_WIDE_TAIL)
            continue;
        sbuf_add(&b, u, text_utf8_encode(cp, u));
    }
    if (!b.s)
        sbuf_add(&b, "", 0);
    return b.s;
}
