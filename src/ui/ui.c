/* The loop: draw, wait for an event (a key, a data set's descriptor or
 * deadline, the loading line's clock), handle it, draw again. */
#include <poll.h>
#include <stdio.h>

#include "app.h"
#include "xalloc.h"
#include "term.h"

/* The explorer over a server (--url): the client, then the remote data set
 * on it; the picker first when no query was given. Returns 0, or -1 after
 * saying why on stderr (a URL the client refuses: main checked it). */
static int open_remote(struct app *a, const struct pyro_conn *conn,
                       const struct side_spec *spec)
{
    struct pyro_api api;
    struct remote_options o = { .from = conn->from, .until = conn->until,
                                .every_ns = conn->every_ns };
    char err[PYRO_ERR_MAX];

    if (pyro_client_new(conn, &api, err, sizeof err)) {
        fprintf(stderr, "ember: %s\n", err);
        app_free(a);
        return -1;
    }
    app_remote(a, api, &o, !spec || !spec[0].query || !*spec[0].query);
    a->title = api.name(api.ctx);       /* the server, without credentials */
    return 0;
}

int ui_run(struct profile *p, uint32_t type, const struct side_spec *spec, const char *title,
           int mono, enum view_id view, const char *group_by, const char *notice,
           const struct ds_test_spec *test, const struct live_options *live,
           const struct pyro_conn *conn)
{
    struct app a;
    struct canvas c;
    int w, h, r = R_REDRAW, sig, mouse_on = 1;

    if (!term_can_open())
        return -1;
    /* The first query runs before the screen switches, while the status
     * line of the load says what happens and q still cancels. */
    app_init(&a, p, type, spec, title, term_utf8());
    if (notice)
        snprintf(a.message, sizeof a.message, "%s", notice);
    if (group_by && tags_group_by(&a, group_by))
        snprintf(a.message, sizeof a.message, "no label '%s' in these profiles", group_by);
    app_set_view(&a, view);
    share_apply_zoom(&a);
    xbig_trim();                /* what the load stocked for app_init and it did not take */
    if (live && live->nurls) {
        struct load_options lo = { .max_size = live->fetch.max_size ? live->fetch.max_size :
                                   (size_t)1 << 30 };

        app_live(&a, live, &lo, NULL);
    }
    if (conn && open_remote(&a, conn, spec))
        return -2;
    if (term_open(mono)) {
        app_free(&a);
        return -1;
    }
    a.mono = term_depth() == THEME_MONO;
    term_size(&w, &h);
    canvas_init(&c, w, h, term_utf8());
    for (;;) {
        struct event ev;
        struct pollfd fds[8];
        int nfds;

        if (r & R_REDRAW) {
            term_size(&w, &h);
            app_render(&a, &c, w, h);
            term_draw(&c);
        }
        if (test) {             /* the first screen's numbers are in: later ones wait */
            app_test_source(&a, test->delay_ns, test->fail_every, NULL);
            test = NULL;
        }
        nfds = ds_fds(a.ds, fds, 8);
        /* Poll while background work remains; it runs in short slices so
         * a key is never kept waiting for long. While an answer is
         * pending, wake at its deadline or in 100 ms, for the loading
         * line's clock: a timer, not a busy loop. */
        ev = term_wait(app_busy(&a) ? 0 : app_wait_ms(&a, 100), fds, nfds);
        if (ev.kind == EV_NONE) {
            r = app_tick(&a) | app_idle(&a, 8.0);
            continue;
        }
        r = app_event(&a, &ev);
        share_flush(&a, &mouse_on);
        if (r & R_QUIT)
            break;
    }
    sig = term_signal();
    term_close();
    canvas_free(&c);
    app_free(&a);
    /* what a shell reports for a command a signal ended: 130 for Ctrl-C */
    return sig ? 128 + sig : 0;
}
