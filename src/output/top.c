#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "sat.h"
#include "text.h"
#include "units.h"
#include "xalloc.h"

static void write_name(FILE *f, const struct profile *p, uint32_t frame,
                       enum text_escape_mode mode)
{
    uint32_t name = p->frames[frame].name;

    text_write_escaped(f, profile_str(p, name), strtab_len(&p->strings, name), mode);
}

static void write_str(FILE *f, const struct profile *p, uint32_t s)
{
    text_write_escaped(f, profile_str(p, s), strtab_len(&p->strings, s), TEXT_ESCAPE_DISPLAY);
}

/* "Type: cpu (nanoseconds)": both strings come from the profile. */
static void write_type(FILE *f, const struct profile *p, uint32_t type)
{
    fputs("Type: ", f);
    write_str(f, p, p->types[type].type);
    fputs(" (", f);
    write_str(f, p, p->types[type].unit);
    fputs(")", f);
}

/* pprof's lines under filters: each one, then what the table holds of
 * the whole. */
static void write_filters(FILE *f, const char *filters, int64_t shown, int64_t whole,
                          const char *unit)
{
    char v[3][UNITS_BUF];

    fputs("Active filters:\n", f);
    for (const char *s = filters, *nl; *s; s = nl + 1) {
        nl = strchr(s, '\n');
        if (!nl)
            nl = s + strlen(s) - 1;
        fputs("   ", f);
        text_write_escaped(f, s, (size_t)(nl - s) + (*nl != '\n'), TEXT_ESCAPE_DISPLAY);
        fputc('\n', f);
    }
    units_format(shown, unit, v[0], UNITS_BUF);
    units_percent(shown < 0 ? -shown : shown, whole, v[1], UNITS_BUF);  /* pprof's: |share| */
    units_format(whole, unit, v[2], UNITS_BUF);
    fprintf(f, "Showing nodes accounting for %s, %s of %s total\n", v[0], v[1], v[2]);
}

void output_top(FILE *f, const struct profile *p, const struct flat *flat, uint32_t type,
                size_t limit)
{
    output_top_filtered(f, p, flat, type, limit, NULL, flat->grand_total);
}

void output_top_filtered(FILE *f, const struct profile *p, const struct flat *flat,
                         uint32_t type, size_t limit, const char *filters, int64_t whole)
{
    const char *unit = profile_str(p, p->types[type].unit);
    char total[UNITS_BUF], v[4][UNITS_BUF], agg[64];
    size_t shown = limit && limit < flat->count ? limit : flat->count;
    int64_t sum = 0;

    units_format(whole, unit, total, sizeof total);
    flat_agg_text(flat, agg, sizeof agg);
    write_type(f, p, type);
    fprintf(f, ", total %s%s%s; showing %zu of %u functions\n", total, *agg ? ", " : "", agg,
            shown, flat->count);
    if (filters)
        write_filters(f, filters, flat->net, whole, unit);
    fprintf(f, "%10s %8s %8s %10s %8s  %s\n", "self", "self%", "sum%", "total", "total%",
            "function");
    for (size_t i = 0; i < shown; i++) {
        const struct flat_row *r = &flat->rows[i];

        sum = sat_add(sum, r->self);
        units_format(r->self, unit, v[0], UNITS_BUF);
        units_percent(r->self, whole, v[1], UNITS_BUF);
        units_percent(sum, whole, v[2], UNITS_BUF);
        units_format(r->total, unit, v[3], UNITS_BUF);
        fprintf(f, "%10s %8s %8s %10s ", v[0], v[1], v[2], v[3]);
        units_percent(r->total, whole, v[0], UNITS_BUF);
        fprintf(f, "%8s  ", v[0]);
        write_name(f, p, r->frame, TEXT_ESCAPE_DISPLAY);
        fputc('\n', f);
    }
}

