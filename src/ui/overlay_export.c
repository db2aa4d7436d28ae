/* The e overlay: export what the focused pane shows. A menu of formats
 * (the one the view suits first), then the file name, editable, that says
 * what the file holds; Enter writes it atomically (export_write), asking
 * first when the file exists; Esc goes back or closes. The status line
 * says what was written (path, size, format) or why not. Its state is the
 * step, the menu's cursor and the name's editor. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "export.h"
#include "keymap.h"
#include "lineedit.h"
#include "overlay_export.h"
#include "text.h"
#include "theme.h"
#include "view.h"
#include "widget_box.h"
#include "xalloc.h"

enum step { STEP_MENU, STEP_NAME, STEP_CONFIRM };

struct export_menu {
    enum step step;
    int cursor;                 /* index into order[] */
    enum export_format order[EXPORT_COUNT];
    struct lineedit edit;       /* the file name */
    /* The writer running, if any: its process, the pipe its outcome comes
     * through, what it writes. */
    pid_t pid;
    int fd;
    char writing[LINEEDIT_MAX];
    enum export_format writing_fmt;
    struct timespec began;
};

static const char *const what[EXPORT_COUNT] = {
    [EXPORT_PPROF] = "pprof .pb.gz: go tool pprof, every sample type and label",
    [EXPORT_FOLDED] = "folded stacks: flamegraph.pl, inferno",
    [EXPORT_JSON] = "Pyroscope JSON (flamebearer): Pyroscope's UI",
    [EXPORT_SPEEDSCOPE] = "speedscope: speedscope.app in a browser",
    [EXPORT_SVG] = "SVG flamegraph: any browser, click to zoom",
    [EXPORT_TEXT] = "text: the table, every row",
};

/* The formats in the order the view suits them: a table's text first, the
 * diff's red and green SVG first, else pprof (what the others read). */
static void set_order(struct app *a, struct export_menu *m)
{
    static const enum export_format table[] = { EXPORT_TEXT, EXPORT_PPROF, EXPORT_FOLDED,
                                                EXPORT_JSON, EXPORT_SPEEDSCOPE, EXPORT_SVG };
    static const enum export_format diff[] = { EXPORT_SVG, EXPORT_JSON, EXPORT_FOLDED,
                                               EXPORT_SPEEDSCOPE, EXPORT_TEXT, EXPORT_PPROF };
    static const enum export_format flame[] = { EXPORT_PPROF, EXPORT_SVG, EXPORT_JSON,
                                                EXPORT_SPEEDSCOPE, EXPORT_FOLDED, EXPORT_TEXT };
    int tabular = a->view == VIEW_TABLE || a->view == VIEW_TAGS ||
                  (a->view == VIEW_BOTH && a->focus == 0) || a->view >= VIEW_DIFF + 1;

    memcpy(m->order, a->view == VIEW_DIFF ? diff : tabular ? table : flame, sizeof m->order);
}

/* The side the export takes: the focused one (the diff: both). */
static int export_side(const struct app *a)
{
    return app_focused_side(a);
}

/* The zoom of the focused flamegraph as a trie node: a tree of the whole
 * call tree (not a sandwich's) has one trie node per frame node. */
static uint32_t zoom_node(struct app *a)
{
    const struct view_class *vc = view_classes[a->view];
    struct flame_pane *f = vc->flame ? vc->flame(a, a->view_state[a->view]) : NULL;
    const struct fnode *n;

    if (!f && a->view == VIEW_DIFF && vc->flame) {
        /* the diff's table focused: its flamegraph's zoom is still on screen */
        int focus = a->focus;

        a->focus = 1;
        f = vc->flame(a, a->view_state[a->view]);
        a->focus = focus;
    }

    if (!f || !f->built || !f->zoom || f->zoom >= f->tree.count ||
        f->tree.node[0].frame != TRIE_NO_FRAME)
        return TRIE_ROOT;
    n = &f->tree.node[f->zoom];
    return n->nmembers == 1 ? f->tree.member[n->members] : TRIE_ROOT;
}

