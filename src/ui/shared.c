/* The shared state's rules (ui_shared.h): names and units, the search,
 * setting a side's query, asking for another view. Below every view and
 * widget: what must follow a change (a flamegraph, a table) the core does
 * through a.requery. */
#include "ui_shared.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "diff.h"
#include "theme.h"
#include "units.h"
#include "xalloc.h"

const char *app_frame_name(const struct app *a, uint32_t frame, size_t *len)
{
    uint32_t name = a->p->frames[frame].name;

    *len = strtab_len(&a->p->strings, name);
    return profile_str(a->p, name);
}

#define HUE_UNKNOWN 0xff
_Static_assert(THEME_HUES < HUE_UNKNOWN, "a hue is never HUE_UNKNOWN");

void app_hues_fit(struct app *a)
{
    a->hue = xreallocarray(a->hue, (size_t)a->p->nframes + 1, 1);
    memset(a->hue, HUE_UNKNOWN, (size_t)a->p->nframes + 1);
}

uint8_t app_frame_hue(struct app *a, uint32_t frame)
{
    if (a->hue[frame] == HUE_UNKNOWN) {
        size_t len;
        const char *name = app_frame_name(a, frame, &len);

        a->hue[frame] = theme_hue(name, len);
    }
    return a->hue[frame];
}

/* In the unit of the numbers on screen: side A's answer's type, which is
 * the asked one unless a type change is still pending. */
void app_format(const struct app *a, int64_t v, char *buf, size_t n)
{
    uint32_t t = a->side[0].ready ? a->side[0].shown_type : a->type;

    /* no type yet: a live explorer before its first profile */
    units_format(v, t < a->p->ntypes ? profile_str(a->p, a->p->types[t].unit) : "", buf, n);
}

const uint32_t *app_name_rank(struct app *a)
{
    if (!a->name_rank) {
        a->name_rank = xmalloc(((size_t)a->p->nframes + 1) * sizeof *a->name_rank);
        query_rank_names(a->p, a->name_rank);
    }
    return a->name_rank;
}

int app_frame_matches(const struct app *a, uint32_t frame)
{
    return a->searching && a->match[frame];
}

/* Counts the matching functions of each side's table (side B's once it has
 * values), then starts the pass that sums their share. */
void app_search_stats(struct app *a)
{
    a->match_count = a->match_count_b = 0;
    if (a->searching && a->match) {
        for (uint32_t i = 0; i < a->side[0].flat.count; i++)
            a->match_count += a->match[a->side[0].flat.rows[i].frame];
        for (uint32_t i = 0; a->side[1].ready && i < a->side[1].flat.count; i++)
            a->match_count_b += a->match[a->side[1].flat.rows[i].frame];
    }
    jobs_share_start(a);        /* the share comes in slices: see jobs.c */
}

static int has_upper(const char *s)
{
    for (; *s; s++)
        if (isupper((unsigned char)*s))
            return 1;
    return 0;
}

/* The search runs on every function name at every keystroke, and regexec
 * costs about 200 ns a name (50,000 names: 10 ms). A pattern without an
 * operator is a string to find: in an ASCII name its bytes are found as
 * regexec finds them, case folded as REG_ICASE folds ASCII when the
 * locale does (tr_TR does not: 'I' is not 'i' there). A name with other
 * bytes is left to regexec, which folds them as the locale says (the
 * Kelvin sign is a 'k'). */
static int literal(const char *pattern)
{
    for (const unsigned char *c = (const unsigned char *)pattern; *c; c++)
        if (*c >= 0x80 || strchr(".[]()*+?{}|^$\\", *c))
            return 0;
    return 1;
}

static int ascii_folds(void)
{
    for (int c = 'A'; c <= 'Z'; c++)
        if (towlower((wint_t)c) != (wint_t)(c + 32) || towupper((wint_t)(c + 32)) != (wint_t)c)
            return 0;
    return 1;
}

static int ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

/* needle is lower case (the search ignores case only then). */
static int find_folded(const char *s, size_t len, const char *needle, size_t n)
{
    for (size_t i = 0; i + n <= len; i++) {
        size_t k = 0;

        while (k < n && (s[i + k] | ((s[i + k] >= 'A' && s[i + k] <= 'Z') << 5)) == needle[k])
            k++;
        if (k == n)
            return 1;
    }
    return 0;
}

