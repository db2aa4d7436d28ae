/* The ? overlay: every key table (a.keymaps), scrollable. Its state is
 * how far it is scrolled. */
#include <stdio.h>
#include <stdlib.h>

#include "keymap.h"
#include "view.h"
#include "widget_box.h"
#include "xalloc.h"

struct help {
    int scroll;                 /* first line shown */
};

/* Help lines: a context title, then "keys  description" per binding. */
static int help_line(const struct app *a, int i, char *buf, size_t n, int *title)
{
    const struct keymap *km;

    for (size_t m = 0; (km = a->keymaps(m)); m++) {
        if (i == 0) {
            snprintf(buf, n, "%s", km->context);
            *title = 1;
            return 1;
        }
        if (i <= (int)km->n) {
            snprintf(buf, n, "  %-10s %s", km->b[i - 1].keys, km->b[i - 1].help);
            *title = 0;
            return 1;
        }
        i -= (int)km->n + 1;
        if (i == 0) {
            buf[0] = '\0';
            *title = 0;
            return 1;
        }
        i--;
    }
    return 0;
}

static void draw(struct app *a, void *st, struct canvas *c, struct rect screen)
{
    struct help *hp = st;
    struct rect r = widget_box_rect(a, 78, 40);
    char line[256];
    int title, total = 0;

    (void)screen;
    while (help_line(a, total, line, sizeof line, &title))
        total++;
    if (hp->scroll > total - (r.h - 2))
        hp->scroll = total - (r.h - 2);
    if (hp->scroll < 0)
        hp->scroll = 0;
    widget_box_draw(a, c, r, " Keys (j/k scroll, Esc closes; any other key closes and acts) ");
    for (int i = 0; i < r.h - 2 && help_line(a, hp->scroll + i, line, sizeof line, &title); i++)
        canvas_print(c, r.x + 1, r.y + 1 + i, r.w - 2, line, title ? ROLE_HEADER : ROLE_NORMAL);
}

/* j k Space PgUp PgDn scroll; Esc q ? F1 close; any other key closes the
 * help and is not lost: R_UNHANDLED passes it on to the screen behind. */
static int key(struct app *a, void *st, int key)
{
    struct help *hp = st;

    if (key == 'j' || key == K_DOWN || key == ' ' || key == K_PGDN)
        hp->scroll += key == 'j' || key == K_DOWN ? 1 : 10;
    else if (key == 'k' || key == K_UP || key == K_PGUP)
        hp->scroll -= key == K_PGUP ? 10 : 1;
    else {
        a->overlay = OV_NONE;
        if (key != K_ESC && key != 'q' && key != '?' && key != K_F1)
            return R_UNHANDLED;
    }
    return R_REDRAW;
}

static void *init(struct app *a)
{
    (void)a;
    return xcalloc(1, sizeof(struct help));
}

static void help_free(struct app *a, void *st)
{
    (void)a;
    free(st);
}

static void enter(struct app *a, void *st)
{
    (void)a;
    ((struct help *)st)->scroll = 0;
}

const struct view_class overlay_help = {
    .name = "Help", .init = init, .free = help_free, .enter = enter, .draw = draw, .key = key,
};
