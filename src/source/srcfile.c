/* Finding and reading a source file as pprof's -list does (srcfile.h):
 * internal/report/source.go's openSourceFile and trimPath, in C. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "srcfile.h"
#include "text.h"
#include "xalloc.h"

static char *dup_n(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);

    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* The next element of a ':'-separated list at *s (Go's filepath.SplitList:
 * none at all in ""); NULL past the last. */
static char *next_elem(const char **s)
{
    const char *colon;
    char *e;

    if (!*s)
        return NULL;
    colon = strchr(*s, ':');
    e = dup_n(*s, colon ? (size_t)(colon - *s) : strlen(*s));
    *s = colon ? colon + 1 : NULL;
    return e;
}

static const char *list_start(const char *list)
{
    return list && *list ? list : NULL;
}

/* Go's filepath.Base: the last element, trailing slashes dropped. */
static char *base_of(const char *path)
{
    size_t n = strlen(path), i;

    if (!n)
        return dup_n(".", 1);
    while (n > 1 && path[n - 1] == '/')
        n--;
    if (n == 1 && path[0] == '/')
        return dup_n("/", 1);
    i = n;
    while (i && path[i - 1] != '/')
        i--;
    return dup_n(path + i, n - i);
}

/* path after prefix taken as ending in '/', or NULL when it does not
 * start with it. */
static const char *strip_prefix(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);

    if (strncmp(path, prefix, n))
        return NULL;
    if (n && prefix[n - 1] == '/')
        return path + n;
    return path[n] == '/' ? path + n + 1 : NULL;
}

char *srcfile_trim(const char *path, const char *trim, const char *search)
{
    const char *it = list_start(search);
    const char *fixed[] = { "/proc/self/cwd/./", "/proc/self/cwd/" };
    char *e;

    for (; !list_start(trim) && (e = next_elem(&it)); free(e)) {
        char *b = base_of(e), want[4096];
        const char *at;

        snprintf(want, sizeof want, "/%s/", b);
        free(b);
        if ((at = strstr(path, want))) {
            free(e);
            return xstrdup(at + strlen(want));
        }
    }
    it = list_start(trim);
    while ((e = next_elem(&it))) {
        const char *rest = strip_prefix(path, e);

        free(e);
        if (rest)
            return xstrdup(rest);
    }
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        if (strip_prefix(path, fixed[i]))
            return xstrdup(strip_prefix(path, fixed[i]));
    return xstrdup(path);
}

/* Go's path.Clean: one slash between elements, no ".", a ".." takes the
 * element before it away (none above the root), "." for nothing. */
char *srcfile_clean(const char *path)
{
    size_t n = strlen(path), w = 0, r = 0, dotdot = 0;
    int rooted = n && path[0] == '/';
    char *out = xmalloc(n + 2);

    if (rooted)
        out[w++] = '/', r = 1, dotdot = 1;
    while (r < n) {
        if (path[r] == '/') {
            r++;
        } else if (path[r] == '.' && (r + 1 == n || path[r + 1] == '/')) {
            r++;
        } else if (path[r] == '.' && path[r + 1] == '.' && (r + 2 == n || path[r + 2] == '/')) {
            r += 2;
            if (w > dotdot) {
                while (w > dotdot && out[w - 1] != '/')
                    w--;
                if (w > dotdot)
                    w--;
                else if (w && out[w - 1] == '/' && !rooted)
                    w--;
            } else if (!rooted) {
                if (w)
                    out[w++] = '/';
                out[w++] = '.', out[w++] = '.';
                dotdot = w;
            }
        } else {
            if ((rooted && w != 1) || (!rooted && w))
                out[w++] = '/';
            while (r < n && path[r] != '/')
                out[w++] = path[r++];
        }
    }
    if (!w)
        out[w++] = '.';
    out[w] = '\0';
    return out;
}

/* Go's filepath.Dir: everything before the last element, cleaned. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *head, *d;

    if (!slash)
        return dup_n(".", 1);
    head = dup_n(path, (size_t)(slash - path) + 1);
    d = srcfile_clean(head);
    free(head);
    return d;
}

static char *join(const char *dir, const char *path)
{
    size_t n = strlen(dir) + strlen(path) + 2;
    char *both = xmalloc(n), *j;

    snprintf(both, n, "%s%s%s", dir, *dir && *path ? "/" : "", path);
    j = srcfile_clean(both);
    free(both);
    return j;
}

/* Opens path for reading without blocking on a FIFO; -1 and errno when
 * it cannot. */
static int open_file(const char *path)
{
    return open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
}

/* Go's words for an errno: strerror's, lower case first. */
static void go_error(char *err, size_t n, const char *path, int e)
{
    char msg[128];

    snprintf(msg, sizeof msg, "%s", strerror(e));
    if (msg[0] >= 'A' && msg[0] <= 'Z' && !(msg[1] >= 'A' && msg[1] <= 'Z'))
        msg[0] = (char)(msg[0] - 'A' + 'a');
    snprintf(err, n, "open %s: %s", path, msg);
}