/* a->match for every function, a->re compiled from pattern. The names
 * lie anywhere in the string table: each is a cache miss or two, which
 * asking for the names AHEAD functions early overlaps. */
static void match_frames(struct app *a, const char *pattern)
{
    enum { AHEAD = 8 };
    const struct profile *p = a->p;
    int fast = literal(pattern), icase = !has_upper(pattern);
    size_t n = strlen(pattern);

    if (fast && icase && !ascii_folds())
        fast = 0;
    for (uint32_t f = 0; f < p->nframes; f++) {
        size_t len;
        const char *name = app_frame_name(a, f, &len);

        if (f + 2 * AHEAD < p->nframes) {
            __builtin_prefetch(&p->strings.str[p->frames[f + 2 * AHEAD].name]);
            __builtin_prefetch(&p->strings.len[p->frames[f + 2 * AHEAD].name]);
        }
        if (f + AHEAD < p->nframes)
            __builtin_prefetch(profile_str(p, p->frames[f + AHEAD].name));

        if (fast && ascii(name, len))
            a->match[f] = icase ? find_folded(name, len, pattern, n)
                                : memmem(name, len, pattern, n) != NULL;
        else
            a->match[f] = regexec(&a->re, name, 0, NULL, 0) == 0;
    }
}

int app_set_search(struct app *a, const char *pattern)
{
    regex_t re;
    int err;

    a->message[0] = '\0';
    if (!*pattern) {
        if (a->searching)
            regfree(&a->re);
        a->searching = 0;
        a->search[0] = '\0';
    } else {
        const char *risk;
        size_t at;

        if ((risk = selector_regex_risk(pattern, &at))) {
            snprintf(a->message, sizeof a->message, "bad pattern at %zu: %s", at + 1, risk);
            return -1;
        }
        /* Smart case, as in less -i and vim: lower case ignores case. */
        err = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB | (has_upper(pattern) ? 0 : REG_ICASE));
        if (err) {
            char why[200];

            regerror(err, &re, why, sizeof why);
            snprintf(a->message, sizeof a->message, "bad pattern: %s", why);
            return -1;
        }
        if (a->searching)
            regfree(&a->re);
        a->re = re;
        a->searching = 1;
        snprintf(a->search, sizeof a->search, "%s", pattern);
        match_frames(a, pattern);
    }
    app_search_stats(a);
    if (a->requery)
        a->requery(a, CHANGED_SEARCH);  /* the table filters on it */
    return 0;
}

int app_two_sides(const struct app *a)
{
    return a->two_up && a->side[1].ready;
}

/* Side B is asked again only once something showed it (ready, or asked). */
void app_requery(struct app *a, int s)
{
    for (int i = 0; i < 2; i++) {
        if ((s >= 0 && i != s) || (i && s < 0 && !a->side[1].ready && !a->req[SLOT_SIDE_B]))
            continue;
        side_values(a, i);      /* a.requery follows when the values come */
    }
}

int app_new_run(struct app *a)
{
    struct dataset *rm = ds_remote_of(a->ds);

    return rm && ds_remote_rerun(rm);
}

int app_set_query(struct app *a, int s, const char *query)
{
    int r = side_set_query(a, s, query);

    if (r < 0)
        return -1;
    if (a->side[s].ready && app_new_run(a))
        return 0;               /* data_changed asks the timeline and every side again */
    if (r > 0) {                /* a new sample type: every side again */
        side_ready(a, s);
        app_requery(a, -1);
        if (app_two_sides(a))
            snprintf(a->message, sizeof a->message, "sample type %s, on both sides",
                     profile_str(a->p, a->p->types[a->type].type));
        return 0;
    }
    if (!a->side[s].ready)
        side_ready(a, s);       /* computes it */
    else
        app_requery(a, s);
    return 0;
}

void app_open_view(struct app *a, int v)
{
    a->open_view = v + 1;
}

void app_back(struct app *a)
{
    app_open_view(a, a->prev_view);
    a->back_focus = a->prev_focus + 1;
}

int app_prev_side(const struct app *a)
{
    return a->prev_side;
}

int app_focused_side(const struct app *a)
{
    if (a->shows_prev_side)
        return a->prev_side;
    return a->view == VIEW_COMPARE ? (a->focus & 1) : 0;
}

