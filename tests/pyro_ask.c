/* tests/pyro_ask.c - one Pyroscope call through ember's client
 * (pyro_call_blocking), its answer printed as text, for tests/remote.sh:
 * the methods batch mode never calls (LabelNames, LabelValues, Series,
 * SelectSeries) checked end to end against the stand-in server.
 *
 *   pyro-ask URL METHOD START_MS END_MS [type=ID] [selector=S] [name=N]
 *            [matcher=M]... [label=L]... [step=SECONDS] [avg]
 *
 * Prints a ProfileTypes answer's IDs, a LabelNames or LabelValues answer's
 * names, one a line; a series as its labels (name=value,...) then, for
 * SelectSeries, one line "  TS_MS VALUE" a point. Exit 2 with the error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyro.h"

static const char *const methods[PYRO_METHODS] = {
    "ProfileTypes", "LabelNames", "LabelValues", "Series", "SelectMergeProfile", "SelectSeries",
};

static void print(const struct pyro_answer *a)
{
    for (uint32_t i = 0; i < a->ntypes; i++)
        printf("%s\n", a->types[i].id);
    for (uint32_t i = 0; i < a->nnames; i++)
        printf("%s\n", a->names[i]);
    for (uint32_t i = 0; i < a->nseries; i++) {
        const struct pyro_series *s = &a->series[i];

        for (uint32_t j = 0; j < s->nlabels; j++)
            printf("%s%s=%s", j ? "," : "", s->labels[j].name, s->labels[j].value);
        printf("\n");
        for (uint32_t j = 0; j < s->npoints; j++)
            printf("  %lld %.17g\n", (long long)s->points[j].ts_ms, s->points[j].value);
    }
    if (a->profile_len)
        printf("%zu bytes of profile\n", a->profile_len);
}

int main(int argc, char **argv)
{
    const char *matchers[16], *labels[16];
    struct pyro_ask q = { .method = PYRO_METHODS, .matchers = matchers, .labels = labels };
    struct pyro_conn c = { 0 };
    struct pyro_answer a;
    char err[PYRO_ERR_MAX];

    if (argc < 5) {
        fprintf(stderr, "usage: pyro-ask URL METHOD START_MS END_MS [key=value]...\n");
        return 1;
    }
    c.url = argv[1];
    for (int m = 0; m < PYRO_METHODS; m++)
        if (!strcmp(argv[2], methods[m]))
            q.method = (enum pyro_method)m;
    q.start_ms = strtoll(argv[3], NULL, 10);
    q.end_ms = strtoll(argv[4], NULL, 10);
    for (int i = 5; i < argc; i++) {
        const char *v = strchr(argv[i], '=') ? strchr(argv[i], '=') + 1 : "";

        if (!strncmp(argv[i], "type=", 5))
            q.type_id = v;
        else if (!strncmp(argv[i], "selector=", 9))
            q.selector = v;
        else if (!strncmp(argv[i], "name=", 5))
            q.name = v;
        else if (!strncmp(argv[i], "matcher=", 8) && q.nmatchers < 16)
            matchers[q.nmatchers++] = v;
        else if (!strncmp(argv[i], "label=", 6) && q.nlabels < 16)
            labels[q.nlabels++] = v;
        else if (!strncmp(argv[i], "step=", 5))
            q.step_s = strtod(v, NULL);
        else if (!strcmp(argv[i], "avg"))
            q.aggregation = PYRO_AVERAGE;
    }
    if (q.method == PYRO_METHODS) {
        fprintf(stderr, "pyro-ask: no method %s\n", argv[2]);
        return 1;
    }
    if (pyro_call_blocking(&c, &q, &a, err, sizeof err)) {
        fprintf(stderr, "pyro-ask: %s\n", err);
        return 2;
    }
    print(&a);
    pyro_answer_free(&a);
    return 0;
}