void output_top_raw(FILE *f, const struct profile *p, const struct flat *flat, size_t limit)
{
    size_t shown = limit && limit < flat->count ? limit : flat->count;

    for (size_t i = 0; i < shown; i++) {
        const struct flat_row *r = &flat->rows[i];

        fprintf(f, "%lld\t%lld\t", (long long)r->self, (long long)r->total);
        write_name(f, p, r->frame, text_machine_mode(f));
        fputc('\n', f);
    }
}

/* A joined row with its shares of each side's total, in percent. */
struct diff_row {
    const struct flat_pair *pair;
    double share[2];
};

static const struct profile *join_profile;

static int row_by_name(const void *a, const void *b)
{
    const struct diff_row *x = a, *y = b;

    return query_name_cmp(join_profile, join_profile->frames[x->pair->frame].name,
                          join_profile->frames[y->pair->frame].name);
}

/* The largest change of share first (either way), then by name. */
static int row_by_change(const void *a, const void *b)
{
    const struct diff_row *x = a, *y = b;
    double cx = fabs(x->share[1] - x->share[0]), cy = fabs(y->share[1] - y->share[0]);

    return cx > cy ? -1 : cx < cy ? 1 : row_by_name(a, b);
}

static double share(const struct flat_row *r, int64_t total)
{
    return r && total ? 100.0 * (double)r->total / (double)total : 0;
}

static void write_diff_row(FILE *f, const struct profile *p, const struct diff_row *d, int raw)
{
    const struct flat_row *b = d->pair->side[0], *c = d->pair->side[1];
    char rel[32];

    if (raw) {
        fprintf(f, "%lld\t%lld\t%lld\t%lld\t", (long long)(b ? b->self : 0),
                (long long)(b ? b->total : 0), (long long)(c ? c->self : 0),
                (long long)(c ? c->total : 0));
    } else {
        if (!b || !b->total)
            snprintf(rel, sizeof rel, "new");
        else if (!c || !c->total)
            snprintf(rel, sizeof rel, "gone");
        else
            snprintf(rel, sizeof rel, "%+.1f%%", 100.0 * (d->share[1] - d->share[0]) / d->share[0]);
        fprintf(f, "%7.2f%% %7.2f%% %+8.2fpp %9s  ", d->share[0], d->share[1],
                d->share[1] - d->share[0], rel);
    }
    write_name(f, p, d->pair->frame, raw ? text_machine_mode(f) : TEXT_ESCAPE_DISPLAY);
    fputc('\n', f);
}

void output_diff(FILE *f, const struct profile *p, uint32_t type, const struct flat *base,
                 const struct flat *cmp, int raw, size_t limit)
{
    uint32_t n;
    struct flat_pair *pairs = flat_join(p, base, cmp, &n);
    struct diff_row *rows = xcalloc(n ? n : 1, sizeof *rows);
    size_t shown = limit && limit < n ? limit : n;

    for (uint32_t i = 0; i < n; i++)
        rows[i] = (struct diff_row){ &pairs[i], { share(pairs[i].side[0], base->grand_total),
                                                   share(pairs[i].side[1], cmp->grand_total) } };
    join_profile = p;
    /* the largest changes; --raw prints them (all by default) by name */
    qsort(rows, n, sizeof *rows, row_by_change);
    if (raw)
        qsort(rows, shown, sizeof *rows, row_by_name);
    if (!raw) {
        const char *unit = profile_str(p, p->types[type].unit);
        char bt[UNITS_BUF], ct[UNITS_BUF];

        units_format(base->grand_total, unit, bt, sizeof bt);
        units_format(cmp->grand_total, unit, ct, sizeof ct);
        write_type(f, p, type);
        fprintf(f, ", base total %s, new total %s; showing %zu of %u functions, largest change "
                "first\n", bt, ct, shown, n);
        fprintf(f, "%8s %8s %10s %9s  %s\n", "base%", "new%", "change", "relative", "function");
    }
    for (size_t i = 0; i < shown; i++)
        write_diff_row(f, p, &rows[i], raw);
    free(rows);
    free(pairs);
}
