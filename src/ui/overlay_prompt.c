/* The / and : overlays: the search and query prompts on the hint bar line,
 * one file since they share the line editor and its drawing. Each owns a
 * struct prompt (its overlay state): its line and history, and what it
 * came back to. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"
#include "lineedit.h"
#include "text.h"
#include "view.h"
#include "xalloc.h"

/* A prompt's state; the search and the query prompt have one each. */
struct prompt {
    struct lineedit edit;       /* the line and its history */
    char saved[256];            /* the search: the pattern before /, restored by Esc */
    int side;                   /* the query: the side it edits */
};

static void *prompt_init(struct app *a)
{
    (void)a;
    return xcalloc(1, sizeof(struct prompt));
}

static void prompt_free(struct app *a, void *st)
{
    (void)a;
    free(st);
}

/* Runs the line editing keys; R_UNHANDLED when key is none of them. */
static int edit_key(struct lineedit *e, int key)
{
    return keymap_dispatch(&keymap_lineedit, NULL, e, key);
}

/* As less and vim: / starts empty, and Enter on nothing repeats the last
 * search; what was searched before stays shown until something is typed. */
static void search_enter(struct app *a, void *st)
{
    struct prompt *pr = st;

    a->overlay = OV_SEARCH;
    snprintf(pr->saved, sizeof pr->saved, "%s", a->search);
    lineedit_set(&pr->edit, "");
}

/* Every change of the line applies the search, so matches show as you
 * type; an empty line shows the search from before the prompt. */
static void apply_prompt(struct app *a, struct prompt *pr)
{
    struct lineedit *e = &pr->edit;

    app_set_search(a, e->len ? e->buf : pr->saved);
}

static int prompt_accept(struct app *a, void *st)
{
    struct prompt *pr = st;
    struct lineedit *e = &pr->edit;
    const char *last = lineedit_history_last(e);
    char pattern[LINEEDIT_MAX];

    snprintf(pattern, sizeof pattern, "%s", e->len ? e->buf : last ? last : pr->saved);
    if (app_set_search(a, pattern))
        return R_REDRAW;        /* a bad pattern: the message says why; keep editing */
    lineedit_history_add(e, pattern);
    a->overlay = OV_NONE;
    return R_REDRAW;
}

static int prompt_cancel(struct app *a, void *st)
{
    struct prompt *pr = st;

    a->overlay = OV_NONE;
    app_set_search(a, pr->saved);
    return R_REDRAW;
}

static int prompt_clear_search(struct app *a, void *p)
{
    (void)p;
    a->overlay = OV_NONE;
    app_set_search(a, "");
    return R_REDRAW;
}

static int search_key(struct app *a, void *st, int key)
{
    struct prompt *pr = st;
    struct lineedit *e = &pr->edit;
    unsigned gen = e->gen;
    int r = keymap_dispatch(&keymap_prompt, a, pr, key);

    if (r != R_UNHANDLED)
        return r;
    if ((r = edit_key(e, key)) == R_UNHANDLED) {
        if (key < 0x20 || key >= K_SPECIAL || key == 0x7f)
            return R_NONE;
        lineedit_insert_cp(e, (uint32_t)key);
        r = R_REDRAW;
    }
    if (e->gen != gen)
        apply_prompt(a, pr);
    return r;
}

/* The prompt line: its sign, the text scrolled so the cursor shows, the
 * cursor, and on an empty search line what Enter and ^X would do. */
static void prompt_draw(struct app *a, void *st, struct canvas *c, struct rect r)
{
    int y = r.y;
    struct prompt *pr = st;
    struct lineedit *e = &pr->edit;
    /* the query prompt says which side it edits when there are two */
    int two = a->two_up;
    const char *sign = a->overlay == OV_SEARCH ? "/" : !two ? ":" : pr->side ? "B:" : "A:";
    int x0 = (int)strlen(sign) + 1, room = c->w - x0 - 1, x;
    size_t start = 0;

    canvas_print(c, 0, y, c->w, sign, ROLE_HINT_KEY);
    while (start < e->cur && text_width(e->buf + start, e->cur - start, c->utf8) > room - 1)
        start += text_next_glyph(e->buf + start, e->len - start, c->utf8).bytes;
    canvas_text(c, x0, y, room, e->buf + start, e->len - start, ROLE_NORMAL, 0);
    x = x0 + text_width(e->buf + start, e->cur - start, c->utf8);
    if (e->cur < e->len && x < c->w)
        canvas_at(c, x, y)->role = ROLE_SELECTED;       /* the character under the cursor */
    else
        canvas_fill(c, x, y, 1, a->utf8 ? 0x2588 : '_', ROLE_HINT_KEY, 0);
    if (a->overlay == OV_SEARCH && !e->len) {
        const char *last = lineedit_history_last(e);
        char hint[LINEEDIT_MAX + 64];

        snprintf(hint, sizeof hint, "  Enter: /%s/ again  ^X: no search  Esc: keep",
                 last ? last : pr->saved);
        if (last || pr->saved[0])
            canvas_print(c, x + 1, y, c->w - x - 1, hint, ROLE_HINT);
    }
}

