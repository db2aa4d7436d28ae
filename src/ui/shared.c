/* The shared state's rules (ui_shared.h): names and units, the search,
 * setting a side's query, asking for another view. Below every view and
 * widget: what must follow a change (a flamegraph, a table) the core does
 * through a.requery. */
#include "ui_shared.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "units.h"
#include "xalloc.h"

const char *app_frame_name(const struct app *a, uint32_t frame, size_t *len)
{
    uint32_t name = a->p->frames[frame].name;

    *len = strtab_len(&a->p->strings, name);
    return profile_str(a->p, name);
}

void app_format(const struct app *a, int64_t v, char *buf, size_t n)
{
    units_format(v, profile_str(a->p, a->p->types[a->type].unit), buf, n);
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
        for (uint32_t f = 0; f < a->p->nframes; f++)
            a->match[f] = regexec(&a->re, profile_str(a->p, a->p->frames[f].name), 0, NULL, 0) == 0;
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

void app_requery(struct app *a, int s)
{
    for (int i = 0; i < 2; i++) {
        if ((s >= 0 && i != s) || (i && s < 0 && !a->side[1].ready))
            continue;
        side_values(a, i);
        if (a->requery)
            a->requery(a, i);
    }
}

int app_set_query(struct app *a, int s, const char *query)
{
    int r = side_set_query(a, s, query);

    if (r < 0)
        return -1;
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

int app_focused_side(const struct app *a)
{
    return a->view == VIEW_COMPARE ? (a->focus & 1) : 0;
}

const int64_t *app_type_totals(struct app *a)
{
    if (!a->type_totals) {
        a->type_totals = xcalloc((size_t)a->p->ntypes + 1, sizeof *a->type_totals);
        query_type_totals(a->p, a->type_totals);
    }
    return a->type_totals;
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

        snprintf(where, sizeof where, " %s:%lld", profile_str(a->p, fr->file),
                 (long long)fr->line);
        x += canvas_print(c, x, y, room - x, where, ROLE_DIM);
    }
    return x;
}

