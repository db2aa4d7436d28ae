/* The t overlay: the sample types with their totals; Enter picks one. Its
 * state is the menu's cursor. */
#include <stdio.h>
#include <stdlib.h>

#include "units.h"
#include "view.h"
#include "widget_box.h"
#include "xalloc.h"

struct types_menu {
    int cursor;                 /* the type under the cursor */
};

/* Each type with its total, so an empty one shows before it is picked. */
static void draw(struct app *a, void *st, struct canvas *c, struct rect screen)
{
    const struct types_menu *m = st;
    struct rect r = widget_box_rect(a, ds_remote_of(a->ds) ? 90 : 60, (int)a->p->ntypes + 2);
    char line[256], name[200], total[UNITS_BUF];
    const int64_t *totals = app_type_totals(a);
    struct dataset *remote = ds_remote_of(a->ds);

    (void)screen;

    widget_box_draw(a, c, r, " Sample type (Enter picks, Esc closes) ");
    for (uint32_t i = 0; i < a->p->ntypes && (int)i < r.h - 2; i++) {
        enum role role = (int)i == m->cursor ? ROLE_SELECTED : ROLE_NORMAL;
        const char *unit = profile_str(a->p, a->p->types[i].unit);

        units_format(totals[i], unit, total, sizeof total);
        if (!a->type_totals_ready)      /* DS_TYPES is pending: the status bar says so */
            snprintf(total, sizeof total, "...");
        snprintf(name, sizeof name, "%s (%s)", profile_str(a->p, a->p->types[i].type), unit);
        snprintf(line, sizeof line, "%s %-32s %10s%s", i == a->type ? "*" : " ", name, total,
                 totals[i] || !a->type_totals_ready ? "" : " (empty)");
        if (remote)             /* a server tells no totals: its type IDs */
            snprintf(line, sizeof line, "%s %-32s %s", i == a->type ? "*" : " ", name,
                     ds_remote_type_id(remote, i) ? ds_remote_type_id(remote, i) : "");
        canvas_fill(c, r.x + 1, r.y + 1 + (int)i, r.w - 2, ' ', role, 0);
        canvas_print(c, r.x + 2, r.y + 1 + (int)i, r.w - 3, line, role);
    }
}

static int key(struct app *a, void *st, int key)
{
    struct types_menu *m = st;
    int n = (int)a->p->ntypes;

    if (key == 'j' || key == K_DOWN)
        m->cursor = (m->cursor + 1) % n;
    else if (key == 'k' || key == K_UP)
        m->cursor = (m->cursor + n - 1) % n;
    else if (key == K_ENTER) {
        a->overlay = OV_NONE;
        if ((uint32_t)m->cursor != a->type) {
            a->type = (uint32_t)m->cursor;
            return R_REQUERY;
        }
    } else if (key == K_ESC || key == 'q' || key == 't')
        a->overlay = OV_NONE;
    return R_REDRAW;
}

static void *init(struct app *a)
{
    (void)a;
    return xcalloc(1, sizeof(struct types_menu));
}

static void menu_free(struct app *a, void *st)
{
    (void)a;
    free(st);
}

/* It opens on the current type. */
static void enter(struct app *a, void *st)
{
    ((struct types_menu *)st)->cursor = (int)a->type;
}

const struct view_class overlay_types = {
    .name = "Sample type", .init = init, .free = menu_free, .enter = enter, .draw = draw,
    .key = key,
};
