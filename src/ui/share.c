/* Sharing what is on screen (issue 12): y copies the selected function's
 * name, Y a command line that reopens this view, through the terminal's
 * clipboard (OSC 52: term_clipboard); M turns the mouse off and on, so
 * that the terminal's own selection works. The keys only fill a.clip and
 * a.mouse_off; share_flush, after each event, hands them to the terminal,
 * so the core stays pure (tests read a.clip). */
#include "granularity.h"
#include "app.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "source.h"
#include "term.h"
#include "text.h"
#include "xalloc.h"

/* What common terminals take through OSC 52: xterm's default and kitty's
 * cap sit near 100 kB of base64. */
#define CLIP_MAX 100000

/* Set by main before the explorer opens: what was loaded, as the command
 * line named it (files absolute, URLs without credentials), and --zoom. */
static char **sources;
static int nsources;
static char *zoom_arg;

static void forget_sources(void)
{
    for (int i = 0; i < nsources; i++)
        free(sources[i]);
    free(sources);
    sources = NULL;
    nsources = 0;
}

void share_set_sources(char *const *paths, int n)
{
    forget_sources();
    sources = xcalloc((size_t)n + 1, sizeof *sources);
    for (int i = 0; i < n; i++) {
        char *abs = strstr(paths[i], "://") || !strcmp(paths[i], "-") ? NULL :
                    realpath(paths[i], NULL);

        sources[i] = abs ? abs : xstrdup(paths[i]);
    }
    nsources = n;
}

void share_set_server(const char *url, const char *tenant)
{
    const char *words[] = { "--url", url, "--tenant-id", tenant };
    int n = tenant && *tenant ? 4 : 2;

    forget_sources();
    sources = xcalloc(5, sizeof *sources);
    for (int i = 0; i < n; i++)
        sources[i] = xstrdup(words[i]);
    nsources = n;
}

void share_set_zoom(const char *path)
{
    free(zoom_arg);
    zoom_arg = path ? xstrdup(path) : NULL;
}

static struct flame_pane *focused_flame(struct app *a)
{
    const struct view_class *v = view_classes[a->view];

    return v->flame ? v->flame(a, a->view_state[a->view]) : NULL;
}

/* Hands text (taken) to the loop for the clipboard, or refuses it when
 * the terminal would not take it; what names it on the status line. */
static int clip(struct app *a, char *text, size_t len, const char *what)
{
    size_t encoded = (len + 2) / 3 * 4;

    if (encoded > CLIP_MAX) {
        snprintf(a->message, sizeof a->message, "not copied: %s is %zu kB in base64, more than "
                 "terminals take through OSC 52 (about %d kB)", what, (encoded + 999) / 1000,
                 CLIP_MAX / 1000);
        free(text);
        return R_REDRAW;
    }
    free(a->clip);
    a->clip = text;
    a->clip_len = len;
    snprintf(a->clip_what, sizeof a->clip_what, "%s", what);
    snprintf(a->message, sizeof a->message, "copied %s", what);
    return R_REDRAW;
}

/* y: the function the status bar describes (the focused flamegraph's
 * node, else the table's row). */
int share_copy_name(struct app *a, void *pane)
{
    struct flame_pane *f = focused_flame(a);
    uint32_t frame = f && f->built ? f->tree.node[f->sel].frame : a->sel_frame;
    char what[120];
    size_t len, shown;
    const char *name;

    (void)pane;
    if (frame == TRIE_NO_FRAME || frame >= a->p->nframes) {
        snprintf(a->message, sizeof a->message, "no function selected: nothing to copy");
        return R_REDRAW;
    }
    name = app_frame_name(a, frame, &len);
    for (shown = len < 60 ? len : 60; shown < len && ((unsigned char)name[shown] & 0xc0) == 0x80;
         shown--)
        ;                       /* cut before a UTF-8 continuation byte */
    snprintf(what, sizeof what, "\"%.*s%s\"", (int)shown, name, shown < len ? "..." : "");
    char *text = xmalloc(len + 1);

    memcpy(text, name, len);
    text[len] = '\0';
    return clip(a, text, len, what);
}

/* s as one shell word: as it is when it holds only safe bytes, else in
 * single quotes (a quote inside as '\''). */
static void shell_word(struct sbuf *b, const char *s)
{
    size_t n = strlen(s);
    int plain = n > 0;

    for (size_t i = 0; i < n && plain; i++)
        plain = isalnum((unsigned char)s[i]) || strchr("_/.,:=+@%-", s[i]);
    sbuf_addc(b, ' ');
    if (plain) {
        sbuf_add(b, s, n);
        return;
    }
    sbuf_addc(b, '\'');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'')
            sbuf_add(b, "'\\''", 4);
        else
            sbuf_addc(b, s[i]);
    }
    sbuf_addc(b, '\'');
}

