/* The o overlay (a server): its services and profile types, as Pyroscope's
 * app selector; Enter opens {service_name="x"} on the type. The services
 * are the data set's values of service_name (DS_LABEL_VALUES: the server's
 * LabelValues), the types its ProfileTypes (the model's type table). Its
 * state: the two lists' cursors, which one has the keyboard, the services. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"
#include "text.h"
#include "view.h"
#include "widget_box.h"
#include "xalloc.h"

struct picker {
    int col;                    /* 0: services, 1: types */
    int cursor[2];
    uint32_t *services;         /* string ids, sorted */
    uint32_t nservices;
    int state;                  /* 0 asked, 1 came, -1 failed or cancelled */
};

static struct picker *of(struct app *a)
{
    return a->overlay_state[OV_PICKER];
}

/* The service the focused side's query names (its service_name="x"), or
 * the first. */
static int in_use(struct app *a, const struct picker *m)
{
    const char *query = a->side[app_focused_side(a)].query;

    for (uint32_t i = 0; i < m->nservices; i++) {
        struct sbuf b = { 0 };
        int found;

        sbuf_add(&b, "service_name=", 13);
        selector_quote(&b, profile_str(a->p, m->services[i]));
        found = strstr(query, b.s) != NULL;
        sbuf_free(&b);
        if (found)
            return (int)i;
    }
    return 0;
}

static void services_answer(struct app *a, int slot, struct ds_result *res)
{
    struct picker *m = of(a);

    (void)slot;
    m->state = res ? 1 : -1;
    if (!res)
        return;
    free(m->services);
    m->services = res->ids;     /* taken */
    m->nservices = res->nids;
    res->ids = NULL;
    ds_result_free(res);
    m->cursor[0] = in_use(a, m);
}

static void enter(struct app *a, void *st)
{
    struct picker *m = st;
    struct ds_query q = { .kind = DS_LABEL_VALUES, .label = "service_name", .query = "{}",
                          .from = INT64_MIN, .until = INT64_MAX };

    m->col = 0;
    m->cursor[1] = a->type < a->p->ntypes ? (int)a->type : 0;
    m->state = 0;
    app_ask(a, SLOT_PICKER, &q, "the services (service_name)", services_answer);
}

static const char *type_text(struct app *a, uint32_t t, char *buf, size_t n)
{
    struct dataset *remote = ds_remote_of(a->ds);
    const char *id = remote ? ds_remote_type_id(remote, t) : NULL;

    if (id)
        return id;
    snprintf(buf, n, "%s (%s)", profile_str(a->p, a->p->types[t].type),
             profile_str(a->p, a->p->types[t].unit));
    return buf;
}

/* One list in its column: the cursor's row selected when it has the keys,
 * marked with '>' when not; scrolled so that the cursor's row shows. */
static void draw_column(struct app *a, struct canvas *c, struct rect r, int col, uint32_t n)
{
    const struct picker *m = of(a);
    char buf[300];
    uint32_t top = r.h > 0 && m->cursor[col] >= r.h ? (uint32_t)(m->cursor[col] - r.h + 1) : 0;

    for (uint32_t i = top; i < n && (int)(i - top) < r.h; i++) {
        int at = (int)i == m->cursor[col], y = r.y + (int)(i - top);
        enum role role = at && m->col == col ? ROLE_SELECTED : ROLE_NORMAL;
        const char *s = col ? type_text(a, i, buf, sizeof buf) : profile_str(a->p, m->services[i]);

        canvas_fill(c, r.x, y, r.w, ' ', role, 0);
        canvas_print(c, r.x, y, 2, at ? ">" : " ", role);
        canvas_text(c, r.x + 2, y, r.w - 2, s, strlen(s), role, 0);
    }
}

