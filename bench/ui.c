/* Replays a scripted key sequence on the UI drawing into a virtual screen
 * (no terminal) and reports how long each keystroke takes to handle and
 * redraw. Usage: bench-ui FILE [WIDTH HEIGHT] */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "profile.pb-c.h"
#include "source.h"
#include "xalloc.h"

static double now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

struct step {
    const char *what;
    int key;
};

/* What a person does: move, zoom, switch views, search, page the table. */
static const struct step script[] = {
    { "move down", 'j' }, { "move down", 'j' }, { "move down", 'j' }, { "move right", 'l' },
    { "move right", 'l' }, { "move left", 'h' }, { "zoom in", K_ENTER }, { "move down", 'j' },
    { "move down", 'j' }, { "zoom in", K_ENTER }, { "zoom out", K_BACKSPACE }, { "zoom reset", '0' },
    { "flip", 'i' }, { "flip", 'i' }, { "view: flamegraph", '1' }, { "view: table", '2' },
    { "table down", 'j' }, { "table page down", K_PGDN }, { "sort", 's' }, { "sort", 's' },
    { "sort", 's' }, { "view: both", '3' }, { "focus", K_TAB }, { "view: sandwich", '4' },
    { "sandwich move", 'j' }, { "focus", K_TAB }, { "sandwich move", 'k' }, { "view: flamegraph", '1' },
    { "search open", '/' }, { "search type", 'R' }, { "search type", 'e' }, { "search type", 'n' },
    { "search type", 'd' }, { "search accept", K_ENTER }, { "next match", 'n' },
    { "next match", 'n' }, { "search open", '/' }, { "search clear", K_CTRL('u') },
    { "search accept", K_ENTER }, { "help", '?' }, { "help close", K_ESC },
};

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static double t_index;           /* of the last append_body */

/* Appends a body to p as the live data set does; returns seconds. */
static double append_body(struct profile *p, const char *name, const uint8_t *body, size_t len)
{
    struct load_options o = { .max_size = (size_t)1 << 30 };
    char err[SOURCE_ERR_MAX];
    double t0 = now(), t1;

    if (source_load_buffer(p, name, body, len, &o, err)) {
        fprintf(stderr, "bench-ui: append: %s\n", err);
        exit(2);
    }
    t1 = now();
    trie_index(&p->trie);
    t_index = now() - t1;
    return now() - t0;
}

/* The pprof a fetch of the service the data set came from would bring: 2,000
 * of its stacks (every 500th sample's) with its sample types, a tenth of
 * them one frame deeper in a function the data set never saw, so that the
 * trie grows too. Caller frees. */
struct enc {
    Perftools__Profiles__Function *fn;
    Perftools__Profiles__Location *loc;
    Perftools__Profiles__Line *line;
    Perftools__Profiles__Function **fnp;
    Perftools__Profiles__Location **locp;
    Perftools__Profiles__Line **linep;
    char **str;
    size_t n, nstr;
};

/* The location id of a function named name (string added when new). */
static uint64_t enc_loc(struct enc *e, const char *name)
{
    size_t i = e->n++;

    e->str[e->nstr] = (char *)name;
    perftools__profiles__function__init(&e->fn[i]);
    perftools__profiles__location__init(&e->loc[i]);
    perftools__profiles__line__init(&e->line[i]);
    e->fn[i].id = i + 1;
    e->fn[i].name = (int64_t)e->nstr++;
    e->line[i].function_id = i + 1;
    e->linep[i] = &e->line[i];
    e->loc[i].id = i + 1;
    e->loc[i].n_line = 1;
    e->loc[i].line = &e->linep[i];
    e->fnp[i] = &e->fn[i];
    e->locp[i] = &e->loc[i];
    return i + 1;
}

