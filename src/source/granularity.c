/* Frames at pprof's granularities. pprof keys a graph node by the parts of
 * a location line that its granularity keeps (driver's aggregate zeroes the
 * others) and prints it as NameComponents joins them: an address as %016x,
 * the function, then file:line[:column], or the file, or the mapping as
 * [base], or <unknown>. ember keys a frame by that printed name, so two
 * nodes pprof keeps apart only by a part it does not print (a start line
 * at files granularity, two mappings with one base name) are one frame
 * here. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "granularity.h"
#include "text.h"
#include "xalloc.h"

static const char *const names[GRAN_COUNT] = {
    "functions", "filefunctions", "files", "lines", "addresses",
};

const char *granularity_name(enum granularity g)
{
    return (unsigned)g < GRAN_COUNT ? names[g] : "functions";
}

int granularity_parse(const char *s, enum granularity *g)
{
    for (int i = 0; i < GRAN_COUNT; i++)
        if (!strcmp(s, names[i])) {
            *g = (enum granularity)i;
            return 0;
        }
    return -1;
}

/* Go's filepath.Clean (lexical): one slash between elements, no "."
 * elements, ".." removes the element before it (at the root it is dropped,
 * in a relative path it stays), no trailing slash; nothing left is ".". */
size_t granularity_clean_path(const char *path, size_t len, char *out)
{
    int rooted = len && path[0] == '/';
    size_t w = 0, r = 0, dotdot = 0;

    if (rooted) {
        out[w++] = '/';
        r = dotdot = 1;
    }
    while (r < len) {
        if (path[r] == '/') {
            r++;
        } else if (path[r] == '.' && (r + 1 == len || path[r + 1] == '/')) {
            r++;
        } else if (path[r] == '.' && r + 1 < len && path[r + 1] == '.' &&
                   (r + 2 == len || path[r + 2] == '/')) {
            r += 2;
            if (w > dotdot) {
                w--;
                while (w > dotdot && out[w] != '/')
                    w--;
            } else if (!rooted) {
                if (w > 0)
                    out[w++] = '/';
                out[w++] = '.';
                out[w++] = '.';
                dotdot = w;
            }
        } else {
            if ((rooted && w != 1) || (!rooted && w != 0))
                out[w++] = '/';
            while (r < len && path[r] != '/')
                out[w++] = path[r++];
        }
    }
    if (!w)
        out[w++] = '.';
    out[w] = 0;
    return w;
}

static uint32_t clean_file(struct profile *p, uint32_t file)
{
    const char *s = profile_str(p, file);
    size_t len = strlen(s), n;
    char small[512], *out = len + 2 <= sizeof small ? small : xmalloc(len + 2);
    uint32_t id;

    if (!len)
        return 0;
    n = granularity_clean_path(s, len, out);
    id = n == len && !memcmp(out, s, len) ? file : profile_intern(p, out, n);
    if (out != small)
        free(out);
    return id;
}

static void add_str(struct sbuf *b, struct profile *p, uint32_t id)
{
    const char *s = profile_str(p, id);

    sbuf_add(b, s, strlen(s));
}

static void add_sep(struct sbuf *b)
{
    if (b->len)
        sbuf_addc(b, ' ');
}

/* NameComponents' last part: file:line[:col], the file, nothing (the
 * function named it), [base of the mapping], or <unknown>. */
static void add_place(struct sbuf *b, struct profile *p, const struct frame_parts *f,
                      uint32_t func, uint32_t file, int64_t line, int64_t column)
{
    char num[48];

    if (line) {
        add_sep(b);
        add_str(b, p, file);
        snprintf(num, sizeof num, column ? ":%" PRId64 ":%" PRId64 : ":%" PRId64, line, column);
        sbuf_add(b, num, strlen(num));
    } else if (file) {
        add_sep(b);
        add_str(b, p, file);
    } else if (func) {
        /* named by the function already */
    } else if (f->object && *profile_str(p, f->object)) {
        const char *path = profile_str(p, f->object), *base = strrchr(path, '/');

        base = base ? base + 1 : path;
        add_sep(b);
        sbuf_addc(b, '[');
        sbuf_add(b, base, strlen(base));
        sbuf_addc(b, ']');
    } else {
        add_sep(b);
        sbuf_add(b, "<unknown>", 9);
    }
}

uint32_t granularity_frame(struct profile *p, enum granularity g, const struct frame_parts *f)
{
    int keep_func = g != GRAN_FILES, keep_file = g != GRAN_FUNCTIONS;
    int keep_line = g == GRAN_LINES || g == GRAN_ADDRESSES, keep_addr = g == GRAN_ADDRESSES;
    uint32_t func = f->has_func && keep_func && *profile_str(p, f->func) ? f->func : 0;
    uint32_t file = f->has_func && keep_file ? clean_file(p, f->file) : 0;
    int64_t line = f->has_func && keep_line ? f->line : 0;
    int64_t column = keep_addr ? f->column : 0;    /* pprof keeps columns only unaggregated */
    uint64_t addr = keep_addr ? f->addr : 0;
    struct sbuf b = { 0 };
    struct frame fr;
    uint32_t id;
    char hex[20];

    if (addr) {
        snprintf(hex, sizeof hex, "%016" PRIx64, addr);
        sbuf_add(&b, hex, 16);
    }
    if (func) {
        add_sep(&b);
        add_str(&b, p, func);
    }
    add_place(&b, p, f, func, file, line, line ? column : 0);
    fr = (struct frame){
        .name = profile_intern(p, b.s, b.len), .file = file ? file : f->has_func ? f->file : 0,
        .line = keep_line ? f->line : f->start_line, .func = func, .object = f->object,
        .addr = addr, .start_line = f->has_func ? f->start_line : 0,
    };
    sbuf_free(&b);
    id = profile_frame_of(p, &fr);
    return id;
}
