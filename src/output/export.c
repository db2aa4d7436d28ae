/* The exporters' common part: formats and their extensions, the default
 * file name, the atomic write, the zoom, the walk of the call tree and the
 * escaping of names for JSON and XML. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "export.h"
#include "sat.h"
#include "text.h"
#include "xalloc.h"

static const struct {
    const char *word, *ext;
    int (*write)(FILE *, const struct export_sel *, char *, size_t);
} formats[EXPORT_COUNT] = {
    [EXPORT_PPROF] = { "pprof", ".pb.gz", export_pprof },
    [EXPORT_FOLDED] = { "folded", ".folded", export_folded },
    [EXPORT_JSON] = { "json", ".json", export_json },
    [EXPORT_SPEEDSCOPE] = { "speedscope", ".speedscope.json", export_speedscope },
    [EXPORT_SVG] = { "svg", ".svg", export_svg },
    [EXPORT_TEXT] = { "text", ".txt", export_text },
};

const char *export_format_word(enum export_format f)
{
    return formats[f].word;
}

const char *export_format_ext(enum export_format f)
{
    return formats[f].ext;
}

int export_format_parse(const char *word)
{
    for (int f = 0; f < EXPORT_COUNT; f++)
        if (!strcmp(word, formats[f].word))
            return f;
    return -1;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);

    return n > m && !strcmp(s + n - m, tail);
}

int export_format_of_path(const char *path)
{
    /* .txt is folded stacks (flamegraph.pl's own extension); the table
     * views' text is asked for by name */
    static const struct { const char *ext; int f; } by_ext[] = {
        { ".pb.gz", EXPORT_PPROF }, { ".folded", EXPORT_FOLDED }, { ".txt", EXPORT_FOLDED },
        { ".speedscope.json", EXPORT_SPEEDSCOPE }, { ".json", EXPORT_JSON },
        { ".svg", EXPORT_SVG },
    };

    for (size_t i = 0; i < sizeof by_ext / sizeof *by_ext; i++)
        if (ends_with(path, by_ext[i].ext))
            return by_ext[i].f;
    return -1;
}

/* ---- the default name ---- */

/* s's bytes as safe characters into b: [A-Za-z0-9.-] as they are, any
 * other run as one '_', at most max bytes, no leading '.' or '-'. */
static void add_safe(struct sbuf *b, const char *s, size_t max)
{
    size_t start = b->len;

    for (; *s && b->len - start < max; s++) {
        unsigned char c = (unsigned char)*s;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 ((c == '.' || c == '-') && b->len > start);

        if (ok)
            sbuf_addc(b, (char)c);
        else if (b->len > start && b->s[b->len - 1] != '_')
            sbuf_addc(b, '_');
    }
    while (b->len > start && b->s[b->len - 1] == '_')
        b->len--;
}

static void add_part(struct sbuf *b, const char *s)
{
    size_t at = b->len;

    if (at)
        sbuf_addc(b, '-');
    add_safe(b, s, 40);
    if (b->len == at + (at ? 1 : 0))
        b->len = at;            /* nothing safe in it: no empty part */
}

/* The earliest time of a profile the side keeps, or 0. */
static int64_t first_time(const struct export_sel *s)
{
    int64_t t = INT64_MAX;

    for (uint32_t i = 0; i < s->p->nsources; i++) {
        const struct source *src = &s->p->sources[i];

        if (src->time_nanos && src->time_nanos < t &&
            (!s->filter[0] || !s->filter[0]->source_ok || s->filter[0]->source_ok[i]))
            t = src->time_nanos;
    }
    return t == INT64_MAX ? 0 : t;
}

void export_default_name(const struct export_sel *s, const struct selector *q,
                         enum export_format f, char *out, size_t n)
{
    struct sbuf b = { 0 };
    int64_t t = s->from != INT64_MIN ? s->from : first_time(s);
    char when[32] = "";

    if (s->service && *s->service) {
        char *copy = xstrdup(s->service), *base = basename(copy);
        char *dot = strchr(base, '.');

        if (dot && dot != base)
            *dot = '\0';        /* cpu.pb.gz -> cpu */
        add_part(&b, base);
        free(copy);
    }
    add_part(&b, profile_str(s->p, s->p->types[s->type].type));
    for (size_t i = 0; q && i < q->n; i++)
        if (q->m[i].op == MATCH_EQ)
            add_part(&b, q->m[i].value);
    if (t > 0) {
        time_t sec = (time_t)(t / 1000000000LL);
        struct tm tm;

        gmtime_r(&sec, &tm);
        strftime(when, sizeof when, "%Y-%m-%dT%H%M", &tm);
        add_part(&b, when);
    }
    if (!b.len)
        add_part(&b, "profile");
    snprintf(out, n, "%.*s%s", (int)b.len, b.s, formats[f].ext);
    sbuf_free(&b);
}

