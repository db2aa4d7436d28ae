/* The box an overlay draws in: centred, opaque, framed, titled. */
#include "widget_box.h"

struct rect widget_box_rect(const struct app *a, int want_w, int want_h)
{
    int w = want_w < a->w - 2 ? want_w : a->w - 2, h = want_h < a->h - 2 ? want_h : a->h - 2;

    return (struct rect){ (a->w - w) / 2, (a->h - h) / 2, w, h };
}

/* An opaque box: every cell inside is cleared (a wide character cut by an
 * edge loses its other half too: see canvas put), and the four edges are
 * drawn, so nothing behind it reads as part of it. */
void widget_box_draw(struct app *a, struct canvas *c, struct rect r, const char *title)
{
    uint32_t h = a->utf8 ? 0x2500 : '-', v = a->utf8 ? 0x2502 : '|';
    int right = r.x + r.w - 1, bottom = r.y + r.h - 1;

    for (int y = r.y; y <= bottom; y++) {
        canvas_fill(c, r.x, y, r.w, ' ', ROLE_NORMAL, 0);
        canvas_fill(c, r.x, y, 1, v, ROLE_BORDER, 0);
        canvas_fill(c, right, y, 1, v, ROLE_BORDER, 0);
    }
    canvas_fill(c, r.x, r.y, r.w, h, ROLE_BORDER, 0);
    canvas_fill(c, r.x, bottom, r.w, h, ROLE_BORDER, 0);
    canvas_fill(c, r.x, r.y, 1, a->utf8 ? 0x250c : '+', ROLE_BORDER, 0);
    canvas_fill(c, right, r.y, 1, a->utf8 ? 0x2510 : '+', ROLE_BORDER, 0);
    canvas_fill(c, r.x, bottom, 1, a->utf8 ? 0x2514 : '+', ROLE_BORDER, 0);
    canvas_fill(c, right, bottom, 1, a->utf8 ? 0x2518 : '+', ROLE_BORDER, 0);
    canvas_print(c, r.x + 2, r.y, r.w - 4, title, ROLE_HEADER);
}