/* --- the query prompt (:) --- */

static void query_enter(struct app *a, void *st)
{
    struct prompt *pr = st;

    a->overlay = OV_QUERY;
    pr->side = app_focused_side(a);
    lineedit_set(&pr->edit, a->side[pr->side].query);
}

static int query_accept(struct app *a, void *st)
{
    struct prompt *pr = st;

    if (app_set_query(a, pr->side, pr->edit.buf))
        return R_REDRAW;        /* the message points at the column; keep editing */
    lineedit_history_add(&pr->edit, pr->edit.buf);
    a->overlay = OV_NONE;
    return R_REDRAW;
}

static int query_cancel(struct app *a, void *st)
{
    (void)st;
    a->overlay = OV_NONE;
    return R_REDRAW;
}

/* What Tab completes: the word before the cursor, a label name (after '{'
 * or ',') or a value (inside a label's quotes: then which label), and the
 * query's other matchers, which scope what the data set lists. */
struct tab_word {
    size_t at, len;             /* the word: buf[at .. at + len) */
    int is_value;
    char label[128];            /* a value's label name */
    char others[LINEEDIT_MAX];  /* the other matchers, before and after the word's, "{...}" */
};

/* The end of the matcher the cursor is in: the first ',' or '}' outside
 * quotes at or after p (a quote opened before p counts when in_quote). */
static const char *matcher_end(const char *p, const char *end, int in_quote)
{
    for (; p < end; p++) {
        if (in_quote && *p == '\\' && p + 1 < end)
            p++;
        else if (*p == '"')
            in_quote = !in_quote;
        else if (!in_quote && (*p == ',' || *p == '}'))
            return p;
    }
    return end;
}

/* Appends to t->others (an open "{..." of the matchers before the word)
 * the matchers after the one the cursor is in, and closes it: a value
 * completed in the middle of a query is scoped by all the others. */
static void add_matchers_after(struct tab_word *t, const char *cur, const char *end)
{
    const char *m = matcher_end(cur, end, t->is_value), *close;
    size_t have = strlen(t->others);

    if (m < end && *m == ',') {
        m++;
        while (m < end && *m == ' ')
            m++;
        close = matcher_end(m, end, 0);
        while (close < end && *close == ',')      /* a matcher per comma until '}' */
            close = matcher_end(close + 1, end, 0);
        if (close > m && have < sizeof t->others)
            snprintf(t->others + have, sizeof t->others - have, "%s%.*s",
                     have > 1 ? ", " : "", (int)(close - m), m);
    }
    have = strlen(t->others);
    if (have + 1 < sizeof t->others)
        snprintf(t->others + have, sizeof t->others - have, "}");
}

static void tab_word(const struct lineedit *e, struct tab_word *t)
{
    const char *s = e->buf, *end = s + e->cur, *w = end, *q, *ne, *brace;
    size_t keep;

    memset(t, 0, sizeof *t);
    while (w > s && w[-1] != '"' && w[-1] != '{' && w[-1] != ',' && w[-1] != ' ')
        w--;
    t->at = (size_t)(w - s);
    t->len = (size_t)(end - w);
    t->is_value = w > s && w[-1] == '"';
    q = w;
    if (t->is_value) {          /* name="val: find the name */
        for (q = w - 1; q > s && (q[-1] == '=' || q[-1] == '~' || q[-1] == '!' || q[-1] == ' '); q--)
            ;
        ne = q;
        while (q > s && q[-1] != '{' && q[-1] != ',' && q[-1] != ' ')
            q--;
        snprintf(t->label, sizeof t->label, "%.*s", (int)(ne - q), q);
    }
    /* the matchers before this one: up to its start, less a comma */
    brace = memchr(s, '{', (size_t)(q - s));
    keep = brace ? (size_t)(q - brace) : 0;
    while (keep && (brace[keep - 1] == ' ' || brace[keep - 1] == ','))
        keep--;
    snprintf(t->others, sizeof t->others, "%.*s", (int)keep, brace ? brace : "{");
    if (!brace || keep <= 1)
        snprintf(t->others, sizeof t->others, "{");
    add_matchers_after(t, end, s + e->len);
}

