/* The metadata view (I): what pprof's header and Pyroscope's tooltip tell
 * about the data set. The sources with their times and durations, each
 * sample type with its unit and total, the period, the numbers of samples,
 * stacks, call-tree nodes and functions, the labels with their number of
 * values, and what each side selects. j/k scroll. Its state: the counts
 * that take a pass over the data (made when first drawn) and the scroll. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "keymap.h"
#include "units.h"
#include "view.h"
#include "xalloc.h"

#define LINE_MAX_W 320

struct metadata {
    int counted;
    size_t stacks;              /* trie nodes that some sample ends on */
    uint32_t nkeys;
    uint32_t *keys;             /* label names, sorted */
    uint32_t *values;           /* per name: its number of distinct values */
    int scroll;
    int lines;                  /* lines the last draw had */
    int body;                   /* rows it had for them */
};

static int label_cmp(const void *x, const void *y)
{
    const struct label *a = x, *b = y;

    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    if (a->str != b->str)
        return a->str < b->str ? -1 : 1;
    return a->num < b->num ? -1 : a->num > b->num;
}

/* all without its pairs of the label "file"; returns how many stay. */
static uint32_t drop_file(const struct profile *p, struct label *all, uint32_t n)
{
    uint32_t file = strtab_find(&p->strings, "file", 4), m = 0;

    for (uint32_t i = 0; i < n; i++)
        if (all[i].key != file)
            all[m++] = all[i];
    return m;
}

/* Distinct (name, value) pairs over every label set, counted per name. */
static void count_labels(struct app *a, struct metadata *m)
{
    const struct profile *p = a->p;
    struct label *all = xmalloc(((size_t)p->labels_count + 1) * sizeof *all);
    uint32_t n = p->labels_count;

    if (n)
        memcpy(all, p->labels, (size_t)n * sizeof *all);
    for (uint32_t i = 0; i < n; i++)
        all[i].unit = all[i].spare = 0;        /* a value is its string or its number */
    if (ds_remote_of(a->ds))    /* a server: "file" is ember's own, each answer's name */
        n = drop_file(p, all, n);
    qsort(all, n, sizeof *all, label_cmp);
    m->keys = xmalloc(((size_t)n + 1) * sizeof *m->keys);
    m->values = xmalloc(((size_t)n + 1) * sizeof *m->values);
    for (uint32_t i = 0; i < n; i++) {
        if (!i || all[i].key != all[i - 1].key) {
            m->keys[m->nkeys] = all[i].key;
            m->values[m->nkeys++] = 1;
        } else if (label_cmp(&all[i], &all[i - 1])) {
            m->values[m->nkeys - 1]++;
        }
    }
    free(all);
}

static void count(struct app *a, struct metadata *m)
{
    const struct profile *p = a->p;
    uint8_t *seen = xcalloc((size_t)p->trie.count + 1, 1);

    for (size_t i = 0; i < p->nsamples; i++) {
        m->stacks += !seen[p->samples[i].node];
        seen[p->samples[i].node] = 1;
    }
    free(seen);
    count_labels(a, m);
    m->counted = 1;
}

static void when(int64_t ns, char *buf, size_t n)
{
    time_t t = (time_t)(ns / 1000000000LL);
    struct tm tm;

    if (!ns) {
        snprintf(buf, n, "no time");
        return;
    }
    localtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%d %H:%M:%S %z", &tm);
}

/* A source's name; over a server, the server's (its name is ember's own,
 * a slot of the answers held). */
static const char *source_title(struct app *a, const struct source *s)
{
    struct dataset *remote = ds_remote_of(a->ds);

    return remote ? ds_remote_name(remote) : profile_str(a->p, s->name);
}

/* The side's range, as its requests ask it: a server's now-1h .. now as
 * resolved for the current run, not "every time". */
static void side_range(struct app *a, const struct side *sd, char *buf, size_t n)
{
    struct dataset *remote = ds_remote_of(a->ds);
    int64_t from = sd->sel.from, until = sd->sel.until;
    char x[64], y[64];

    if (remote)
        ds_remote_range(remote, from, until, &from, &until);
    if (from == INT64_MIN && until == INT64_MAX) {
        snprintf(buf, n, "every time");
        return;
    }
    when(from == INT64_MIN ? 0 : from, x, sizeof x);
    when(until == INT64_MAX ? 0 : until, y, sizeof y);
    snprintf(buf, n, "from %s until %s", from == INT64_MIN ? "the start" : x,
             until == INT64_MAX ? "the end" : y);
}

