#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "sat.h"
#include "text.h"
#include "units.h"

static void write_name(FILE *f, const struct profile *p, uint32_t frame,
                       enum text_escape_mode mode)
{
    uint32_t name = p->frames[frame].name;

    text_write_escaped(f, profile_str(p, name), strtab_len(&p->strings, name), mode);
}

void output_top(FILE *f, const struct profile *p, const struct flat *flat, uint32_t type,
                size_t limit)
{
    const char *unit = profile_str(p, p->types[type].unit);
    char total[UNITS_BUF], v[4][UNITS_BUF];
    size_t shown = limit && limit < flat->count ? limit : flat->count;
    int64_t sum = 0;

    units_format(flat->grand_total, unit, total, sizeof total);
    fprintf(f, "Type: %s (%s), total %s; showing %zu of %u functions\n",
            profile_str(p, p->types[type].type), unit, total, shown, flat->count);
    fprintf(f, "%10s %8s %8s %10s %8s  %s\n", "self", "self%", "sum%", "total", "total%",
            "function");
    for (size_t i = 0; i < shown; i++) {
        const struct flat_row *r = &flat->rows[i];

        sum = sat_add(sum, r->self);
        units_format(r->self, unit, v[0], UNITS_BUF);
        units_percent(r->self, flat->grand_total, v[1], UNITS_BUF);
        units_percent(sum, flat->grand_total, v[2], UNITS_BUF);
        units_format(r->total, unit, v[3], UNITS_BUF);
        fprintf(f, "%10s %8s %8s %10s ", v[0], v[1], v[2], v[3]);
        units_percent(r->total, flat->grand_total, v[0], UNITS_BUF);
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
        write_name(f, p, r->frame, TEXT_ESCAPE_CONTROLS);
        fputc('\n', f);
    }
}

static const struct profile *join_profile;

static int pair_by_name(const void *a, const void *b)
{
    const struct flat_pair *x = a, *y = b;

    return query_name_cmp(join_profile, join_profile->frames[x->frame].name,
                          join_profile->frames[y->frame].name);
}

void output_diff(FILE *f, const struct profile *p, const struct flat *base,
                 const struct flat *cmp, int raw)
{
    uint32_t n;
    struct flat_pair *rows = flat_join(p, base, cmp, &n);

    join_profile = p;
    qsort(rows, n, sizeof *rows, pair_by_name);
    if (!raw)
        fprintf(f, "%8s %8s %9s  %s\n", "base%", "new%", "change", "function");
    for (uint32_t i = 0; i < n; i++) {
        const struct flat_row *b = rows[i].side[0], *c = rows[i].side[1];

        if (raw) {
            fprintf(f, "%lld\t%lld\t%lld\t%lld\t", (long long)(b ? b->self : 0),
                    (long long)(b ? b->total : 0), (long long)(c ? c->self : 0),
                    (long long)(c ? c->total : 0));
        } else {
            double bp = b && base->grand_total ? 100.0 * (double)b->total / (double)base->grand_total : 0;
            double cp = c && cmp->grand_total ? 100.0 * (double)c->total / (double)cmp->grand_total : 0;

            fprintf(f, "%7.2f%% %7.2f%% ", bp, cp);
            if (!b)
                fprintf(f, "%9s  ", "new");
            else if (!c)
                fprintf(f, "%9s  ", "gone");
            else
                fprintf(f, "%+8.2f%%  ", cp - bp);
        }
        write_name(f, p, rows[i].frame, raw ? TEXT_ESCAPE_CONTROLS : TEXT_ESCAPE_DISPLAY);
        fputc('\n', f);
    }
    free(rows);
}