static uint8_t *fetched_pprof(const struct profile *p, size_t want, size_t *count, size_t *len)
{
    size_t step = p->nsamples / want ? p->nsamples / want : 1, cap = p->nframes + want + 1, ns = 0;
    struct enc e = { xcalloc(cap, sizeof *e.fn), xcalloc(cap, sizeof *e.loc),
                     xcalloc(cap, sizeof *e.line), xcalloc(cap, sizeof *e.fnp),
                     xcalloc(cap, sizeof *e.locp), xcalloc(cap, sizeof *e.linep),
                     xcalloc(cap + 2 * p->ntypes + 1, sizeof *e.str), 0, 1 };
    uint64_t *loc_of = xcalloc(p->nframes + 1, sizeof *loc_of);
    Perftools__Profiles__Sample *sm = xcalloc(want, sizeof *sm), **smp = xcalloc(want, sizeof *smp);
    Perftools__Profiles__ValueType *vt = xcalloc(p->ntypes, sizeof *vt), **vtp = xcalloc(p->ntypes, sizeof *vtp);
    Perftools__Profiles__Profile pr = PERFTOOLS__PROFILES__PROFILE__INIT;
    char (*fresh)[32] = xcalloc(want, sizeof *fresh);
    uint8_t *out;

    e.str[0] = (char *)"";
    for (uint32_t t = 0; t < p->ntypes; t++) {
        perftools__profiles__value_type__init(&vt[t]);
        e.str[e.nstr] = (char *)profile_str(p, p->types[t].type);
        vt[t].type = (int64_t)e.nstr++;
        e.str[e.nstr] = (char *)profile_str(p, p->types[t].unit);
        vt[t].unit = (int64_t)e.nstr++;
        vtp[t] = &vt[t];
    }
    for (size_t s = 0; s < p->nsamples && ns < want; s += step, ns++) {
        uint32_t depth = trie_depth(&p->trie, p->samples[s].node), n = 0;
        Perftools__Profiles__Sample *x = &sm[ns];

        perftools__profiles__sample__init(x);
        x->location_id = xcalloc(depth + 2, sizeof *x->location_id);
        if (ns % 10 == 0) {     /* leaf first, as pprof orders them */
            snprintf(fresh[ns], sizeof fresh[ns], "live_new_%zu", ns);
            x->location_id[n++] = enc_loc(&e, fresh[ns]);
        }
        for (uint32_t node = p->samples[s].node; node != TRIE_ROOT; node = p->trie.node[node].parent) {
            uint32_t f = p->trie.node[node].frame;

            if (!loc_of[f])
                loc_of[f] = enc_loc(&e, profile_str(p, p->frames[f].name));
            x->location_id[n++] = loc_of[f];
        }
        x->n_location_id = n;
        x->n_value = p->ntypes;
        x->value = xcalloc(p->ntypes, sizeof *x->value);
        for (uint32_t t = 0; t < p->ntypes; t++)
            x->value[t] = profile_value(p, s, t);
        smp[ns] = x;
    }
    pr.n_sample_type = p->ntypes;
    pr.sample_type = vtp;
    pr.n_sample = ns;
    pr.sample = smp;
    pr.n_location = pr.n_function = e.n;
    pr.location = e.locp;
    pr.function = e.fnp;
    pr.n_string_table = e.nstr;
    pr.string_table = e.str;
    pr.time_nanos = 1;
    *len = perftools__profiles__profile__get_packed_size(&pr);
    out = xmalloc(*len);
    perftools__profiles__profile__pack(&pr, out);
    for (size_t i = 0; i < ns; i++) {
        free(sm[i].location_id);
        free(sm[i].value);
    }
    free(sm), free(smp), free(vt), free(vtp), free(fresh), free(loc_of);
    free(e.fn), free(e.loc), free(e.line), free(e.fnp), free(e.locp), free(e.linep), free(e.str);
    *count = ns;
    return out;
}

static void bench_append(struct profile *p, double *rehash, double *append, double *full,
                         size_t *nstacks)
{
    size_t len;
    uint8_t *body = fetched_pprof(p, 2000, nstacks, &len);
    double t0;

    *rehash = append_body(p, "warm-up", (const uint8_t *)"main 1\n", 7);   /* the hash is back */
    *append = append_body(p, "fetch-1", body, len);
    t0 = now();
    trie_reindex(&p->trie);
    *full = now() - t0;
    free(body);
}

