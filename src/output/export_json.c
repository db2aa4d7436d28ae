/* The JSON exports: Pyroscope's flamebearer (what its UI's export button
 * writes and its import reads: version 1, flamebearer{names, levels,
 * numTicks, maxSelf}, metadata{format, units, sampleRate, name}) and
 * speedscope's file format (a "sampled" profile per side). Names go
 * through export_json_string (RFC 8259: control bytes \u00XX, invalid
 * UTF-8 as U+FFFD). */
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "xalloc.h"

/* ---- flamebearer ---- */

struct level {
    int64_t *v;
    size_t n, cap;
    int64_t end[2];             /* per side: x + total of the last node written */
};

struct fb {
    const struct profile *p;
    const int64_t *t[2];
    int sides;                  /* 1: single, 2: double (the diff) */
    struct level *lv;
    uint32_t nlv;
    int64_t *next_x;            /* per depth and side: where the next child starts */
    uint32_t *name_of;          /* frame -> index in names + 1 */
    uint32_t *names;            /* frames in names order (after "total") */
    uint32_t nnames;
    int64_t max_self;
};

static void level_add(struct level *l, int64_t v)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
    }
    l->v[l->n++] = v;
}

/* A node into level d: per side x (delta from the level's last end),
 * total, self; then its name's index. */
static void fb_node(struct fb *b, uint32_t d, uint32_t node, uint32_t name, const int64_t *x)
{
    const struct trie *t = &b->p->trie;
    struct level *l = &b->lv[d];

    for (int s = 0; s < b->sides; s++) {
        int64_t total = b->t[s][node], self = trie_self(t, b->t[s], node);

        level_add(l, x[s] - l->end[s]);
        level_add(l, total);
        level_add(l, self);
        l->end[s] = x[s] + total;
        b->max_self = self > b->max_self ? self : b->max_self;
        b->next_x[(size_t)(d + 1) * 2 + (size_t)s] = x[s];    /* its first child's x */
    }
    level_add(l, name);
}

static void fb_grow(struct fb *b, uint32_t depth)
{
    if (depth + 1 < b->nlv)
        return;
    uint32_t n = (depth + 2) * 2;

    b->lv = xreallocarray(b->lv, n, sizeof *b->lv);
    memset(b->lv + b->nlv, 0, (n - b->nlv) * sizeof *b->lv);
    b->next_x = xreallocarray(b->next_x, (size_t)n + 1, 2 * sizeof *b->next_x);
    b->nlv = n;
}

static void fb_visit(void *ctx, uint32_t node, uint32_t depth, const uint32_t *path)
{
    struct fb *b = ctx;
    uint32_t f = path[depth - 1];
    int64_t x[2];

    fb_grow(b, depth);
    if (!b->name_of[f]) {
        b->names[b->nnames++] = f;
        b->name_of[f] = b->nnames;      /* "total" is index 0 */
    }
    for (int s = 0; s < b->sides; s++) {
        x[s] = b->next_x[(size_t)depth * 2 + (size_t)s];
        b->next_x[(size_t)depth * 2 + (size_t)s] += b->t[s][node];
    }
    fb_node(b, depth, node, b->name_of[f], x);
}

/* Pyroscope's units and the ticks per second (sampleRate) of a type:
 * nanoseconds are ticks of 1e9 a second, so its UI shows seconds. */
static void fb_units(const struct profile *p, uint32_t type, const char **units, int64_t *rate)
{
    const char *name = profile_str(p, p->types[type].type);
    const char *unit = profile_str(p, p->types[type].unit);

    *rate = 100;
    if (!strcmp(unit, "bytes"))
        *units = "bytes";
    else if (!strcmp(name, "contentions"))
        *units = "lock_samples";
    else if (!strcmp(name, "delay"))
        *units = "lock_nanoseconds", *rate = 1000000000;
    else if (!strcmp(name, "goroutine") || !strcmp(name, "goroutines"))
        *units = "goroutines";
    else if (strstr(name, "objects"))
        *units = "objects";
    else {
        /* a time: ticks of its unit, so that ticks / sampleRate is seconds */
        static const struct { const char *unit; int64_t rate; } per_second[] = {
            { "nanoseconds", 1000000000 }, { "microseconds", 1000000 },
            { "milliseconds", 1000 }, { "seconds", 1 },
        };

        *units = "samples";
        for (size_t i = 0; i < sizeof per_second / sizeof *per_second; i++)
            if (!strcmp(unit, per_second[i].unit))
                *rate = per_second[i].rate;
    }
}