static void draw(struct app *a, void *st, struct canvas *c, struct rect screen)
{
    const struct picker *m = st;
    uint32_t rows = m->nservices > a->p->ntypes ? m->nservices : a->p->ntypes;
    struct rect r = widget_box_rect(a, 96, (int)rows + 4), left, right;
    const char *wait = m->state == 0 ? "(asking the server...)" : "(no service: see below)";

    (void)screen;
    widget_box_draw(a, c, r, " Service and profile type (Tab switches, Enter opens, Esc closes) ");
    left = (struct rect){ r.x + 2, r.y + 3, (r.w - 5) / 2, r.h - 4 };
    right = (struct rect){ left.x + left.w + 1, r.y + 3, r.w - 4 - left.w - 1, r.h - 4 };
    canvas_print(c, left.x, r.y + 1, left.w, "service_name", ROLE_HEADER);
    canvas_print(c, right.x, r.y + 1, right.w, "profile type", ROLE_HEADER);
    if (m->nservices)
        draw_column(a, c, left, 0, m->nservices);
    else
        canvas_print(c, left.x, left.y, left.w, wait, ROLE_DIM);
    draw_column(a, c, right, 1, a->p->ntypes);
}

/* Enter: the service's query on the type, on side A (the focused one in
 * the comparison). */
static int open_choice(struct app *a, struct picker *m)
{
    struct sbuf b = { 0 };
    int s = app_focused_side(a);
    uint32_t t = (uint32_t)m->cursor[1];

    if (m->state == 0) {        /* not {}: every service merged */
        snprintf(a->message, sizeof a->message, "waiting for the services (Esc closes)");
        return R_REDRAW;
    }
    a->overlay = OV_NONE;
    ds_release(a->req[SLOT_PICKER]);
    a->req[SLOT_PICKER] = NULL;
    sbuf_add(&b, "{", 1);
    if (m->nservices) {
        sbuf_add(&b, "service_name=", 13);
        selector_quote(&b, profile_str(a->p, m->services[m->cursor[0]]));
    }
    sbuf_add(&b, "}", 1);
    if (t < a->p->ntypes && t != a->type) {
        a->type = t;            /* one type for both sides */
        if (a->side[1 - s].ready)
            side_values(a, 1 - s);
    }
    app_set_query(a, s, b.s);
    sbuf_free(&b);
    return R_REDRAW;
}

static int key(struct app *a, void *st, int key)
{
    struct picker *m = st;
    int n = m->col ? (int)a->p->ntypes : (int)m->nservices;

    switch (key) {
    case 'j': case K_DOWN: if (n) m->cursor[m->col] = (m->cursor[m->col] + 1) % n; break;
    case 'k': case K_UP: if (n) m->cursor[m->col] = (m->cursor[m->col] + n - 1) % n; break;
    case K_TAB: case K_BTAB: case K_LEFT: case K_RIGHT: case 'h': case 'l': m->col ^= 1; break;
    case K_ENTER: return open_choice(a, m);
    case K_ESC: case 'q': case 'o':
        a->overlay = OV_NONE;
        ds_release(a->req[SLOT_PICKER]);
        a->req[SLOT_PICKER] = NULL;
        break;
    default: break;
    }
    return R_REDRAW;
}

static void *init(struct app *a)
{
    (void)a;
    return xcalloc(1, sizeof(struct picker));
}

static void picker_free(struct app *a, void *st)
{
    (void)a;
    free(((struct picker *)st)->services);
    free(st);
}

static int nothing(struct app *a, void *p) { (void)a; (void)p; return R_NONE; }

/* For ? and --keys; key() above handles them. */
static const struct binding picker_bindings[] = {
    { 'j', K_DOWN, "j Down", "the next service or type", NULL, nothing },
    { 'k', K_UP, "k Up", "the previous one", NULL, nothing },
    { K_TAB, K_LEFT, "Tab Left Right", "switch between the services and the types", NULL,
      nothing },
    { K_ENTER, 0, "Enter", "open {service_name=\"...\"} on the type", NULL, nothing },
    { K_ESC, 'o', "Esc o", "close: keep what is open", NULL, nothing },
};

const struct keymap keymap_picker = { "Service picker (o, a server)", picker_bindings,
                                      sizeof picker_bindings / sizeof *picker_bindings };

const struct view_class overlay_picker = {
    .name = "Services", .help = { &keymap_picker }, .init = init, .free = picker_free,
    .enter = enter, .draw = draw, .key = key,
};
