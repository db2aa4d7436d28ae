/* Replays a scripted key sequence on the UI drawing into a virtual screen
 * (no terminal) and reports how long each keystroke takes to handle and
 * redraw. Usage: bench-ui FILE [WIDTH HEIGHT] */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "source.h"

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

int main(int argc, char **argv)
{
    int w = argc > 3 ? atoi(argv[2]) : 200, h = argc > 3 ? atoi(argv[3]) : 60;
    size_t n = sizeof script / sizeof *script;
    struct load_options o = { .max_size = (size_t)4 << 30 };
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
    t0 = now();
    app_set_query(&a, 1, "{region!=\"eu-west-1\"}");
    a.view = VIEW_DIFF;
    app_render(&a, &c, w, h);
    double t_diff = now() - t0;
    qsort(ms, n, sizeof *ms, by_value);
    printf("ui: load %.2f s, first frame %.0f ms (%dx%d), then %.0f ms of idle-time indexing\n",
           t_load, t_init * 1e3, w, h, t_idle * 1e3);
    printf("ui: %zu keystrokes: median %.2f ms, p90 %.2f ms, worst %.2f ms (%s), mean %.2f ms\n",
           n, ms[n / 2], ms[n * 9 / 10], worst, worst_what, sum / (double)n);
    printf("ui: sample type switch (recompute every value) %.0f ms\n", t_type * 1e3);
    printf("ui: search share, computed between keys: at most %.0f ms after the key\n", share_ms);
    printf("ui: query change (filter, values, table, flamegraph) %.0f ms; "
           "opening the diff of two queries %.0f ms\n", t_query * 1e3, t_diff * 1e3);
    app_free(&a);
    canvas_free(&c);
    profile_free(&p);
    return 0;
}