static void fb_write_levels(FILE *out, const struct fb *b)
{
    fputs("\"levels\":[", out);
    for (uint32_t d = 0; d < b->nlv && b->lv[d].n; d++) {
        fputs(d ? ",[" : "[", out);
        for (size_t i = 0; i < b->lv[d].n; i++)
            fprintf(out, "%s%lld", i ? "," : "", (long long)b->lv[d].v[i]);
        fputc(']', out);
    }
    fputc(']', out);
}

static void fb_write(FILE *out, const struct export_sel *s, const struct fb *b)
{
    const struct profile *p = s->p;
    const char *units;
    int64_t rate;

    fb_units(p, s->type, &units, &rate);
    fputs("{\"version\":1,\"flamebearer\":{\"names\":[\"total\"", out);
    for (uint32_t i = 0; i < b->nnames; i++) {
        uint32_t name = p->frames[b->names[i]].name;

        fputc(',', out);
        export_json_string(out, profile_str(p, name), strtab_len(&p->strings, name));
    }
    fputs("],", out);
    fb_write_levels(out, b);
    fprintf(out, ",\"numTicks\":%lld,\"maxSelf\":%lld},",
            (long long)(b->t[0][TRIE_ROOT] + (b->sides > 1 ? b->t[1][TRIE_ROOT] : 0)),
            (long long)b->max_self);
    fprintf(out, "\"metadata\":{\"format\":\"%s\",\"units\":\"%s\",\"sampleRate\":%lld,"
            "\"spyName\":\"unknown\",\"name\":", b->sides > 1 ? "double" : "single", units,
            (long long)rate);
    export_json_string(out, profile_str(p, p->types[s->type].type),
                       strtab_len(&p->strings, p->types[s->type].type));
    fputc('}', out);
    if (b->sides > 1)
        fprintf(out, ",\"leftTicks\":%lld,\"rightTicks\":%lld", (long long)b->t[0][TRIE_ROOT],
                (long long)b->t[1][TRIE_ROOT]);
    fputs("}\n", out);
}

int export_json(FILE *out, const struct export_sel *s, char *err, size_t nerr)
{
    struct fb b = { .p = s->p, .sides = s->total[1] ? 2 : 1 };
    int own[2] = { 0, 0 };
    int64_t x0[2] = { 0, 0 };

    (void)err;
    (void)nerr;
    for (int i = 0; i < b.sides; i++)
        b.t[i] = export_totals(s, i, &own[i]);
    b.name_of = xcalloc(s->p->nframes + 1, sizeof *b.name_of);
    b.names = xcalloc(s->p->nframes + 1, sizeof *b.names);
    fb_grow(&b, 0);
    fb_node(&b, 0, TRIE_ROOT, 0, x0);
    export_walk(s->p, b.t[0], b.sides > 1 ? b.t[1] : NULL, 1, fb_visit, &b);
    fb_write(out, s, &b);
    for (uint32_t d = 0; d < b.nlv; d++)
        free(b.lv[d].v);
    free(b.lv);
    free(b.next_x);
    free(b.name_of);
    free(b.names);
    for (int i = 0; i < b.sides; i++)
        export_totals_free(s, b.t[i], own[i]);
    return 0;
}

/* ---- speedscope ---- */

struct ss {
    FILE *out;
    const struct profile *p;
    const int64_t *t;
    uint32_t *index;            /* frame -> shared.frames index + 1 */
    int pass;                   /* 0: samples, 1: weights */
    int any;
};

static void ss_visit(void *ctx, uint32_t node, uint32_t depth, const uint32_t *path)
{
    struct ss *w = ctx;
    int64_t self = trie_self(&w->p->trie, w->t, node);

    if (self <= 0)              /* speedscope weighs what was spent: nothing to show */
        return;
    fputs(w->any ? "," : "", w->out);
    w->any = 1;
    if (w->pass) {
        fprintf(w->out, "%lld", (long long)self);
        return;
    }
    fputc('[', w->out);
    for (uint32_t i = 0; i < depth; i++)
        fprintf(w->out, "%s%u", i ? "," : "", w->index[path[i]] - 1);
    fputc(']', w->out);
}