static void types_answer(struct app *a, int slot, struct ds_result *res)
{
    (void)slot;
    if (!res)
        return;                 /* asked again when next needed */
    memcpy(a->type_totals, res->type_totals,
           (res->ntypes < a->p->ntypes ? res->ntypes : a->p->ntypes) * sizeof *a->type_totals);
    a->type_totals_ready = 1;
    ds_result_free(res);
}

const int64_t *app_type_totals(struct app *a)
{
    struct ds_query q = { .kind = DS_TYPES, .from = INT64_MIN, .until = INT64_MAX };

    if (!a->type_totals)
        a->type_totals = xcalloc((size_t)a->p->ntypes + 1, sizeof *a->type_totals);
    if (!a->type_totals_ready && !a->req[SLOT_TYPES])
        app_ask(a, SLOT_TYPES, &q, "the sample types' totals", types_answer);
    return a->type_totals;
}

/* --- the data set: one request per slot, answers handed to the slot --- */

/* Hands slot's request to its fn when it has ended; returns 1 when it did. */
static int collect(struct app *a, int slot)
{
    struct ds_req *r = a->req[slot];
    struct ds_result res;
    app_answer_fn fn = a->answer[slot];
    enum ds_state st;

    if (!r || (st = ds_state(r)) == DS_PENDING)
        return 0;
    a->req[slot] = NULL;        /* fn may ask into the slot again */
    if (st == DS_DONE && !ds_take(r, &res)) {
        ds_release(r);
        fn(a, slot, &res);
        return 1;
    }
    if (st == DS_FAILED)        /* the previous numbers stay, and say why not */
        snprintf(a->message, sizeof a->message, "%s", ds_error(r));
    ds_release(r);
    fn(a, slot, NULL);
    return 1;
}

/* Steps while an answer is due now (the local data set: at once); hands
 * over the one slot asked (only = -1: every slot). A bound on the rounds:
 * a source whose deadline never moves must not hang the explorer. */
static int settle(struct app *a, int only)
{
    int changed = 0;

    for (int round = 0; round < 64 &&
         (ds_pending(a->ds) || ds_live_of(a->ds) || ds_remote_of(a->ds)) &&
         ds_next_deadline(a->ds) <= ds_now(a->ds); round++)
        ds_step(a->ds);
    /* a live fetch landed: everything sized for the model follows it
     * before an answer (of the new model) is handed to a slot */
    if (a->data_changed && ds_generation(a->ds) != a->data_gen) {
        a->data_changed(a);
        changed = 1;
    }
    /* a server's answer loaded into the model: sized before it is handed */
    if (a->model_grew && (a->p->trie.count != a->sized_nodes ||
                          a->p->nframes != a->sized_frames || a->p->ntypes != a->sized_types))
        a->model_grew(a);
    for (int s = 0; s < SLOT_COUNT; s++)
        if (only < 0 || s == only)
            changed |= collect(a, s);
    return changed;
}

void app_ask(struct app *a, int slot, const struct ds_query *q, const char *what,
             app_answer_fn fn)
{
    ds_release(a->req[slot]);   /* superseded: its answer never shows */
    a->req[slot] = NULL;
    if (!a->p->ntypes)          /* a live start before its first profile: */
        return;                 /* nothing to ask yet; its landing asks again */
    a->answer[slot] = fn;
    snprintf(a->awaited[slot], sizeof a->awaited[slot], "%s", what);
    a->req[slot] = ds_submit(a->ds, slot, q);
    /* only this slot: another answer arriving now could change what the
     * caller (maybe a view, drawing) is in the middle of; so could a live
     * fetch landing (the model growing under it): none lands here */
    struct dataset *live = ds_live_of(a->ds);

    if (live)
        ds_live_hold(live, 1);
    settle(a, slot);
    if (live)
        ds_live_hold(live, 0);
}

int app_settle(struct app *a)
{
    int changed = 0;

    if (a->settling)
        return 0;               /* an answer's fn asked: the outer round hands it over */
    a->settling = 1;
    for (int i = 0; i < 8 && settle(a, -1); i++)
        changed = 1;            /* an fn may have asked what is due at once */
    a->settling = 0;
    return changed;
}

int app_pending(const struct app *a)
{
    int n = 0;

    for (int s = 0; s < SLOT_COUNT; s++)
        n += a->req[s] != NULL;
    return n;
}

