/* The explorer core (src/ui/app.c): the event handler and the renderer
 * over the shared state (ui_shared.h) and the table of views (view.h).
 * Pure: it draws into a canvas and takes events, so tests and benchmarks
 * drive it without a terminal. No curses here. Only the core, ui.c, main.c
 * and the tests include this. */
#ifndef EMBER_APP_H
#define EMBER_APP_H

#include "flame_pane.h"
#include "pyro.h"
#include "table_pane.h"
#include "ui_shared.h"
#include "view.h"
#include "view_tags.h"
#include "widget_timeline.h"

/* What app_init allocates per node of the call tree, in bytes a node of
 * each array (load_options.stock, so that a large load maps them ahead):
 * the children index (trie_index: starts, children) and the first side's
 * values and totals. */
#define APP_INIT_ARRAYS { 4, 4, 8, 8 }

/* Takes the loaded data set (not owned); `type` is the sample type shown,
 * spec[0] and spec[1] what the two sides select (spec may be NULL: all). */
void app_init(struct app *a, struct profile *p, uint32_t type, const struct side_spec *spec,
              const char *title, int utf8);
void app_free(struct app *a);
/* Puts the live data set (ds_live_new over a.p: o's URLs, lo's limits,
 * feed NULL: the fetcher) in place of the local one; the views follow
 * each profile it adds. */
void app_live(struct app *a, const struct live_options *o, const struct load_options *lo,
              const struct live_feed *feed);
/* Puts the remote data set (ds_remote_new over a.p, which starts empty:
 * api, the server; o, its range and --every) in place of the local one.
 * Nothing shows until the server's types come; then the picker of services
 * and types when pick (no query was given), else the sides' queries. */
void app_remote(struct app *a, struct pyro_api api, const struct remote_options *o, int pick);
/* Opens view v (an index of view_classes). */
void app_set_view(struct app *a, int v);

/* Makes the model's frames granularity g (issue 13): every source is read
 * again at g, the views keep their state (type, queries, range, filters,
 * the selected function by name). Returns 0, or -1 with the reason on the
 * status bar (a source that cannot be read again; the model unchanged).
 * src/ui/granularity.c. */
int app_set_granularity(struct app *a, enum granularity g);
/* What app_set_granularity reads again: fn loads every source the explorer
 * was given (main.c's: the paths, standard input's kept bytes, the demo)
 * into p at g, after what is there; returns 0, or -1 with the reason in err
 * (SOURCE_ERR_MAX). Not set (tests): the sources cannot be read again. */
typedef int (*app_reload_fn)(struct profile *p, enum granularity g, void *ctx, char *err);
void app_set_reload(app_reload_fn fn, void *ctx);
/* The key (r, "resolution"): the next granularity, read on the next
 * tick (gran_step) so that the screen first says "reading at ...". */
int gran_cycle(struct app *a, void *pane);
int gran_pending(void);
int gran_step(struct app *a);
/* The first frame of granularity g of function string fn (at files, or
 * when fn is 0: of file), or UINT32_MAX: where the selection goes. */
uint32_t gran_frame_for(const struct profile *p, enum granularity g, uint32_t fn,
                        uint32_t file);

/* Handles one event; returns R_* flags. */
int app_event(struct app *a, const struct event *ev);

/* For the loop and tests: hands over the answers that came (the clock
 * moved); returns R_REDRAW when the screen changed, or when the loading
 * line's elapsed time is due for a redraw. */
int app_tick(struct app *a);
/* How long the loop may wait for the data set: -1 when nothing is
 * pending, else ds_poll_timeout(cap_ms). */
int app_wait_ms(struct app *a, int cap_ms);

/* Draws everything into c (resized to w x h when needed). */
void app_render(struct app *a, struct canvas *c, int w, int h);

/* Sharing (src/ui/share.c). What was loaded, as the command line named
 * it (URLs without credentials), and --zoom's path (NULL: none): set by
 * main for Y's line and the first screen. */
void share_set_sources(char *const *paths, int n);
/* Or a Pyroscope server: --url URL (without credentials), --tenant-id. */
void share_set_server(const char *url, const char *tenant);
void share_set_zoom(const char *path);
/* Filters (src/ui/filters.c): f focus on the selected function, x hide
 * it, X ignore it, u undo the last filter, F clear them; filters_add
 * adds one of main's --focus ... (enum fset_kind kind): 0, or -1 with err. */
int filters_focus(struct app *a, void *pane);
int filters_hide(struct app *a, void *pane);
int filters_ignore(struct app *a, void *pane);
int filters_undo(struct app *a, void *pane);
int filters_clear(struct app *a, void *pane);
/* main's --focus ... (borrowed until the explorer ends): app_init starts
 * with a copy (filters_start). */
void filters_set_start(const struct fset *s);
void filters_start(struct app *a);
/* The set as pprof writes it, "focus=^main\.fib$ hide=x" ("" for none). */
void filters_text(const struct app *a, char *buf, size_t size);

/* The keys: y the selected function's name, Y the command line that
 * reopens the view (both into a.clip), M the mouse off and on. */
int share_copy_name(struct app *a, void *pane);
int share_copy_command(struct app *a, void *pane);
int share_mouse(struct app *a, void *pane);
/* Y's line: ember, the sources (absolute, shell-quoted), --view, -t,
 * --query or --diff per side, --from/--until (RFC 3339, UTC), --group-by
 * in the tag explorer, --focus ... (the filters), --zoom (the focused
 * flamegraph's). */
struct sbuf;
void share_command_line(struct app *a, struct sbuf *b);
/* Zooms the focused flamegraph on --zoom's path (once the view is open). */
void share_apply_zoom(struct app *a);
/* For the loop, after each event: a.clip to the terminal's clipboard (the
 * status line says how), the mouse on or off as a.mouse_off says
 * (*mouse_on: what the terminal has). */
void share_flush(struct app *a, int *mouse_on);

/* Runs the UI on the terminal until the user quits, showing notice (may be
 * NULL) in the status bar first; test (may be NULL: EMBER_TEST_SOURCE)
 * puts a slow or failing test source in front of the data set once the
 * first screen's numbers are in; live (may be NULL or have no URLs): the
 * endpoints to keep fetching from, with --every, --keep, --keep-steps and
 * --record (live.h), which make the data set live (app_live); conn (NULL
 * without --url): the Pyroscope server to explore (pyro.h; p is then
 * empty, type UINT32_MAX, spec the query or --diff's two, each query's
 * type part possibly a type ID), whose data every view shows (app_remote,
 * over conn's --from, --until and --every). Returns -1 when there is no
 * terminal, -2 when the client refused conn (said on stderr), else an exit
 * status: 0, or 128 + the signal that ended it. */
struct live_options;
int ui_run(struct profile *p, uint32_t type, const struct side_spec *spec, const char *title,
           int mono, enum view_id view, const char *group_by, const char *notice,
           const struct ds_test_spec *test, const struct live_options *live,
           const struct pyro_conn *conn);

#endif