static void option(struct sbuf *b, const char *name, const char *value)
{
    sbuf_addc(b, ' ');
    sbuf_add(b, name, strlen(name));
    shell_word(b, value);
}

/* The word --view takes for view v (main.c's view_word: the first seven
 * by name, the others by their class's name in lower case). */
static void view_word(int v, char *buf, size_t n)
{
    static const char *names[] = { "flame", "table", "both", "sandwich", "tags", "compare",
                                   "diff" };
    size_t i = 0;

    if (v < (int)(sizeof names / sizeof *names)) {
        snprintf(buf, n, "%s", names[v]);
        return;
    }
    for (const char *c = view_classes[v]->name; *c && i + 1 < n; c++)
        buf[i++] = (char)tolower((unsigned char)*c);
    buf[i] = '\0';
}

/* An instant as RFC 3339 in UTC, nanoseconds kept when there are some. */
static void rfc3339(int64_t ns, char *buf, size_t n)
{
    time_t s = (time_t)(ns / 1000000000 - (ns % 1000000000 < 0));
    long frac = (long)(ns - (int64_t)s * 1000000000);
    struct tm tm;
    size_t at;

    gmtime_r(&s, &tm);
    at = strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
    if (frac)
        at += (size_t)snprintf(buf + at, n - at, ".%09ld", frac);
    snprintf(buf + at, n - at, "Z");
}

/* The zoomed frame's path from the root, each name as --folded writes a
 * frame ('\x3b' for ';', a backslash that would begin an escape as
 * '\x5c', control bytes as '\xNN'), ';' between them. */
static void zoom_path(struct app *a, const struct flame_pane *f, struct sbuf *b)
{
    uint32_t path[256], n = flame_pane_path(f, f->zoom, path, 256);
    char esc[8];

    for (uint32_t i = 0; i < n; i++) {
        size_t len;
        const char *s = path[i] == TRIE_NO_FRAME ? "" : app_frame_name(a, path[i], &len);

        if (path[i] == TRIE_NO_FRAME)
            len = 0;
        if (i)
            sbuf_addc(b, ';');
        for (size_t k = 0; k < len; k++) {
            unsigned char c = (unsigned char)s[k];

            if (c == ';' || c < 0x20 || c == 0x7f ||
                (c == '\\' && folded_escape_at(s + k, len - k) >= 0)) {
                snprintf(esc, sizeof esc, "\\x%02x", c);
                sbuf_add(b, esc, 4);
            } else {
                sbuf_addc(b, (char)c);
            }
        }
    }
    sbuf_addc(b, '\0');
    b->len--;
}

/* The sides' queries and their time range. */
static void selection(struct app *a, struct sbuf *b, int two)
{
    const struct side *sd = &a->side[0];
    int64_t from = sd->ready ? sd->shown_from : sd->sel.from;
    int64_t until = sd->ready ? sd->shown_until : sd->sel.until;
    char t[64];

    if (two) {
        sbuf_add(b, " --diff", 7);
        for (int s = 0; s < 2; s++) {
            const char *q = a->side[s].ready ? a->side[s].shown_query : a->side[s].query;

            shell_word(b, *q ? q : "{}");
        }
    } else {
        const char *q = sd->ready ? sd->shown_query : sd->query;

        if (*q && strcmp(q, "{}"))      /* every sample: no option */
            option(b, "--query", q);
    }
    if (from != INT64_MIN) {
        rfc3339(from, t, sizeof t);
        option(b, "--from", t);
    }
    if (until != INT64_MAX) {
        rfc3339(until, t, sizeof t);
        option(b, "--until", t);
    }
}

/* --focus RE ... in the order they apply (pprof's names, with a dash). */
static void filter_options(const struct app *a, struct sbuf *b)
{
    for (uint32_t i = 0; i < a->filters.n; i++) {
        char name[32];

        snprintf(name, sizeof name, "--%s", fset_kind_name(a->filters.e[i].kind));
        for (char *c = name; *c; c++)
            *c = *c == '_' ? '-' : *c;
        option(b, name, a->filters.e[i].text);
    }
}