/* The answer's names that start with the word, in cand (at most max). */
static uint32_t filter_words(struct app *a, const struct ds_result *res, const char *word,
                             size_t wlen, uint32_t *cand, uint32_t max)
{
    uint32_t n = 0;

    for (uint32_t i = 0; i < res->nids && n < max; i++)
        if (!strncmp(profile_str(a->p, res->ids[i]), word, wlen))
            cand[n++] = res->ids[i];
    return n;
}

/* Completes the longest common prefix of cand; a unique name gets `="`, a
 * unique value its closing quote; the message lists the choices. */
static void complete_with(struct app *a, struct prompt *pr, const uint32_t *cand, uint32_t n,
                          size_t wlen, int is_value)
{
    size_t common = strlen(profile_str(a->p, cand[0]));
    const char *full = profile_str(a->p, cand[0]);
    char add[512];
    size_t k = 0;

    for (uint32_t i = 1; i < n; i++) {
        size_t c = 0;
        const char *y = profile_str(a->p, cand[i]);

        while (c < common && full[c] && full[c] == y[c])
            c++;
        common = c;
    }
    /* a value's quotes and backslashes are escaped, as the parser reads them */
    for (size_t i = wlen; i < common && k + 3 < sizeof add; i++) {
        if (is_value && (full[i] == '"' || full[i] == '\\'))
            add[k++] = '\\';
        add[k++] = full[i];
    }
    k += (size_t)snprintf(add + k, sizeof add - k, "%s", n > 1 ? "" : is_value ? "\"" : "=\"");
    lineedit_insert(&pr->edit, add, k);       /* at the cursor; nothing if full */
    if (n > 1) {
        size_t at = 0;

        for (uint32_t i = 0; i < n && at + 2 < sizeof a->message; i++)
            at += (size_t)snprintf(a->message + at, sizeof a->message - at, "%s%s", i ? " " : "",
                                   profile_str(a->p, cand[i]));
    }
}

/* The data set's names came (at once for files, later from a server):
 * they complete the line as it was at Tab; a key typed since superseded
 * them (query_key releases the request). */
static void complete_answer(struct app *a, int slot, struct ds_result *res)
{
    struct prompt *pr = a->overlay_state[OV_QUERY];
    struct tab_word t;
    uint32_t cand[64], n;
    char word[LINEEDIT_MAX];

    (void)slot;
    if (!res)
        return;                 /* failed (the message says why) or cancelled */
    tab_word(&pr->edit, &t);
    snprintf(word, sizeof word, "%.*s", (int)t.len, pr->edit.buf + t.at);
    n = a->overlay == OV_QUERY ? filter_words(a, res, word, t.len, cand, 64) : 0;
    if (a->overlay == OV_QUERY && !n)
        snprintf(a->message, sizeof a->message, "no %s starts so", t.is_value ? "value" : "label");
    if (n)
        complete_with(a, pr, cand, n, t.len, t.is_value);
    ds_result_free(res);
}

/* Tab: asks the data set for the label names (or the label's values)
 * that the query's other matchers and the side's range select. */
static int query_complete(struct app *a, void *st)
{
    struct prompt *pr = st;
    const struct side *sd = &a->side[pr->side];
    struct tab_word t;
    struct ds_query q = { .type = DS_ANY_TYPE, .from = sd->sel.from, .until = sd->sel.until };

    tab_word(&pr->edit, &t);
    q.kind = t.is_value ? DS_LABEL_VALUES : DS_LABEL_NAMES;
    q.label = t.label;
    q.query = t.others;
    app_ask(a, SLOT_COMPLETE, &q, t.is_value ? "the label's values (Tab)" :
            "the label names (Tab)", complete_answer);
    return R_REDRAW;
}

static int query_key(struct app *a, void *st, int key)
{
    struct prompt *pr = st;
    int r;

    if (key != K_TAB && a->req[SLOT_COMPLETE]) {        /* a pending Tab is outdated */
        ds_release(a->req[SLOT_COMPLETE]);
        a->req[SLOT_COMPLETE] = NULL;
    }
    r = keymap_dispatch(&keymap_query, a, pr, key);

    if (r != R_UNHANDLED || (r = edit_key(&pr->edit, key)) != R_UNHANDLED)
        return r;
    /* printable ASCII: label values with other characters come by Tab */
    if (key < 0x20 || key >= 0x7f)
        return R_NONE;
    lineedit_insert_cp(&pr->edit, (uint32_t)key);
    return R_REDRAW;
}

