/* libFuzzer harness for the exporters (export.h) on profiles whose names
 * hold any byte (fuzz_build.h), one side and the diff's two. Oracles: the
 * JSON, speedscope and SVG files hold no raw control byte (but newlines)
 * and only valid UTF-8; the SVG's only "]]>" ends its script; the pprof
 * file reads back through the pprof parser to the same total of every
 * sample type. Run: make fuzz-export. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decompress.h"
#include "export.h"
#include "fuzz_build.h"
#include "query.h"
#include "source.h"
#include "text.h"

static char *buf;
static size_t size;

/* fn's output into buf; it may fail only where may_fail (folded: past
 * its limit, which a profile of no data bytes has at 0). */
static void run(int (*fn)(FILE *, const struct export_sel *, char *, size_t),
                const struct export_sel *s, int may_fail)
{
    char err[256];
    FILE *f;

    free(buf);
    buf = NULL;
    f = open_memstream(&buf, &size);
    if (fn(f, s, err, sizeof err) && !may_fail) {
        fprintf(stderr, "an exporter failed: %s\n", err);
        abort();
    }
    fclose(f);
}

static void check_text(const char *what)
{
    uint32_t cp;

    for (size_t i = 0, n; i < size; i += n) {
        if ((unsigned char)buf[i] < 0x20 && buf[i] != '\n') {
            fprintf(stderr, "%s: raw control at %zu\n", what, i);
            abort();
        }
        if (!(n = text_utf8_decode(buf + i, size - i, &cp))) {
            fprintf(stderr, "%s: invalid UTF-8 at %zu\n", what, i);
            abort();
        }
    }
}

static void check_pprof(const struct profile *p)
{
    struct profile q;
    struct load_options lo = { .max_size = DECOMPRESS_DEFAULT_CAP };
    char err[SOURCE_ERR_MAX];
    int64_t *a = calloc(p->ntypes + 1, sizeof *a), *b;

    profile_init(&q);
    if (source_load_buffer(&q, "back", (const uint8_t *)buf, size, &lo, err)) {
        if (!p->nsamples)
            goto out;           /* no samples: refused as any empty profile */
        fprintf(stderr, "the pprof export does not read back: %s\n", err);
        abort();
    }
    query_type_totals(p, a);
    b = calloc(q.ntypes + 1, sizeof *b);
    query_type_totals(&q, b);
    for (uint32_t t = 0; t < p->ntypes && t < q.ntypes; t++)
        if (a[t] != b[t]) {
            fprintf(stderr, "pprof read back: type %u total %lld, not %lld\n", t,
                    (long long)b[t], (long long)a[t]);
            abort();
        }
    free(b);
out:
    free(a);
    profile_free(&q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    struct profile p;
    int64_t *total[2];
    struct export_sel s;

    profile_init(&p);
    fuzz_build(&p, data, len);
    profile_finish(&p);
    for (int t = 0; t < 2; t++) {
        total[t] = calloc(p.trie.count + 1, sizeof *total[t]);
        query_totals(&p, (uint32_t)t % (p.ntypes ? p.ntypes : 1), NULL, total[t]);
    }
    trie_index(&p.trie);
    for (int diff = 0; diff < 2 && p.ntypes; diff++) {
        s = (struct export_sel){ .p = &p, .type = 0, .zoom = TRIE_ROOT, .from = INT64_MIN,
                                 .until = INT64_MAX, .title = "fuzz" };
        s.total[0] = total[0];
        s.total[1] = diff ? total[1] : NULL;
        if (len && p.trie.count > 1)
            s.zoom = data[0] % p.trie.count;
        run(export_json, &s, 0);
        check_text("json");
        run(export_speedscope, &s, 0);
        check_text("speedscope");
        run(export_svg, &s, 0);
        check_text("svg");
        const char *cdata_end = strstr(buf, "]]>");

        if (!cdata_end || strstr(cdata_end + 3, "]]>")) {
            fprintf(stderr, "svg: a ']]>' past the script's\n");
            abort();
        }
        run(export_folded, &s, 1);
        run(export_text, &s, 0);
        if (!diff) {
            s.zoom = TRIE_ROOT;
            run(export_pprof, &s, 0);
            check_pprof(&p);
        }
    }
    for (int t = 0; t < 2; t++)
        free(total[t]);
    free(buf);
    buf = NULL;
    profile_free(&p);
    return 0;
}
