/* Overlays: the key help, the sample type menu and the search prompt. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "keymap.h"

static const struct keymap *help_maps[] = {
    &keymap_global, &keymap_time, &keymap_flame, &keymap_table, &keymap_sandwich, &keymap_tags,
    &keymap_prompt,
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

static const struct binding prompt_bindings[] = {
    { K_ENTER, 0, "Enter", "keep the search (an empty one clears it)", NULL, prompt_accept },
    { K_ESC, K_CTRL('g'), "Esc ^G", "cancel: back to the previous search", NULL, prompt_cancel },
    { K_BACKSPACE, 0, "Bksp", "erase a character", NULL, prompt_erase },
    { K_CTRL('u'), 0, "^U", "erase the whole pattern", NULL, prompt_clear },
};

const struct keymap keymap_prompt = { "Search prompt (/)", prompt_bindings,
                                      sizeof prompt_bindings / sizeof *prompt_bindings };