/* openSourceFile: the trimmed path when absolute, else under every search
 * directory and each of its parents. Returns a descriptor or -1 with err. */
static int find_file(const char *file, const char *search, const char *trim, char *err,
                     size_t errlen, char **found)
{
    char *path = srcfile_trim(file, trim, search), *e;
    const char *it = list_start(search);
    int fd;

    if (path[0] == '/') {
        if ((fd = open_file(path)) < 0) {
            go_error(err, errlen, path, errno);
            free(path);
            path = NULL;
        }
        *found = path;
        return fd;
    }
    while ((e = next_elem(&it))) {
        for (;;) {
            char *name = join(e, path), *parent;

            if ((fd = open_file(name)) >= 0) {
                free(e);
                free(path);
                *found = name;
                return fd;
            }
            free(name);
            parent = dir_of(e);
            if (!strcmp(parent, e)) {
                free(parent);
                break;
            }
            free(e);
            e = parent;
        }
        free(e);
    }
    snprintf(err, errlen, "could not find file %s on path %s", path, search ? search : "");
    free(path);
    *found = NULL;
    return -1;
}

/* Reads at most SRCFILE_MAX_BYTES of fd (one byte more tells whether the
 * file goes on). */
static int read_bytes(struct srcfile *s, int fd)
{
    size_t cap = 65536;

    s->data = xmalloc(cap);
    for (;;) {
        ssize_t r;

        if (s->len == cap) {
            if (cap > SRCFILE_MAX_BYTES)
                break;
            cap = cap * 2 > SRCFILE_MAX_BYTES + 1 ? SRCFILE_MAX_BYTES + 1 : cap * 2;
            s->data = xreallocarray(s->data, cap, 1);
        }
        r = read(fd, s->data + s->len, cap - s->len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (!r)
            break;
        s->len += (size_t)r;
    }
    if (s->len > SRCFILE_MAX_BYTES) {
        s->len = SRCFILE_MAX_BYTES;
        s->truncated = 1;
    }
    return 0;
}

/* Splits the bytes into lines as Go's bufio.ScanLines does (a "\r\n" ends
 * a line as "\n" does); a truncated file's last, partial line is dropped. */
static void split_lines(struct srcfile *s)
{
    size_t cap = 64, at = 0;

    s->start = xmalloc(cap * sizeof *s->start);
    while (at < s->len) {
        char *nl = memchr(s->data + at, '\n', s->len - at);

        if (!nl && s->truncated)
            break;
        if (s->nlines == cap)
            s->start = xreallocarray(s->start, cap *= 2, sizeof *s->start);
        s->start[s->nlines++] = (uint32_t)at;   /* at < SRCFILE_MAX_BYTES */
        at = nl ? (size_t)(nl - s->data) + 1 : s->len;
    }
}

int srcfile_read(struct srcfile *s, const char *file, const char *search, const char *trim,
                 char *err, size_t errlen)
{
    char cwd[4096], *found;
    struct stat st;
    int fd, r = 0;

    memset(s, 0, sizeof *s);
    if (!list_start(search))
        search = getcwd(cwd, sizeof cwd) ? cwd : ".";
    if ((fd = find_file(file, search, trim, err, errlen, &found)) < 0)
        return -1;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", found);
        r = -1;
    } else if (read_bytes(s, fd)) {
        snprintf(err, errlen, "%s: %s", found, strerror(errno));
        r = -1;
    } else if (memchr(s->data, '\0', s->len < SRCFILE_SNIFF ? s->len : SRCFILE_SNIFF)) {
        snprintf(err, errlen, "%s: a binary file", found);
        r = -1;
    }
    close(fd);
    free(found);
    if (r)
        srcfile_free(s);
    else
        split_lines(s);
    return r;
}

const char *srcfile_line(const struct srcfile *s, int64_t n, size_t *len)
{
    size_t from, to;
    const char *nl;

    if (n < 1 || (uint64_t)n > s->nlines)
        return NULL;
    from = s->start[n - 1];
    nl = memchr(s->data + from, '\n', s->len - from);
    to = nl ? (size_t)(nl - s->data) : s->len;
    if (to > from && s->data[to - 1] == '\r')
        to--;
    *len = to - from;
    return s->data + from;
}

void srcfile_free(struct srcfile *s)
{
    free(s->data);
    free(s->start);
    memset(s, 0, sizeof *s);
}

static char *paths_search, *paths_trim;

void srcfile_set_paths(const char *search, const char *trim)
{
    free(paths_search);
    free(paths_trim);
    paths_search = search ? xstrdup(search) : NULL;
    paths_trim = trim ? xstrdup(trim) : NULL;
}

void srcfile_paths(const char **search, const char **trim)
{
    *search = paths_search;
    *trim = paths_trim;
}