int main(int argc, char **argv)
{
    int w = argc > 3 ? atoi(argv[2]) : 200, h = argc > 3 ? atoi(argv[3]) : 60;
    size_t n = sizeof script / sizeof *script;
    struct load_options o = { .max_size = (size_t)4 << 30, .stock = APP_INIT_ARRAYS };
    double share_ms = 0;
    double t0, t_load, t_init, ms[sizeof script / sizeof *script], worst = 0, sum = 0;
    const char *worst_what = "";
    char err[SOURCE_ERR_MAX];
    struct profile p;
    struct canvas c;
    struct app a;

    if (argc < 2) {
        fprintf(stderr, "usage: bench-ui FILE [WIDTH HEIGHT]\n");
        return 1;
    }
    setlocale(LC_ALL, "C.UTF-8");
    profile_init(&p);
    t0 = now();
    if (source_load_path(&p, argv[1], &o, err)) {
        fprintf(stderr, "bench-ui: %s: %s\n", argv[1], err);
        return 2;
    }
    profile_finish(&p);
    t_load = now() - t0;
    t0 = now();
    canvas_init(&c, w, h, 1);
    app_init(&a, &p, p.default_type, NULL, argv[1], 1);
    app_set_view(&a, VIEW_FLAME);
    app_render(&a, &c, w, h);
    t_init = now() - t0;
    xbig_trim();                /* as the explorer does after its first frame */
    t0 = now();
    app_finish_work(&a);        /* what the UI does while the user reads */
    double t_idle = now() - t0;
    for (size_t i = 0; i < n; i++) {
        struct event ev = { .kind = EV_KEY, .key = script[i].key };

        t0 = now();
        app_event(&a, &ev);
        app_render(&a, &c, w, h);
        ms[i] = (now() - t0) * 1e3;
        if (app_busy(&a)) {     /* background work finishes between keys */
            double t1 = now();

            app_finish_work(&a);
            if ((now() - t1) * 1e3 > share_ms)
                share_ms = (now() - t1) * 1e3;
        }
        if (getenv("BENCH_UI_VERBOSE"))
            printf("  %-18s %8.2f ms\n", script[i].what, ms[i]);
        sum += ms[i];
        if (ms[i] > worst)
            worst = ms[i], worst_what = script[i].what;
    }
    /* A sample type change recomputes every value: reported apart. */
    t0 = now();
    a.type = (a.type + p.ntypes - 1) % p.ntypes;
    {
        struct event ev = { .kind = EV_KEY, .key = 't' }, enter = { .kind = EV_KEY, .key = K_ENTER },
                     up = { .kind = EV_KEY, .key = 'k' };
        app_event(&a, &ev);
        app_event(&a, &up);
        app_event(&a, &enter);
        app_render(&a, &c, w, h);
    }
    double t_type = now() - t0;
    /* A query change: a label filter over every sample, then every value
     * again (what a range change on the timeline costs too). */
    t0 = now();
    app_set_query(&a, 0, "{region=\"eu-west-1\"}");
    app_render(&a, &c, w, h);
    double t_query = now() - t0;
    /* A range change: side A from the first profile's start on (every
     * sample here), the same recompute a drag on the timeline asks. */
    t0 = now();
    a.side[0].sel.from = p.nsources ? p.sources[0].time_nanos : 0;
    app_set_query(&a, 0, a.side[0].query);
    app_render(&a, &c, w, h);
    double t_range = now() - t0;
    t0 = now();
    app_set_query(&a, 1, "{region!=\"eu-west-1\"}");
    a.view = VIEW_DIFF;
    app_render(&a, &c, w, h);
    double t_diff = now() - t0;
    double t_rehash, t_append, t_full;
    size_t nstacks;

    bench_append(&p, &t_rehash, &t_append, &t_full, &nstacks);
    qsort(ms, n, sizeof *ms, by_value);
    printf("ui: load %.2f s, first frame %.0f ms (%dx%d), then %.0f ms of idle-time indexing\n",
           t_load, t_init * 1e3, w, h, t_idle * 1e3);
    printf("ui: %zu keystrokes: median %.2f ms, p90 %.2f ms, worst %.2f ms (%s), mean %.2f ms\n",
           n, ms[n / 2], ms[n * 9 / 10], worst, worst_what, sum / (double)n);
    printf("ui: sample type switch (recompute every value) %.0f ms\n", t_type * 1e3);
    printf("ui: search share, computed between keys: at most %.0f ms after the key\n", share_ms);
    printf("ui: query change (filter, values, table, flamegraph) %.0f ms; range change %.0f ms; "
           "opening the diff of two queries %.0f ms\n", t_query * 1e3, t_range * 1e3, t_diff * 1e3);
    printf("ui: append a fetched %zu-stack profile %.1f ms (index %.1f ms of it; %u nodes); "
           "a full index of the same trie %.0f ms (the live data set keeps the hash; "
           "rebuilding it after a seal %.0f ms, once)\n", nstacks, t_append * 1e3, t_index * 1e3,
           p.trie.count, t_full * 1e3,
           t_rehash * 1e3);
    /* One line for bench/run.sh, which sets each beside its target. */
    printf("bench-ui: load_s=%.3f first_ms=%.1f median_ms=%.3f worst_ms=%.2f type_ms=%.1f "
           "query_ms=%.1f range_ms=%.1f diff_ms=%.1f\n", t_load, t_init * 1e3, ms[n / 2], worst,
           t_type * 1e3, t_query * 1e3, t_range * 1e3, t_diff * 1e3);
    app_free(&a);
    canvas_free(&c);
    profile_free(&p);
    return 0;
}