void share_command_line(struct app *a, struct sbuf *b)
{
    const struct view_class *v = view_classes[a->view];
    uint32_t type = a->side[0].ready ? a->side[0].shown_type : a->type;
    struct flame_pane *f = focused_flame(a);
    struct sbuf tu = { 0 };
    char word[64];

    sbuf_add(b, "ember", 5);
    for (int i = 0; i < nsources; i++)
        shell_word(b, sources[i]);
    view_word(a->view, word, sizeof word);
    option(b, "--view", word);
    if (a->p->granularity != GRAN_FUNCTIONS)    /* r's; functions is the default */
        option(b, "--granularity", granularity_name(a->p->granularity));
    if (type < a->p->ntypes) {
        const char *tn = profile_str(a->p, a->p->types[type].type);
        const char *un = profile_str(a->p, a->p->types[type].unit);

        sbuf_add(&tu, tn, strlen(tn));
        sbuf_addc(&tu, '/');
        sbuf_add(&tu, un, strlen(un));
        sbuf_addc(&tu, '\0');
        option(b, "-t", tu.s);
        sbuf_free(&tu);
    }
    selection(a, b, v->two_sides);
    filter_options(a, b);
    if (a->view == VIEW_TAGS && *tags_label(a))
        option(b, "--group-by", tags_label(a));
    if (f && f->built && f->zoom) {
        struct sbuf z = { 0 };

        zoom_path(a, f, &z);
        option(b, "--zoom", z.s);
        sbuf_free(&z);
    }
    sbuf_addc(b, '\0');
    b->len--;
}

/* Y: a line that reopens this view from any directory. */
int share_copy_command(struct app *a, void *pane)
{
    struct sbuf b = { 0 };
    size_t len;

    (void)pane;
    share_command_line(a, &b);
    len = b.len;
    for (int i = 0; i < nsources; i++)
        if (!strcmp(sources[i], "-"))
            return clip(a, b.s, len, "the command line (it names standard input '-', which "
                        "cannot be read again: save it to a file)");
    return clip(a, b.s, len, "the command line");
}

/* M: the mouse off (the terminal selects text, as with a program that
 * never asked for the mouse) and on again. */
int share_mouse(struct app *a, void *pane)
{
    (void)pane;
    a->mouse_off = !a->mouse_off;
    snprintf(a->message, sizeof a->message, "%s", a->mouse_off ?
             "mouse off: the terminal's own selection works (M turns it on)" : "mouse on");
    return R_REDRAW;
}

/* The frame of each name of the --zoom path, decoded as --folded's
 * reader decodes a frame; n: how many there are. */
static uint32_t *zoom_frames(struct app *a, const char *path, uint32_t *n, char *bad, size_t nb)
{
    uint32_t *out = xmalloc((strlen(path) + 1) * sizeof *out);
    char *name = xmalloc(strlen(path) + 1);
    const char *s = path;

    *n = 0;
    for (;;) {
        size_t k = 0;
        int c;

        for (; *s && *s != ';'; s++) {
            if (*s == '\\' && (c = folded_escape_at(s, strlen(s))) >= 0) {
                name[k++] = (char)c;
                s += 3;
            } else {
                name[k++] = *s;
            }
        }
        uint32_t id = strtab_find(&a->p->strings, name, k);
        uint32_t fr = id == UINT32_MAX ? INTMAP_NONE : intmap_get(&a->p->frame_by_name, id);

        if (fr == INTMAP_NONE) {
            snprintf(bad, nb, "%.*s", (int)(k < 80 ? k : 80), name);
            break;
        }
        out[(*n)++] = fr;
        if (!*s++)
            break;
    }
    free(name);
    return out;
}

static uint32_t depth(const struct flame_pane *f, uint32_t n)
{
    uint32_t d = 0;

    for (; n && n != FTREE_NONE; n = f->tree.node[n].parent)
        d++;
    return d;
}

void share_apply_zoom(struct app *a)
{
    struct flame_pane *f = focused_flame(a);
    uint32_t n, *path, node;
    char bad[96] = "";

    if (!zoom_arg)
        return;
    if (!f || !f->built) {
        snprintf(a->message, sizeof a->message, "--zoom: no flamegraph to zoom in this view "
                 "(or before the first answer)");
        return;
    }
    path = zoom_frames(a, zoom_arg, &n, bad, sizeof bad);
    node = flame_pane_find(f, path, n);
    if (*bad)
        snprintf(a->message, sizeof a->message, "--zoom: no function '%s' in these profiles", bad);
    else if (depth(f, node) < n)
        snprintf(a->message, sizeof a->message, "--zoom: the path stops after %u of its %u "
                 "frames", depth(f, node), n);
    if (node)
        flame_pane_set_view(f, node, node);
    free(path);
}

void share_flush(struct app *a, int *mouse_on)
{
    char how[64], what[sizeof a->clip_what];

    if (a->clip) {
        int r = term_clipboard(a->clip, a->clip_len, how, sizeof how);

        snprintf(what, sizeof what, "%s", a->clip_what);
        snprintf(a->message, sizeof a->message, r ? "could not copy %s (%s)" :
                 "copied %s to the clipboard (%s)", what, how);
        free(a->clip);
        a->clip = NULL;
    }
    if (*mouse_on == a->mouse_off) {
        *mouse_on = !a->mouse_off;
        term_mouse(*mouse_on);
    }
}