static const struct binding query_bindings[] = {
    { K_ENTER, 0, "Enter", "apply the query (a mistake is shown with its column)", NULL,
      query_accept },
    { K_ESC, K_CTRL('g'), "Esc ^G", "cancel: keep the current query", NULL, query_cancel },
    { K_TAB, 0, "Tab", "complete the label name or value before the cursor", NULL,
      query_complete },
};

const struct keymap keymap_query = { "Query prompt (:)", query_bindings,
                                     sizeof query_bindings / sizeof *query_bindings };

static const struct binding prompt_bindings[] = {
    { K_ENTER, 0, "Enter", "keep the search; on an empty line, repeat the last one", NULL,
      prompt_accept },
    { K_ESC, K_CTRL('g'), "Esc ^G", "cancel: back to the search from before /", NULL,
      prompt_cancel },
    { K_CTRL('x'), 0, "^X", "clear the search: every function shows again", NULL,
      prompt_clear_search },
};

const struct keymap keymap_prompt = { "Search prompt (/)", prompt_bindings,
                                      sizeof prompt_bindings / sizeof *prompt_bindings };

/* The line editing keys; the pane is the prompt's struct lineedit. */
static int le_left(struct app *a, void *e) { (void)a; lineedit_left(e); return R_REDRAW; }
static int le_right(struct app *a, void *e) { (void)a; lineedit_right(e); return R_REDRAW; }
static int le_home(struct app *a, void *e) { (void)a; lineedit_home(e); return R_REDRAW; }
static int le_end(struct app *a, void *e) { (void)a; lineedit_end(e); return R_REDRAW; }
static int le_bksp(struct app *a, void *e) { (void)a; lineedit_backspace(e); return R_REDRAW; }
static int le_del(struct app *a, void *e) { (void)a; lineedit_delete(e); return R_REDRAW; }
static int le_word(struct app *a, void *e) { (void)a; lineedit_erase_word(e); return R_REDRAW; }
static int le_start(struct app *a, void *e) { (void)a; lineedit_erase_to_start(e); return R_REDRAW; }
static int le_kill(struct app *a, void *e) { (void)a; lineedit_erase_to_end(e); return R_REDRAW; }
static int le_prev(struct app *a, void *e) { (void)a; lineedit_history_prev(e); return R_REDRAW; }
static int le_next(struct app *a, void *e) { (void)a; lineedit_history_next(e); return R_REDRAW; }

static const struct binding lineedit_bindings[] = {
    { K_LEFT, K_CTRL('b'), "Left ^B", "move the cursor one character left", NULL, le_left },
    { K_RIGHT, K_CTRL('f'), "Right ^F", "move the cursor one character right", NULL, le_right },
    { K_HOME, K_CTRL('a'), "Home ^A", "move the cursor to the start", NULL, le_home },
    { K_END, K_CTRL('e'), "End ^E", "move the cursor to the end", NULL, le_end },
    { K_BACKSPACE, 0, "Bksp", "erase the character before the cursor", NULL, le_bksp },
    { K_DELETE, K_CTRL('d'), "Del ^D", "erase the character under the cursor", NULL, le_del },
    { K_CTRL('w'), 0, "^W", "erase the word before the cursor", NULL, le_word },
    { K_CTRL('u'), 0, "^U", "erase from the start to the cursor", NULL, le_start },
    { K_CTRL('k'), 0, "^K", "erase from the cursor to the end", NULL, le_kill },
    { K_UP, K_CTRL('p'), "Up ^P", "the previous line of this prompt's history", NULL, le_prev },
    { K_DOWN, K_CTRL('n'), "Down ^N", "the next line of the history (back to the line typed)",
      NULL, le_next },
};

const struct keymap keymap_lineedit = { "Line editing (in / and :)", lineedit_bindings,
                                        sizeof lineedit_bindings / sizeof *lineedit_bindings };

const struct view_class overlay_search = {
    .name = "Search", .on_hint_bar = 1, .help = { &keymap_prompt, &keymap_lineedit },
    .init = prompt_init, .free = prompt_free, .enter = search_enter, .draw = prompt_draw,
    .key = search_key,
};

const struct view_class overlay_query = {
    .name = "Query", .on_hint_bar = 1, .help = { &keymap_query, &keymap_lineedit },
    .init = prompt_init, .free = prompt_free, .enter = query_enter, .draw = prompt_draw,
    .key = query_key,
};