/* The oldest request: the one waited for longest. */
int app_pending_text(struct app *a, char *buf, size_t n)
{
    int oldest = -1, count = app_pending(a);
    int64_t now;
    char more[32] = "";

    for (int s = 0; s < SLOT_COUNT; s++)
        if (a->req[s] && (oldest < 0 || ds_started(a->req[s]) < ds_started(a->req[oldest])))
            oldest = s;
    if (oldest < 0)
        return 0;
    now = ds_now(a->ds);
    if (count > 1)
        snprintf(more, sizeof more, " (+%d more)", count - 1);
    snprintf(buf, n, "loading %s%s ... %.1fs (Esc cancels)", a->awaited[oldest], more,
             (double)(now - ds_started(a->req[oldest])) / 1e9);
    a->pending_drawn = now;
    return 1;
}

void app_cancel(struct app *a)
{
    for (int s = 0; s < SLOT_COUNT; s++) {
        if (a->req[s]) {
            ds_cancel(a->req[s]);
            collect(a, s);      /* fn(NULL): it restores what it showed */
        }
    }
    snprintf(a->message, sizeof a->message, "cancelled");
}

void app_test_source(struct app *a, int64_t delay_ns, unsigned fail_every, const char *msg)
{
    a->ds = ds_test_new(a->ds, delay_ns, fail_every, msg);
}

void diff_change_text(const struct app *a, int64_t va, int64_t vb, char *pp, size_t npp,
                      char *rel, size_t nrel)
{
    double pa = diff_share(va, a->side[0].flat.grand_total);
    double pb = diff_share(vb, a->side[1].flat.grand_total), d = pb - pa;
    double r = diff_relative(va, a->side[0].flat.grand_total, vb, a->side[1].flat.grand_total);

    snprintf(pp, npp, d > -99.995 && d < 99.995 ? "%+.2f" : "%+.1f", d);
    if (!va || !vb)
        snprintf(rel, nrel, "%s", !va && !vb ? "" : !va ? "new" : "gone");
    else if (r >= 999.5)        /* a ratio reads better than +12345% */
        snprintf(rel, nrel, "%s%.0f", a->utf8 ? "\u00d7" : "x", pb / pa);
    else
        snprintf(rel, nrel, r > -9.95 && r < 9.95 ? "%+.1f%%" : "%+.0f%%", r);
}


/* The selected frame's name and, where there is room for it and for the
 * `room` columns of numbers after it, its file and line. Returns x. */
void frame_where(const struct profile *p, const struct frame *fr, char *buf, size_t n)
{
    const char *file = profile_str(p, fr->file);
    int lines = p->granularity == GRAN_LINES || p->granularity == GRAN_ADDRESSES;

    if (!fr->file || p->granularity == GRAN_FILES)     /* a file's frame is named by it */
        snprintf(buf, n, "%s", "");
    else if (lines)
        snprintf(buf, n, " %s:%lld", file, (long long)fr->line);
    else if (fr->line)
        snprintf(buf, n, " %s:%lld (start)", file, (long long)fr->line);
    else if (fr->sample_line)
        snprintf(buf, n, " %s:%lld (a sampled line)", file, (long long)fr->sample_line);
    else
        snprintf(buf, n, " %s", file);
}

int app_status_name(struct app *a, struct canvas *c, int x, int y, uint32_t frame, int room)
{
    size_t len;
    const char *name;
    const struct frame *fr;

    if (frame == TRIE_NO_FRAME)
        return x + canvas_print(c, x, y, c->w - x, " total", ROLE_STATUS);
    name = app_frame_name(a, frame, &len);
    fr = &a->p->frames[frame];
    room = c->w - x - room;
    x += canvas_text(c, x + 1, y, room > 20 ? room - 1 : 20, name, len, ROLE_STATUS, 0) + 1;
    if (fr->file && room - x > 10) {
        char where[300];

        frame_where(a->p, fr, where, sizeof where);
        /* at lines and addresses the name says it already; at
         * filefunctions it ends with the file: the line alone follows */
        if (*where && !memmem(name, len, where + 1, strlen(where + 1))) {
            const char *file = profile_str(a->p, fr->file), *w = where;
            size_t fl = strlen(file);

            if (len > fl && name[len - fl - 1] == ' ' && !memcmp(name + len - fl, file, fl) &&
                !strncmp(where + 1, file, fl))
                w = where + 1 + fl;
            if (*w)
                x += canvas_print(c, x, y, room - x, w, ROLE_DIM);
        }
    }
    return x;
}

