/* libFuzzer harness for the batch writers: --top, --top --raw, the diff
 * table (both forms, over the diff join) and --folded, on profiles whose
 * names hold any byte (fuzz_build.h). Oracles: no output byte is an
 * unescaped control; the human tables are valid UTF-8; --raw has one line
 * per row with its tabs only; --folded is as long as measured and reads
 * back, through the folded parser, to the same total and (when no name is
 * empty) the same stacks: written again, the same bytes. Run: make fuzz. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_build.h"
#include "output.h"
#include "query.h"
#include "source.h"
#include "text.h"

static char *buf;
static size_t size;

static FILE *start(void)
{
    free(buf);
    buf = NULL;
    return open_memstream(&buf, &size);
}

static void check_clean(const char *what)
{
    if (fuzz_has_raw_control(buf, size)) {
        fprintf(stderr, "%s wrote a raw control\n", what);
        abort();
    }
}

static void check_utf8(const char *what)
{
    uint32_t cp;

    for (size_t i = 0, n; i < size; i += n)
        if (!(n = text_utf8_decode(buf + i, size - i, &cp))) {
            fprintf(stderr, "%s wrote invalid UTF-8 at %zu\n", what, i);
            abort();
        }
}

/* Every line has `tabs` tabs; returns the number of lines. */
static size_t check_lines(const char *what, int tabs)
{
    size_t lines = 0;
    int seen = 0;

    for (size_t i = 0; i < size; i++) {
        if (buf[i] == '\t')
            seen++;
        if (buf[i] == '\n') {
            if (seen != tabs) {
                fprintf(stderr, "%s: line %zu has %d tabs, not %d\n", what, lines + 1, seen, tabs);
                abort();
            }
            lines++;
            seen = 0;
        }
    }
    if (size && buf[size - 1] != '\n')
        abort();
    return lines;
}

/* Whether some frame of p has an empty name (the folded format cannot
 * hold one: the reader skips empty frames). */
static int has_empty_name(const struct profile *p)
{
    for (uint32_t i = 0; i < p->nframes; i++)
        if (!strtab_len(&p->strings, p->frames[i].name))
            return 1;
    return 0;
}

/* --folded read back by the folded parser: the same grand total, and
 * unless a name is empty the same stacks and names, so that writing it
 * again gives the same bytes. */
static void check_folded_round_trip(const struct profile *p, int64_t want)
{
    struct profile q;
    char err[SOURCE_ERR_MAX], *again = NULL;
    size_t again_size = 0;
    int64_t *total;
    FILE *f;

    profile_init(&q);
    if (folded_load(&q, profile_intern(&q, "back", 4), (const uint8_t *)buf, size, err)) {
        fprintf(stderr, "--folded output does not read back: %s\n", err);
        abort();
    }
    profile_finish(&q);
    total = calloc(q.trie.count + 1, sizeof *total);
    query_totals(&q, q.default_type, NULL, total);
    if (total[TRIE_ROOT] != want) {
        fprintf(stderr, "--folded read back: total %lld, not %lld\n", (long long)total[TRIE_ROOT],
                (long long)want);
        abort();
    }
    if (!has_empty_name(p)) {
        trie_index(&q.trie);
        f = open_memstream(&again, &again_size);
        if (output_folded(f, &q, total, UINT64_MAX, err, sizeof err))
            abort();
        fclose(f);
        if (again_size != size || memcmp(again, buf, size)) {
            fprintf(stderr, "--folded read back and written again differs\n");
            abort();
        }
        free(again);
    }
    free(total);
    profile_free(&q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    struct profile p;
    struct flat flat[2];
    int64_t *total[2];
    size_t limit = len ? data[len - 1] % 8 : 0, rows;
    char err[256];
    FILE *f;

    profile_init(&p);
    fuzz_build(&p, data, len);
    profile_finish(&p);
    for (uint32_t t = 0; t < 2; t++) {
        total[t] = calloc(p.trie.count + 1, sizeof *total[t]);
        query_totals_flat(&p, t, NULL, total[t], &flat[t]);
    }
    trie_index(&p.trie);

    f = start();
    output_top(f, &p, &flat[0], 0, limit);
    fclose(f);
    check_clean("--top");
    check_utf8("--top");

    f = start();
    output_top_raw(f, &p, &flat[0], limit);
    fclose(f);
    check_clean("--top --raw");
    rows = check_lines("--top --raw", 2);
    if (rows != (limit && limit < flat[0].count ? limit : flat[0].count))
        abort();

    for (int raw = 0; raw < 2; raw++) {
        f = start();
        output_diff(f, &p, 0, &flat[0], &flat[1], raw, limit);
        fclose(f);
        check_clean("--diff --top");
        if (raw)
            check_lines("--diff --top --raw", 4);
        else
            check_utf8("--diff --top");
    }

    f = start();
    if (output_folded(f, &p, total[0], UINT64_MAX, err, sizeof err))
        abort();
    fclose(f);
    check_clean("--folded");
    check_lines("--folded", 1);
    if (output_folded_size(&p, total[0], TEXT_ESCAPE_CONTROLS) != size) {
        fprintf(stderr, "--folded wrote %zu bytes, measured %llu\n", size,
                (unsigned long long)output_folded_size(&p, total[0], TEXT_ESCAPE_CONTROLS));
        abort();
    }
    if (total[0][TRIE_ROOT])
        check_folded_round_trip(&p, total[0][TRIE_ROOT]);
    else if (size)
        abort();                /* nothing to write, yet it wrote */

    for (int t = 0; t < 2; t++) {
        flat_free(&flat[t]);
        free(total[t]);
    }
    free(buf);
    buf = NULL;
    profile_free(&p);
    return 0;
}
