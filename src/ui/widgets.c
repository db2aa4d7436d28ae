/* Overlays: the key help, the sample type menu and the search prompt. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "keymap.h"

static const struct keymap *help_maps[] = {
    &keymap_global, &keymap_time, &keymap_flame, &keymap_table, &keymap_sandwich, &keymap_tags,
    &keymap_diff, &keymap_sides, &keymap_prompt, &keymap_query,
};

/* Help lines: a context title, then "keys  description" per binding. */
static int help_line(int i, char *buf, size_t n, int *title)
{
    for (size_t m = 0; m < sizeof help_maps / sizeof *help_maps; m++) {
        const struct keymap *km = help_maps[m];

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

static struct rect overlay_box(const struct app *a, int want_w, int want_h)
{
    int w = want_w < a->w - 2 ? want_w : a->w - 2, h = want_h < a->h - 2 ? want_h : a->h - 2;

    return (struct rect){ (a->w - w) / 2, (a->h - h) / 2, w, h };
}

static void frame_box(struct app *a, struct canvas *c, struct rect r, const char *title)
{
    for (int y = r.y; y < r.y + r.h; y++)
        canvas_fill(c, r.x, y, r.w, ' ', ROLE_NORMAL, 0);
    canvas_fill(c, r.x, r.y, r.w, a->utf8 ? 0x2500 : '-', ROLE_BORDER, 0);
    canvas_fill(c, r.x, r.y + r.h - 1, r.w, a->utf8 ? 0x2500 : '-', ROLE_BORDER, 0);
    canvas_print(c, r.x + 2, r.y, r.w - 4, title, ROLE_HEADER);
}

void widget_help_draw(struct app *a, struct canvas *c)
{
    struct rect r = overlay_box(a, 78, 40);
    char line[256];
    int title, total = 0;

    while (help_line(total, line, sizeof line, &title))
        total++;
    if (a->help_scroll > total - (r.h - 2))
        a->help_scroll = total - (r.h - 2);
    if (a->help_scroll < 0)
        a->help_scroll = 0;
    frame_box(a, c, r, " Keys (j/k scroll, ? or Esc closes) ");
    for (int i = 0; i < r.h - 2 && help_line(a->help_scroll + i, line, sizeof line, &title); i++)
        canvas_print(c, r.x + 1, r.y + 1 + i, r.w - 2, line, title ? ROLE_HEADER : ROLE_NORMAL);
}

int widget_help_key(struct app *a, int key)
{
    if (key == 'j' || key == K_DOWN || key == ' ' || key == K_PGDN)
        a->help_scroll += key == 'j' || key == K_DOWN ? 1 : 10;
    else if (key == 'k' || key == K_UP || key == K_PGUP)
        a->help_scroll -= key == K_PGUP ? 10 : 1;
    else
        a->overlay = OV_NONE;
    return R_REDRAW;
}

void widget_types_draw(struct app *a, struct canvas *c)
{
    struct rect r = overlay_box(a, 50, (int)a->p->ntypes + 2);
    char line[256];

    frame_box(a, c, r, " Sample type (Enter picks, Esc closes) ");
    for (uint32_t i = 0; i < a->p->ntypes && (int)i < r.h - 2; i++) {
        enum role role = (int)i == a->menu_cursor ? ROLE_SELECTED : ROLE_NORMAL;

        snprintf(line, sizeof line, "%s %s (%s)", i == a->type ? "*" : " ",
                 profile_str(a->p, a->p->types[i].type), profile_str(a->p, a->p->types[i].unit));
        canvas_fill(c, r.x + 1, r.y + 1 + (int)i, r.w - 2, ' ', role, 0);
        canvas_print(c, r.x + 1, r.y + 1 + (int)i, r.w - 2, line, role);
    }
}

int widget_types_key(struct app *a, int key)
{
    int n = (int)a->p->ntypes;

    if (key == 'j' || key == K_DOWN)
        a->menu_cursor = (a->menu_cursor + 1) % n;
    else if (key == 'k' || key == K_UP)
        a->menu_cursor = (a->menu_cursor + n - 1) % n;
    else if (key == K_ENTER) {
        a->overlay = OV_NONE;
        if ((uint32_t)a->menu_cursor != a->type) {
            a->type = (uint32_t)a->menu_cursor;
            return R_REQUERY;
        }
    } else if (key == K_ESC || key == 'q' || key == 't')
        a->overlay = OV_NONE;
    return R_REDRAW;
}

void widget_search_open(struct app *a)
{
    a->overlay = OV_SEARCH;
    snprintf(a->saved_search, sizeof a->saved_search, "%s", a->search);
    snprintf(a->prompt, sizeof a->prompt, "%s", a->search);
    a->prompt_len = strlen(a->prompt);
}

/* Every keystroke applies the search, so matches show as you type. */
static int apply_prompt(struct app *a)
{
    a->prompt[a->prompt_len] = '\0';
    app_set_search(a, a->prompt);
    return R_REDRAW;
}

static int prompt_accept(struct app *a, void *p)
{
    (void)p;
    a->overlay = OV_NONE;
    return apply_prompt(a);
}

static int prompt_cancel(struct app *a, void *p)
{
    (void)p;
    a->overlay = OV_NONE;
    app_set_search(a, a->saved_search);
    return R_REDRAW;
}

static int prompt_erase(struct app *a, void *p)
{
    (void)p;
    /* Drop one UTF-8 character, continuation bytes included. */
    while (a->prompt_len && ((unsigned char)a->prompt[--a->prompt_len] & 0xc0) == 0x80)
        ;
    return apply_prompt(a);
}

static int prompt_clear(struct app *a, void *p)
{
    (void)p;
    a->prompt_len = 0;
    return apply_prompt(a);
}

int widget_search_key(struct app *a, int key)
{
    int r = keymap_dispatch(&keymap_prompt, a, NULL, key);
    char u[4];
    int n;

    if (r != R_UNHANDLED)
        return r;
    if (key < 0x20 || key >= K_SPECIAL || key == 0x7f)
        return R_NONE;
    n = key < 0x80 ? (u[0] = (char)key, 1)
        : key < 0x800 ? (u[0] = (char)(0xc0 | key >> 6), u[1] = (char)(0x80 | (key & 0x3f)), 2)
        : key < 0x10000 ? (u[0] = (char)(0xe0 | key >> 12), u[1] = (char)(0x80 | (key >> 6 & 0x3f)),
                           u[2] = (char)(0x80 | (key & 0x3f)), 3)
        : (u[0] = (char)(0xf0 | key >> 18), u[1] = (char)(0x80 | (key >> 12 & 0x3f)),
           u[2] = (char)(0x80 | (key >> 6 & 0x3f)), u[3] = (char)(0x80 | (key & 0x3f)), 4);
    if (a->prompt_len + (size_t)n >= sizeof a->prompt)
        return R_NONE;
    memcpy(a->prompt + a->prompt_len, u, (size_t)n);
    a->prompt_len += (size_t)n;
    return apply_prompt(a);
}

/* --- the query prompt (:) --- */

void widget_query_open(struct app *a)
{
    a->overlay = OV_QUERY;
    a->query_side = app_focused_side(a);
    snprintf(a->prompt, sizeof a->prompt, "%s", a->side[a->query_side].query);
    a->prompt_len = strlen(a->prompt);
}

static int query_accept(struct app *a, void *p)
{
    (void)p;
    a->prompt[a->prompt_len] = '\0';
    if (app_set_query(a, a->query_side, a->prompt))
        return R_REDRAW;        /* the message points at the column; keep editing */
    a->overlay = OV_NONE;
    return R_REDRAW;
}

static int query_cancel(struct app *a, void *p)
{
    (void)p;
    a->overlay = OV_NONE;
    return R_REDRAW;
}

static int query_erase(struct app *a, void *p)
{
    (void)p;
    while (a->prompt_len && ((unsigned char)a->prompt[--a->prompt_len] & 0xc0) == 0x80)
        ;
    return R_REDRAW;
}

static int query_clear(struct app *a, void *p)
{
    (void)p;
    a->prompt_len = 0;
    return R_REDRAW;
}

/* The candidates for the word being typed: label names after '{' or ',',
 * a label's values inside its quotes. Returns how many, in out[]. */
static uint32_t candidates(struct app *a, const char **word, size_t *wlen, uint32_t *out,
                           uint32_t max, int *is_value)
{
    const char *s = a->prompt, *end = s + a->prompt_len, *w = end, *q;
    uint32_t nkeys, *keys = tags_names(a->p, &nkeys), n = 0, key = UINT32_MAX;

    while (w > s && w[-1] != '"' && w[-1] != '{' && w[-1] != ',' && w[-1] != ' ')
        w--;
    *word = w;
    *wlen = (size_t)(end - w);
    *is_value = w > s && w[-1] == '"';
    if (*is_value) {            /* name="val: find the name */
        const char *ne;

        for (q = w - 1; q > s && (q[-1] == '=' || q[-1] == '~' || q[-1] == '!' || q[-1] == ' '); q--)
            ;
        ne = q;
        while (q > s && q[-1] != '{' && q[-1] != ',' && q[-1] != ' ')
            q--;
        for (uint32_t i = 0; i < nkeys; i++)
            if (strlen(profile_str(a->p, keys[i])) == (size_t)(ne - q) &&
                !strncmp(profile_str(a->p, keys[i]), q, (size_t)(ne - q)))
                key = keys[i];
        for (uint32_t i = 0; key != UINT32_MAX && i < a->p->labels_count && n < max; i++) {
            const struct label *l = &a->p->labels[i];
            uint32_t k;

            if (l->key != key || !l->str || strncmp(profile_str(a->p, l->str), w, *wlen))
                continue;
            for (k = 0; k < n && out[k] != l->str; k++)
                ;
            if (k == n)
                out[n++] = l->str;
        }
    } else {
        for (uint32_t i = 0; i < nkeys && n < max; i++)
            if (!strncmp(profile_str(a->p, keys[i]), w, *wlen))
                out[n++] = keys[i];
    }
    free(keys);
    return n;
}

/* Tab: completes the longest common prefix; a unique name gets `="`, a
 * unique value its closing quote; the message lists the choices. */
static int query_complete(struct app *a, void *p)
{
    uint32_t cand[64], n;
    const char *word;
    size_t wlen, common;
    int is_value;

    (void)p;
    n = candidates(a, &word, &wlen, cand, 64, &is_value);
    if (!n) {
        snprintf(a->message, sizeof a->message, "no %s starts so", is_value ? "value" : "label");
        return R_REDRAW;
    }
    common = strlen(profile_str(a->p, cand[0]));
    for (uint32_t i = 1; i < n; i++) {
        size_t k = 0;
        const char *x = profile_str(a->p, cand[0]), *y = profile_str(a->p, cand[i]);

        while (k < common && x[k] && x[k] == y[k])
            k++;
        common = k;
    }
    {
        const char *full = profile_str(a->p, cand[0]);
        char add[512];
        size_t k = 0;

        /* a value's quotes and backslashes are escaped, as the parser reads them */
        for (size_t i = wlen; i < common && k + 3 < sizeof add; i++) {
            if (is_value && (full[i] == '"' || full[i] == '\\'))
                add[k++] = '\\';
            add[k++] = full[i];
        }
        k += (size_t)snprintf(add + k, sizeof add - k, "%s",
                              n > 1 ? "" : is_value ? "\"" : "=\"");
        if (a->prompt_len + k < sizeof a->prompt) {
            memcpy(a->prompt + a->prompt_len, add, k);
            a->prompt_len += k;
        }
    }
    if (n > 1) {
        size_t at = 0;

        for (uint32_t i = 0; i < n && at + 2 < sizeof a->message; i++)
            at += (size_t)snprintf(a->message + at, sizeof a->message - at, "%s%s", i ? " " : "",
                                   profile_str(a->p, cand[i]));
    }
    return R_REDRAW;
}

int widget_query_key(struct app *a, int key)
{
    int r = keymap_dispatch(&keymap_query, a, NULL, key);

    if (r != R_UNHANDLED)
        return r;
    /* printable ASCII: label values with other characters come by Tab */
    if (key < 0x20 || key >= 0x7f || a->prompt_len + 1 >= sizeof a->prompt)
        return R_NONE;
    a->prompt[a->prompt_len++] = (char)key;
    return R_REDRAW;
}

static const struct binding query_bindings[] = {
    { K_ENTER, 0, "Enter", "apply the query (a mistake is shown with its column)", NULL,
      query_accept },
    { K_ESC, K_CTRL('g'), "Esc ^G", "cancel: keep the current query", NULL, query_cancel },
    { K_TAB, 0, "Tab", "complete a label name or value", NULL, query_complete },
    { K_BACKSPACE, 0, "Bksp", "erase a character", NULL, query_erase },
    { K_CTRL('u'), 0, "^U", "erase the whole query", NULL, query_clear },
};

const struct keymap keymap_query = { "Query prompt (:)", query_bindings,
                                     sizeof query_bindings / sizeof *query_bindings };

static const struct binding prompt_bindings[] = {
    { K_ENTER, 0, "Enter", "keep the search (an empty one clears it)", NULL, prompt_accept },
    { K_ESC, K_CTRL('g'), "Esc ^G", "cancel: back to the previous search", NULL, prompt_cancel },
    { K_BACKSPACE, 0, "Bksp", "erase a character", NULL, prompt_erase },
    { K_CTRL('u'), 0, "^U", "erase the whole pattern", NULL, prompt_clear },
};

const struct keymap keymap_prompt = { "Search prompt (/)", prompt_bindings,
                                      sizeof prompt_bindings / sizeof *prompt_bindings };