/* The samples side sd shows: its query's, or, over a server, those of
 * the answer it shows (loaded as a source of its own: file=NAME); under
 * the filters, where they put them (the stacks a pprof file holds). */
static void side_filter(struct app *a, const struct side *sd, struct filter *f)
{
    struct selector sel;
    struct sbuf q = { 0 };
    char err[SELECTOR_ERR_MAX];

    if (!sd->answer) {
        filter_build(f, &sd->sel, a->p);
        if (a->filters.n && a->filters.count == a->p->trie.count)  /* the map is current */
            fset_apply(&a->filters, f);
        return;
    }
    sbuf_add(&q, "{file=", 6);
    selector_quote(&q, profile_str(a->p, sd->answer));
    sbuf_addc(&q, '}');
    if (selector_parse(q.s, &sel, err))         /* quoted: never */
        selector_parse("{}", &sel, err);
    filter_build(f, &sel, a->p);
    if (a->filters.n && a->filters.count == a->p->trie.count)
        fset_apply(&a->filters, f);
    selector_free(&sel);
    sbuf_free(&q);
}

/* The selection on screen into s (filters made into f); 0, or -1 with
 * a.message saying why there is nothing to write yet. */
static int selection(struct app *a, struct export_sel *s, struct filter *f)
{
    int diff = a->view == VIEW_DIFF, side = export_side(a);

    memset(s, 0, sizeof *s);
    for (int i = 0; i < 1 + diff; i++) {
        const struct side *sd = &a->side[diff ? i : side];

        if (!sd->ready || !sd->total || sd->ntotal < a->p->trie.count) {
            snprintf(a->message, sizeof a->message, "nothing to export yet: %s's numbers "
                     "have not come", i || side ? "B" : "A");
            for (int j = 0; j < i; j++)
                filter_free(&f[j]);
            return -1;
        }
        side_filter(a, sd, &f[i]);
        s->filter[i] = &f[i];
        s->total[i] = sd->total;
    }
    s->p = a->p;
    s->type = a->type;
    s->from = a->side[side].sel.from;
    s->until = a->side[side].sel.until;
    s->zoom = zoom_node(a);
    s->flat = &a->side[diff ? 0 : side].flat;
    s->flat2 = diff ? &a->side[1].flat : NULL;
    s->title = a->title;
    s->service = a->title;
    s->rgb = theme_hue_rgb;
    return 0;
}

static void free_selection(struct app *a, struct filter *f)
{
    for (int i = 0; i < 1 + (a->view == VIEW_DIFF); i++)
        filter_free(&f[i]);
}

/* The name for the format under the cursor. */
static void default_name(struct app *a, struct export_menu *m)
{
    struct export_sel s;
    struct filter f[2];
    char name[LINEEDIT_MAX];

    if (selection(a, &s, f))
        return;
    export_default_name(&s, &a->side[export_side(a)].sel, m->order[m->cursor], name,
                        sizeof name);
    lineedit_set(&m->edit, name);
    free_selection(a, f);
}

static void say_size(uint64_t n, char *buf, size_t size)
{
    if (n < 10240)
        snprintf(buf, size, "%llu bytes", (unsigned long long)n);
    else if (n < 10ull << 20)
        snprintf(buf, size, "%.1f KiB", (double)n / 1024);
    else
        snprintf(buf, size, "%.1f MiB", (double)n / (1 << 20));
}

/* The child shares the explorer's terminal but none of its handling: its
 * signals back to the default (the explorer's handlers restore the
 * terminal, ncurses' SIGTSTP redraws a stale screen), the terminal's own
 * (Ctrl-C, Ctrl-\, Ctrl-Z) ignored so that the file is finished whatever
 * the explorer does, SIGXFSZ ignored so that a file over ulimit -f fails
 * with EFBIG and its temporary file goes; fatal() restores nothing and
 * leaves with _exit; no stdio on the terminal. */