static const char *ss_unit(const struct profile *p, uint32_t type)
{
    const char *unit = profile_str(p, p->types[type].unit);

    return !strcmp(unit, "nanoseconds") || !strcmp(unit, "microseconds") ||
           !strcmp(unit, "milliseconds") || !strcmp(unit, "seconds") ||
           !strcmp(unit, "bytes") ? unit : "none";
}

/* Every frame a node of either side's totals passes through. */
static void ss_index(void *ctx, uint32_t node, uint32_t depth, const uint32_t *path)
{
    struct ss *w = ctx;
    uint32_t f = path[depth - 1];

    (void)node;
    if (!w->index[f]) {
        const struct frame *fr = &w->p->frames[f];

        fputs(w->any ? ",{\"name\":" : "{\"name\":", w->out);
        w->any++;
        w->index[f] = (uint32_t)w->any;
        export_json_string(w->out, profile_str(w->p, fr->name),
                           strtab_len(&w->p->strings, fr->name));
        if (fr->file) {
            fputs(",\"file\":", w->out);
            export_json_string(w->out, profile_str(w->p, fr->file),
                               strtab_len(&w->p->strings, fr->file));
        }
        if (fr->line > 0)
            fprintf(w->out, ",\"line\":%lld", (long long)fr->line);
        fputc('}', w->out);
    }
}

static void ss_profile(struct ss *w, const struct export_sel *s, int side, const char *name)
{
    const struct profile *p = s->p;
    int64_t sum = 0;

    /* endValue: the weights' sum (the positive selves; not the root's, a
     * sample of no frame, which no stack in samples carries) */
    for (uint32_t n = 0; n < p->trie.count; n++) {
        int64_t self = w->t[n] && n != TRIE_ROOT ? trie_self(&p->trie, w->t, n) : 0;

        sum += self > 0 ? self : 0;
    }
    fprintf(w->out, "%s{\"type\":\"sampled\",\"name\":", side ? "," : "");
    export_json_string(w->out, name, strlen(name));
    fprintf(w->out, ",\"unit\":\"%s\",\"startValue\":0,\"endValue\":%lld,\"samples\":[",
            ss_unit(p, s->type), (long long)sum);
    for (w->pass = 0; w->pass < 2; w->pass++) {
        w->any = 0;
        if (w->pass)
            fputs("],\"weights\":[", w->out);
        export_walk(p, w->t, NULL, 1, ss_visit, w);
    }
    fputs("]}", w->out);
}

int export_speedscope(FILE *out, const struct export_sel *s, char *err, size_t nerr)
{
    const struct profile *p = s->p;
    int sides = s->total[1] ? 2 : 1, own[2] = { 0, 0 };
    const int64_t *t[2] = { NULL, NULL };
    struct ss w = { .out = out, .p = p };
    const char *title = s->title && *s->title ? s->title : "ember";
    char name[600];

    (void)err;
    (void)nerr;
    for (int i = 0; i < sides; i++)
        t[i] = export_totals(s, i, &own[i]);
    w.index = xcalloc(p->nframes + 1, sizeof *w.index);
    fputs("{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\","
          "\"exporter\":\"ember\",\"name\":", out);
    export_json_string(out, title, strlen(title));
    fputs(",\"activeProfileIndex\":0,\"shared\":{\"frames\":[", out);
    export_walk(p, t[0], t[1], 1, ss_index, &w);
    fputs("]},\"profiles\":[", out);
    for (int i = 0; i < sides; i++) {
        w.t = t[i];
        snprintf(name, sizeof name, "%s%s", profile_str(p, p->types[s->type].type),
                 sides < 2 ? "" : i ? " (B, new)" : " (A, base)");
        ss_profile(&w, s, i, name);
    }
    fputs("]}\n", out);
    free(w.index);
    for (int i = 0; i < sides; i++)
        export_totals_free(s, t[i], own[i]);
    return 0;
}