/* Line i of the view into buf (a title when *title); 0 past the last. */
static int line(struct app *a, struct metadata *m, int i, char *buf, size_t n, int *title)
{
    const struct profile *p = a->p;
    char x[UNITS_BUF], y[UNITS_BUF], t[64];

    *title = 0;
    if (i-- == 0) {
        *title = 1;
        return snprintf(buf, n, "Sources: %u", p->nsources), 1;
    }
    if (i < (int)p->nsources) {
        const struct source *s = &p->sources[i];

        when(s->time_nanos, t, sizeof t);
        units_format(s->duration_nanos, "nanoseconds", x, sizeof x);
        units_format(s->period, profile_str(p, s->period_type.unit), y, sizeof y);
        snprintf(buf, n, "  %s  %s  duration %s  period %s %s", source_title(a, s), t, x,
                 y, profile_str(p, s->period_type.type));
        return 1;
    }
    i -= (int)p->nsources;
    if (i-- == 0) {
        *title = 1;
        return snprintf(buf, n, "Sample types: %u", p->ntypes), 1;
    }
    if (i < (int)p->ntypes) {
        const char *unit = profile_str(p, p->types[i].unit);

        if (ds_remote_of(a->ds))       /* ProfileTypes tells no total */
            snprintf(x, sizeof x, "%s", a->utf8 ? "\u2014 (not told by the server)" :
                     "- (not told by the server)");
        else
            units_format(app_type_totals(a)[i], unit, x, sizeof x);
        snprintf(buf, n, "%s %s (%s)  total %s", (uint32_t)i == a->type ? " *" : "  ",
                 profile_str(p, p->types[i].type), unit, x);
        return 1;
    }
    i -= (int)p->ntypes;
    switch (i) {
    case 0: *title = 1; snprintf(buf, n, "Data set"); return 1;
    case 1: snprintf(buf, n, "  samples %zu", p->nsamples); return 1;
    case 2: snprintf(buf, n, "  stacks %zu (distinct, that samples end on)", m->stacks); return 1;
    case 3: snprintf(buf, n, "  call-tree nodes %u", p->trie.count - 1); return 1;
    case 4: snprintf(buf, n, "  functions %u", p->nframes); return 1;
    case 5: *title = 1; snprintf(buf, n, "Labels: %u", m->nkeys); return 1;
    }
    i -= 6;
    if (i < (int)m->nkeys) {
        snprintf(buf, n, "  %s  %u value%s", profile_str(p, m->keys[i]), m->values[i],
                 m->values[i] == 1 ? "" : "s");
        return 1;
    }
    i -= (int)m->nkeys;
    if (i == 0) {
        *title = 1;
        return snprintf(buf, n, "Sides"), 1;
    }
    if (i == 1 || (i == 2 && a->side[1].ready)) {
        char range[200];

        side_range(a, &a->side[i - 1], range, sizeof range);
        snprintf(buf, n, "  %c %s  %s", i == 1 ? 'A' : 'B', a->side[i - 1].query, range);
        return 1;
    }
    return 0;
}

static void draw(struct app *a, void *st, struct canvas *c, struct rect r)
{
    struct metadata *m = st;
    char buf[LINE_MAX_W];
    int title, total = 0;

    if (!m->counted)
        count(a, m);
    while (line(a, m, total, buf, sizeof buf, &title))
        total++;
    m->lines = total, m->body = r.h;
    if (m->scroll > total - r.h)
        m->scroll = total - r.h;
    if (m->scroll < 0)
        m->scroll = 0;
    /* canvas_print escapes what is not printable: names come from the profile */
    for (int i = 0; i < r.h && line(a, m, m->scroll + i, buf, sizeof buf, &title); i++)
        canvas_print(c, r.x + 1, r.y + i, r.w - 1, buf, title ? ROLE_HEADER : ROLE_NORMAL);
}

static int scroll_by(struct metadata *m, int by)
{
    int was = m->scroll;

    m->scroll += by;
    if (m->scroll > m->lines - m->body)
        m->scroll = m->lines - m->body;
    if (m->scroll < 0)
        m->scroll = 0;
    return m->scroll == was ? R_NONE : R_REDRAW;
}

static int down(struct app *a, void *st) { (void)a; return scroll_by(st, 1); }
static int up(struct app *a, void *st) { (void)a; return scroll_by(st, -1); }
static int pgdn(struct app *a, void *st) { (void)a; return scroll_by(st, 10); }
static int pgup(struct app *a, void *st) { (void)a; return scroll_by(st, -10); }

static const struct binding metadata_bindings[] = {
    { 'I', 0, "I", "metadata: the sources, sample types, counts, labels and sides", NULL, NULL },
    { 'j', K_DOWN, "j Down", "scroll down", "scroll", down },
    { 'k', K_UP, "k Up", "scroll up", NULL, up },
    { K_PGDN, ' ', "PgDn Space", "ten lines down", NULL, pgdn },
    { K_PGUP, 0, "PgUp", "ten lines up", NULL, pgup },
};

static const struct keymap keymap_metadata = { "Metadata (I)", metadata_bindings,
                                               sizeof metadata_bindings / sizeof *metadata_bindings };

static int key(struct app *a, void *st, int k)
{
    return keymap_dispatch(&keymap_metadata, a, st, k);
}

static const struct keymap *hints(const struct app *a, void *st)
{
    (void)a, (void)st;
    return &keymap_metadata;
}

static void *init(struct app *a)
{
    (void)a;
    return xcalloc(1, sizeof(struct metadata));
}

static void metadata_free(struct app *a, void *st)
{
    struct metadata *m = st;

    (void)a;
    free(m->keys);
    free(m->values);
    free(m);
}

const struct view_class view_metadata = {
    .name = "Metadata", .open_key = 'I', .help = { &keymap_metadata },
    .init = init, .free = metadata_free, .draw = draw, .key = key, .hints = hints,
};