static void child_detach(void)
{
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);

    for (int sig = 1; sig < NSIG; sig++)
        signal(sig, SIG_DFL);   /* EINVAL for SIGKILL, SIGSTOP and gaps */
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    signal(SIGTSTP, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);
    fatal_set_cleanup(NULL);
    fatal_set_exit(_exit);
    if (null >= 0) {
        for (int fd = 0; fd <= 2; fd++)
            dup2(null, fd);
        close(null);
    }
}

/* In the child: the file written, its outcome ("0 SIZE" or "1 REASON")
 * into the pipe; it leaves with _exit (no terminal restored, nothing of
 * the parent's flushed). */
static void child_write(struct app *a, struct export_menu *m, int force, int fd)
{
    const struct view_class *vc = view_classes[a->view];
    struct sbuf text = { 0 };
    struct export_sel s;
    struct filter f[2];
    char err[256], line[300];
    uint64_t bytes = 0;
    int n;

    child_detach();
    if (selection(a, &s, f)) {
        n = snprintf(line, sizeof line, "1 %s", a->message);
    } else {
        if (vc->text) {         /* a view with a table of its own: its text is that */
            vc->text(a, a->view_state[a->view], &text);
            s.text = text.s;
        }
        if (export_write(m->edit.buf, m->order[m->cursor], &s, force, &bytes, err, sizeof err))
            n = snprintf(line, sizeof line, "1 %s", err);
        else
            n = snprintf(line, sizeof line, "0 %llu", (unsigned long long)bytes);
    }
    if (write(fd, line, (size_t)n) < 0)
        _exit(2);
    _exit(0);
}

/* Starts the writer (force: over an existing file): a child process with
 * the model as it is now, so that keys are served while a large file is
 * written; export_reap says how it went. */
static int write_file(struct app *a, struct export_menu *m, int force)
{
    int pipefd[2];

    a->overlay = OV_NONE;
    if (m->pid > 0) {
        snprintf(a->message, sizeof a->message, "an export is being written: %.200s",
                 m->writing);
        return R_REDRAW;
    }
    if (pipe2(pipefd, O_CLOEXEC)) {
        snprintf(a->message, sizeof a->message, "not written: %s", strerror(errno));
        return R_REDRAW;
    }
    fflush(NULL);
    m->pid = fork();
    if (m->pid == 0) {
        close(pipefd[0]);
        child_write(a, m, force, pipefd[1]);
    }
    close(pipefd[1]);
    if (m->pid < 0) {
        close(pipefd[0]);
        snprintf(a->message, sizeof a->message, "not written: %s", strerror(errno));
        m->pid = 0;
        return R_REDRAW;
    }
    m->fd = pipefd[0];
    snprintf(m->writing, sizeof m->writing, "%s", m->edit.buf);
    m->writing_fmt = m->order[m->cursor];
    clock_gettime(CLOCK_MONOTONIC, &m->began);
    snprintf(a->message, sizeof a->message, "writing %.200s ...", m->writing);
    return R_REDRAW;
}

int export_running(const void *st)
{
    return st && ((const struct export_menu *)st)->pid > 0;
}

