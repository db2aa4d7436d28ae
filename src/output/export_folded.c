/* The folded export: flamegraph.pl's and inferno's "root;...;leaf value"
 * lines (ember's --folded, escapes and all); for the diff, the two-column
 * "root;...;leaf before after" lines difffolded.pl writes, which
 * flamegraph.pl draws as a differential flamegraph. And the text export:
 * the table as the batch --top prints it, every row. */
#include <stdint.h>
#include <stdlib.h>

#include "export.h"
#include "output.h"
#include "sat.h"
#include "text.h"
#include "xalloc.h"

struct two {
    FILE *out;
    const struct profile *p;
    const int64_t *t[2];
};

static void two_columns(void *ctx, uint32_t node, uint32_t depth, const uint32_t *path)
{
    struct two *w = ctx;
    const struct trie *t = &w->p->trie;
    int64_t a = trie_self(t, w->t[0], node), b = trie_self(t, w->t[1], node);

    if (!a && !b)
        return;
    output_folded_stack(w->out, w->p, path, depth);
    fprintf(w->out, " %lld %lld\n", (long long)a, (long long)b);
}

/* The diff's lines under the bound --folded has (FOLDED_BYTES_PER_BYTE per
 * byte of profile data): measured as the one-column lines of both sides'
 * sums, whose stacks are the two columns' (a stack either side has). */
static int two_fit(FILE *out, const struct export_sel *s, const int64_t *a, const int64_t *b,
                   char *err, size_t nerr)
{
    const struct profile *p = s->p;
    size_t n = p->trie.count;
    int64_t *both = xmalloc((n + 1) * sizeof *both);
    uint64_t need, limit = p->data_bytes > UINT64_MAX / FOLDED_BYTES_PER_BYTE ? UINT64_MAX :
                           p->data_bytes * FOLDED_BYTES_PER_BYTE;

    for (size_t i = 0; i < n; i++)
        both[i] = sat_add(a[i] < 0 ? -a[i] : a[i], b[i] < 0 ? -b[i] : b[i]);
    need = output_folded_size(p, both, text_machine_mode(out));
    free(both);
    if (need <= limit)
        return 0;
    snprintf(err, nerr, "the diff's folded stacks would take %llu bytes, more than the limit "
             "of %llu bytes (%d bytes per byte of profile data)", (unsigned long long)need,
             (unsigned long long)limit, FOLDED_BYTES_PER_BYTE);
    return -1;
}

int export_folded(FILE *out, const struct export_sel *s, char *err, size_t nerr)
{
    int own[2] = { 0, 0 }, r = 0;
    const int64_t *t0 = export_totals(s, 0, &own[0]);

    if (!s->total[1]) {
        /* 0: the same bound as --folded (64 bytes per byte of profile data) */
        r = output_folded(out, s->p, t0, 0, err, nerr);
    } else {
        struct two w = { out, s->p, { t0, export_totals(s, 1, &own[1]) } };

        r = two_fit(out, s, w.t[0], w.t[1], err, nerr);
        if (!r)
            export_walk(s->p, w.t[0], w.t[1], 1, two_columns, &w);
        export_totals_free(s, w.t[1], own[1]);
    }
    export_totals_free(s, t0, own[0]);
    return r;
}

/* The tables have no zoom: the text is the selection's whole table. */
int export_text(FILE *out, const struct export_sel *s, char *err, size_t nerr)
{
    struct flat made[2];
    const struct flat *f[2] = { s->flat, s->flat2 };
    int made_it[2] = { 0, 0 };

    (void)err;
    (void)nerr;
    if (s->text) {
        fputs(s->text, out);
        return 0;
    }
    for (int i = 0; i < (s->total[1] ? 2 : 1); i++)
        if (!f[i]) {
            flat_build(s->p, s->type, s->filter[i], s->total[i], &made[i]);
            f[i] = &made[i];
            made_it[i] = 1;
        }
    if (s->total[1])
        output_diff(out, s->p, s->type, f[0], f[1], 0, 0);
    else
        output_top(out, s->p, f[0], s->type, 0);
    for (int i = 0; i < 2; i++)
        if (made_it[i])
            flat_free(&made[i]);
    return 0;
}