/* ---- writing atomically ---- */

static void sync_dir(const char *path)
{
    char *copy = xstrdup(path);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(copy);
}

/* The temporary file's path: a hidden name in path's folder. */
static int temp_path(const char *path, char *tmp, size_t n)
{
    char *copy = xstrdup(path);
    int r = snprintf(tmp, n, "%s/.ember-export-XXXXXX", dirname(copy));

    free(copy);
    return r < 0 || (size_t)r >= n ? -1 : 0;
}

/* The finished temporary file under its name: link() never replaces an
 * existing file; a file system without hard links gets a rename that
 * never replaces one either; force replaces. */
static int place(const char *tmp, const char *path, int force)
{
    if (force)
        return rename(tmp, path);
    if (!link(tmp, path))
        return 0;
    if (errno == EEXIST || errno == ENOENT || errno == ENOSPC || errno == EROFS ||
        errno == EACCES)
        return -1;
    return renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE);
}

/* The temporary file being written, for the signal handler below: a
 * signal that ends ember mid-write removes it (async-signal-safe: unlink,
 * sigaction, raise), then ends ember as the signal would have. */
static const int temp_signals[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction temp_saved[sizeof temp_signals / sizeof *temp_signals];
static char temp_now[4096];
static volatile sig_atomic_t temp_set;

static void on_temp_signal(int sig)
{
    if (temp_set)
        unlink(temp_now);
    for (size_t i = 0; i < sizeof temp_signals / sizeof *temp_signals; i++)
        if (temp_signals[i] == sig)
            sigaction(sig, &temp_saved[i], NULL);
    raise(sig);                 /* blocked here: the old action runs on return */
}

/* Catches temp_signals while a temporary file exists (not one ignored:
 * the explorer's writer ignores SIGINT), or puts the old actions back. */
static void guard_temp(int on)
{
    for (size_t i = 0; i < sizeof temp_signals / sizeof *temp_signals; i++) {
        struct sigaction sa;

        if (!on) {
            sigaction(temp_signals[i], &temp_saved[i], NULL);
            continue;
        }
        sigaction(temp_signals[i], NULL, &temp_saved[i]);
        if (temp_saved[i].sa_handler == SIG_IGN)
            continue;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_temp_signal;
        sigaction(temp_signals[i], &sa, NULL);
    }
}

/* A new file from the pattern's XXXXXX, with mode 0666 so that the umask
 * applies as to any file a program creates (mkostemp's is 0600). */
static int create_temp(const char *pattern, char *tmp)
{
    size_t n = strlen(pattern);
    sigset_t block, old;
    int fd = -1;

    sigemptyset(&block);
    for (size_t i = 0; i < sizeof temp_signals / sizeof *temp_signals; i++)
        sigaddset(&block, temp_signals[i]);
    /* the name is known to the handler before the file exists */
    sigprocmask(SIG_BLOCK, &block, &old);
    for (int tries = 0; fd < 0 && tries < 100; tries++) {
        static const char set[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        unsigned char r[6];

        if (getentropy(r, sizeof r))
            break;
        strcpy(tmp, pattern);
        for (size_t i = 0; i < 6; i++)
            tmp[n - 6 + i] = set[r[i] % (sizeof set - 1)];
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd >= 0) {
        snprintf(temp_now, sizeof temp_now, "%s", tmp);
        temp_set = 1;
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return fd;
}

static void forget_temp(void)
{
    temp_set = 0;
    guard_temp(0);
}

static int write_temp(const char *pattern, char *tmp, enum export_format f,
                      const struct export_sel *s, uint64_t *size, char *err, size_t nerr)
{
    int fd;
    FILE *out = NULL;
    struct stat st;

    guard_temp(1);
    if ((fd = create_temp(pattern, tmp)) < 0 || !(out = fdopen(fd, "w"))) {
        snprintf(err, nerr, "cannot write into its folder: %s", strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        forget_temp();
        return -1;
    }
    int r = formats[f].write(out, s, err, nerr);

    if (!r && (fflush(out) || ferror(out) || fsync(fd) || fstat(fd, &st))) {
        snprintf(err, nerr, "cannot write: %s", strerror(errno));
        r = -1;
    }
    if (fclose(out) && !r) {
        snprintf(err, nerr, "cannot write: %s", strerror(errno));
        r = -1;
    }
    if (r) {
        unlink(tmp);
        forget_temp();
    } else {
        *size = (uint64_t)st.st_size;
    }
    return r;
}

int export_write(const char *path, enum export_format f, const struct export_sel *s, int force,
                 uint64_t *size, char *err, size_t nerr)
{
    char pattern[4096], tmp[4096];
    struct stat st;
    uint64_t got = 0;

    if (s->p->base && (f == EXPORT_JSON || f == EXPORT_SPEEDSCOPE || f == EXPORT_SVG)) {
        /* their flamegraphs have no negative widths */
        snprintf(err, nerr, "%s holds no negative values (a base subtracted): export pprof, "
                 "folded or text", export_format_word(f));
        return -1;
    }
    if (!force && lstat(path, &st) == 0) {
        snprintf(err, nerr, "exists (--force replaces it)");
        return -1;
    }
    if (temp_path(path, pattern, sizeof pattern)) {
        snprintf(err, nerr, "the name is too long");
        return -1;
    }
    if (write_temp(pattern, tmp, f, s, &got, err, nerr))
        return -1;
    if (place(tmp, path, force)) {
        snprintf(err, nerr, "%s", errno == EEXIST ? "exists (--force replaces it)" :
                 strerror(errno));
        unlink(tmp);
        forget_temp();
        return -1;
    }
    unlink(tmp);                /* the link's other name; gone after a rename */
    forget_temp();
    sync_dir(path);
    if (size)
        *size = got;
    return 0;
}

/* ---- the zoom and the walk ---- */

/* A node's weighted self (times the scale) split into its floor and the
 * remainder, for the rounding per function below. */
struct part {
    uint32_t frame, node;
    int64_t rem;
};

static int by_frame_rem(const void *a, const void *b)
{
    const struct part *x = a, *y = b;

    if (x->frame != y->frame)
        return x->frame < y->frame ? -1 : 1;
    return (x->rem < y->rem) - (x->rem > y->rem);
}

static int64_t floor_div(int64_t v, int64_t d)
{
    int64_t q = v / d;

    return q - (v % d < 0);
}

/* An averaged type (snapshots: weights per profile) rounds each node's
 * total on its own, so that a parent's total is not its children's sum
 * (a self of -1, children wider than their parent). Here each node's self
 * is rounded so that a function's selves add up to its self rounded once
 * (as the table, --top --raw, shows it: largest remainders first), and the
 * totals are the sums of the selves: a tree that adds up. NULL when the
 * type is a plain sum (the side's totals are exact). */
static int64_t *consistent_totals(const struct export_sel *s, int side)
{
    const struct profile *p = s->p;
    const struct trie *t = &p->trie;
    struct query_weights w;
    int64_t *out = NULL, *fself, d;
    struct part *part;
    size_t n = 0;

    query_weights(p, s->type, s->filter[side], NULL, &w);
    if (!w.w || (d = w.scale) <= 1) {
        query_weights_free(&w);
        return NULL;
    }
    out = xbig_realloc(NULL, 0, (size_t)t->count * sizeof *out);
    for (size_t i = 0; i < p->nsamples; i++)
        if (filter_keeps(s->filter[side], &p->samples[i])) {
            uint32_t n = filter_node(s->filter[side], p->samples[i].node);

            out[n] = sat_add(out[n], query_weighted(&w, profile_value(p, i, s->type),
                                                   p->samples[i].source));
        }
    fself = xcalloc((size_t)p->nframes + 1, sizeof *fself);
    part = xmalloc(((size_t)t->count + 1) * sizeof *part);
    for (uint32_t v = 0; v < t->count; v++) {
        if (!out[v])
            continue;
        fself[t->node[v].frame] = sat_add(fself[t->node[v].frame], out[v]);
        part[n++] = (struct part){ t->node[v].frame, v, out[v] - floor_div(out[v], d) * d };
        out[v] = floor_div(out[v], d);
    }
    query_unweight(&w, fself, p->nframes);
    for (size_t i = 0; i < n; i++)
        fself[part[i].frame] -= out[part[i].node];   /* what the floors left over */
    qsort(part, n, sizeof *part, by_frame_rem);
    for (size_t i = 0; i < n; i++)
        if (fself[part[i].frame] > 0 && part[i].rem > 0) {
            out[part[i].node]++;
            fself[part[i].frame]--;
        }
    trie_accumulate(t, out, NULL);
    free(part);
    free(fself);
    query_weights_free(&w);
    return out;
}

const int64_t *export_totals(const struct export_sel *s, int side, int *owned)
{
    const struct trie *t = &s->p->trie;
    int64_t *fixed = consistent_totals(s, side);
    const int64_t *in = fixed ? fixed : s->total[side];
    uint8_t *inside;
    int64_t *out;

    *owned = fixed != NULL;
    if (s->zoom == TRIE_ROOT || s->zoom >= t->count)
        return in;
    *owned = 1;
    out = xbig_realloc(NULL, 0, (size_t)t->count * sizeof *out);
    inside = xcalloc(t->count, 1);
    inside[s->zoom] = 1;
    /* a parent's id is below its child's: one forward pass finds the subtree */
    for (uint32_t n = s->zoom; n < t->count; n++) {
        if (n != s->zoom)
            inside[n] = inside[t->node[n].parent];
        if (inside[n])
            out[n] = in[n];
    }
    for (uint32_t n = s->zoom; n != TRIE_ROOT;) {
        n = t->node[n].parent;
        out[n] = in[s->zoom];
    }
    free(inside);
    export_totals_free(s, fixed, fixed != NULL);
    return out;
}

void export_totals_free(const struct export_sel *s, const int64_t *t, int owned)
{
    if (owned)
        xbig_free((void *)t, (size_t)s->p->trie.count * sizeof *t);
}

struct step {
    uint32_t node, depth;
};

static const struct profile *walk_profile;

/* Siblings by name, descending: the stack pops them ascending. */
static int by_name_desc(const void *a, const void *b)
{
    const struct profile *p = walk_profile;
    uint32_t x = ((const struct step *)a)->node, y = ((const struct step *)b)->node;

    int c = query_name_cmp(p, p->frames[p->trie.node[y].frame].name,
                           p->frames[p->trie.node[x].frame].name);

    return c ? c : (y > x) - (y < x);   /* one name, two frames: by node, as SVG lays them */
}

/* With a base (negative values) a node of total 0 may hold stacks of
 * values that cancel: walked too. */
static int wide(const int64_t *t, uint32_t n, int64_t min)
{
    return t && (t[n] ? t[n] >= min || -t[n] >= min : walk_profile->base != NULL);
}

void export_walk(const struct profile *p, const int64_t *a, const int64_t *b, int64_t min,
                 export_visit_fn fn, void *ctx)
{
    const struct trie *t = &p->trie;
    struct step *stack = xmalloc(((size_t)t->count + 1) * sizeof *stack);
    uint32_t *path = xmalloc(((size_t)t->count + 1) * sizeof *path);
    size_t top = 0;

    walk_profile = p;
    stack[top++] = (struct step){ TRIE_ROOT, 0 };
    while (top) {
        struct step w = stack[--top];
        const uint32_t *kids;
        uint32_t nkids = trie_children(t, w.node, &kids);
        size_t first = top;

        if (w.node != TRIE_ROOT) {
            path[w.depth - 1] = t->node[w.node].frame;
            fn(ctx, w.node, w.depth, path);
        }
        for (uint32_t i = 0; i < nkids; i++)
            if (wide(a, kids[i], min) || wide(b, kids[i], min))
                stack[top++] = (struct step){ kids[i], w.depth + 1 };
        qsort(stack + first, top - first, sizeof *stack, by_name_desc);
    }
    free(stack);
    free(path);
}

/* ---- escaping ---- */

/* The next character of s: its length, *cp (U+FFFD for a byte that
 * begins no valid UTF-8 sequence, which is then 1 byte long). */
static size_t next_char(const char *s, size_t len, uint32_t *cp)
{
    size_t k = text_utf8_decode(s, len, cp);

    if (!k) {
        *cp = 0xFFFD;
        return 1;
    }
    return k;
}

void export_json_string(FILE *out, const char *s, size_t len)
{
    putc('"', out);
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp;

        if (c == '"' || c == '\\') {
            putc('\\', out);
            putc(c, out);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            fprintf(out, "\\u%04x", c);
            i++;
        } else if (c < 0x80) {
            putc(c, out);
            i++;
        } else {
            size_t k = next_char(s + i, len - i, &cp);

            if (cp == 0xFFFD && k == 1)
                fputs("\\ufffd", out);
            else
                fwrite(s + i, 1, k, out);
            i += k;
        }
    }
    putc('"', out);
}

void export_xml_text(FILE *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp;
        size_t k;

        switch (c) {
        case '&': fputs("&amp;", out); i++; continue;
        case '<': fputs("&lt;", out); i++; continue;
        case '>': fputs("&gt;", out); i++; continue;
        case '"': fputs("&quot;", out); i++; continue;
        case '\'': fputs("&apos;", out); i++; continue;
        }
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7f)
                fputs("\xef\xbf\xbd", out);     /* XML 1.0 has no control characters */
            else
                putc(c, out);
            i++;
            continue;
        }
        k = next_char(s + i, len - i, &cp);
        /* U+FFFE, U+FFFF and C1 controls are not XML characters either */
        if ((cp == 0xFFFD && k == 1) || cp == 0xFFFE || cp == 0xFFFF ||
            (cp >= 0x80 && cp < 0xa0))
            fputs("\xef\xbf\xbd", out);
        else
            fwrite(s + i, 1, k, out);
        i += k;
    }
}