/* The outcome line of the writer into the status line. */
static void say_outcome(struct app *a, struct export_menu *m, const char *line, int status)
{
    struct sbuf shown = { 0 };
    char size[32];

    text_escape(&shown, m->writing, strlen(m->writing), TEXT_ESCAPE_DISPLAY);
    sbuf_addc(&shown, '\0');
    if (line[0] == '0' && line[1] == ' ') {
        say_size(strtoull(line + 2, NULL, 10), size, sizeof size);
        snprintf(a->message, sizeof a->message, "wrote %.180s (%s, %s)", shown.s, size,
                 export_format_word(m->writing_fmt));
    } else if (line[0] == '1' && line[1] == ' ') {
        snprintf(a->message, sizeof a->message, "not written: %.120s: %.120s", shown.s,
                 line + 2);
    } else {
        snprintf(a->message, sizeof a->message, "not written: %.120s: the writer ended (%s %d)",
                 shown.s, WIFSIGNALED(status) ? "signal" : "status",
                 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    }
    sbuf_free(&shown);
}

int export_reap(struct app *a, void *st)
{
    struct export_menu *m = st;
    char line[300] = "";
    int status = 0;
    ssize_t n;

    if (!export_running(st) || waitpid(m->pid, &status, WNOHANG) != m->pid)
        return R_NONE;
    n = read(m->fd, line, sizeof line - 1);
    line[n > 0 ? n : 0] = '\0';
    close(m->fd);
    m->pid = 0;
    say_outcome(a, m, line, status);
    return R_REDRAW;
}

/* ---- keys ---- */

static int menu_down(struct app *a, void *st)
{
    struct export_menu *m = st;

    (void)a;
    m->cursor = (m->cursor + 1) % EXPORT_COUNT;
    return R_REDRAW;
}

static int menu_up(struct app *a, void *st)
{
    struct export_menu *m = st;

    (void)a;
    m->cursor = (m->cursor + EXPORT_COUNT - 1) % EXPORT_COUNT;
    return R_REDRAW;
}

static int menu_pick(struct app *a, void *st)
{
    struct export_menu *m = st;

    m->step = STEP_NAME;
    default_name(a, m);
    if (a->message[0])          /* no numbers yet */
        a->overlay = OV_NONE;
    return R_REDRAW;
}

static int close_menu(struct app *a, void *st)
{
    (void)st;
    a->overlay = OV_NONE;
    snprintf(a->message, sizeof a->message, "export cancelled");
    return R_REDRAW;
}

static int name_accept(struct app *a, void *st)
{
    struct export_menu *m = st;
    struct stat sb;

    if (!m->edit.len)
        return R_REDRAW;
    if (lstat(m->edit.buf, &sb) == 0) {
        m->step = STEP_CONFIRM;
        return R_REDRAW;
    }
    return write_file(a, m, 0);
}

static int name_back(struct app *a, void *st)
{
    (void)a;
    ((struct export_menu *)st)->step = STEP_MENU;
    return R_REDRAW;
}

static int confirm_yes(struct app *a, void *st)
{
    return write_file(a, st, 1);
}

static int confirm_no(struct app *a, void *st)
{
    (void)a;
    ((struct export_menu *)st)->step = STEP_NAME;
    return R_REDRAW;
}

static const struct binding menu_bindings[] = {
    { 'j', K_DOWN, "j Down", "next format", NULL, menu_down },
    { 'k', K_UP, "k Up", "previous format", NULL, menu_up },
    { K_ENTER, 0, "Enter", "take the format: its file name comes to edit", NULL, menu_pick },
    { K_ESC, 'e', "Esc e", "close without writing", NULL, close_menu },
};

static const struct binding name_bindings[] = {
    { K_ENTER, 0, "Enter", "write the file (an existing one: asks first)", NULL, name_accept },
    { K_ESC, 0, "Esc", "back to the formats", NULL, name_back },
};

static const struct binding confirm_bindings[] = {
    { 'y', 0, "y", "the file exists: replace it", NULL, confirm_yes },
    { 'n', K_ESC, "n Esc", "keep it: back to the name", NULL, confirm_no },
};

const struct keymap keymap_export_menu = { "Export (e): the formats", menu_bindings,
                                           sizeof menu_bindings / sizeof *menu_bindings };
const struct keymap keymap_export_name = { "Export: the file name (and line editing)",
                                           name_bindings,
                                           sizeof name_bindings / sizeof *name_bindings };
const struct keymap keymap_export_confirm = { "Export: the file exists", confirm_bindings,
                                              sizeof confirm_bindings /
                                                  sizeof *confirm_bindings };

static int key(struct app *a, void *st, int key)
{
    struct export_menu *m = st;
    int r;

    switch (m->step) {
    case STEP_MENU:
        r = keymap_dispatch(&keymap_export_menu, a, m, key);
        return r == R_UNHANDLED ? R_NONE : r;
    case STEP_CONFIRM:
        r = keymap_dispatch(&keymap_export_confirm, a, m, key);
        return r == R_UNHANDLED ? R_NONE : r;
    case STEP_NAME:
        break;
    }
    if ((r = keymap_dispatch(&keymap_export_name, a, m, key)) != R_UNHANDLED)
        return r;
    if ((r = keymap_dispatch(&keymap_lineedit, NULL, &m->edit, key)) != R_UNHANDLED)
        return r;
    if (key < 0x20 || key >= K_SPECIAL || key == 0x7f)
        return R_NONE;
    lineedit_insert_cp(&m->edit, (uint32_t)key);
    return R_REDRAW;
}

/* ---- drawing ---- */

static void draw_menu(struct app *a, struct export_menu *m, struct canvas *c, struct rect r)
{
    char line[160];

    for (int i = 0; i < EXPORT_COUNT && i < r.h - 2; i++) {
        enum role role = i == m->cursor ? ROLE_SELECTED : ROLE_NORMAL;

        snprintf(line, sizeof line, "%-10s %s", export_format_word(m->order[i]),
                 what[m->order[i]]);
        canvas_fill(c, r.x + 1, r.y + 1 + i, r.w - 2, ' ', role, 0);
        canvas_print(c, r.x + 2, r.y + 1 + i, r.w - 3, line, role);
    }
    (void)a;
}

/* The name, its end in view, and what Enter does. */
static void draw_name(struct app *a, struct export_menu *m, struct canvas *c, struct rect r)
{
    struct lineedit *e = &m->edit;
    int room = r.w - 4, x;
    size_t start = 0;
    char line[160];

    snprintf(line, sizeof line, "%s into the file (in the folder ember started in):",
             export_format_word(m->order[m->cursor]));
    canvas_print(c, r.x + 2, r.y + 1, r.w - 3, line, ROLE_NORMAL);
    while (start < e->cur && text_width(e->buf + start, e->cur - start, c->utf8) > room - 1)
        start += text_next_glyph(e->buf + start, e->len - start, c->utf8).bytes;
    canvas_text(c, r.x + 2, r.y + 3, room, e->buf + start, e->len - start, ROLE_NORMAL, 0);
    x = r.x + 2 + text_width(e->buf + start, e->cur - start, c->utf8);
    if (e->cur < e->len)
        canvas_at(c, x, r.y + 3)->role = ROLE_SELECTED;
    else
        canvas_fill(c, x, r.y + 3, 1, a->utf8 ? 0x2588 : '_', ROLE_HINT_KEY, 0);
    if (m->step == STEP_CONFIRM)
        canvas_print(c, r.x + 2, r.y + 5, r.w - 3, "The file exists: replace it? y replaces, "
                     "n keeps it", ROLE_HINT_KEY);
    else
        canvas_print(c, r.x + 2, r.y + 5, r.w - 3, "Enter writes, Esc goes back", ROLE_HINT);
}

static void draw(struct app *a, void *st, struct canvas *c, struct rect screen)
{
    struct export_menu *m = st;
    struct rect r = widget_box_rect(a, 72, m->step == STEP_MENU ? EXPORT_COUNT + 2 : 7);

    (void)screen;
    widget_box_draw(a, c, r, m->step == STEP_MENU ? " Export (Enter picks, Esc closes) " :
                                                    " Export: file name ");
    if (m->step == STEP_MENU)
        draw_menu(a, m, c, r);
    else
        draw_name(a, m, c, r);
}

static void *init(struct app *a)
{
    (void)a;
    return xcalloc(1, sizeof(struct export_menu));
}

/* A writer still running finishes on its own (its file is whole or not
 * there); only the pipe goes. */
static void menu_free(struct app *a, void *st)
{
    struct export_menu *m = st;

    (void)a;
    if (m->pid > 0)
        close(m->fd);
    free(st);
}

/* It opens on the formats, the view's first. */
static void enter(struct app *a, void *st)
{
    struct export_menu *m = st;

    m->step = STEP_MENU;
    m->cursor = 0;
    set_order(a, m);
}

const struct view_class overlay_export = {
    .name = "Export",
    .help = { &keymap_export_menu, &keymap_export_name, &keymap_export_confirm },
    .init = init, .free = menu_free, .enter = enter, .draw = draw, .key = key,
};
