/* --folded: one "root;...;leaf<TAB>value" line per stack. A line is
 * written frame by frame, never built whole (a long name at every depth of
 * a deep stack is name length x depth bytes), and the whole output is
 * measured first, so that a small file cannot make ember write without
 * end: past the limit nothing is written. */
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "source.h"
#include "text.h"
#include "xalloc.h"

/* Where the bytes go: f through a buffer, or (f NULL) only counted. */
struct out {
    FILE *f;
    enum text_escape_mode mode;
    uint64_t bytes;
    struct sbuf esc;            /* one chunk of a name, escaped */
    size_t n;
    char buf[1 << 16];
};

static void flush(struct out *o)
{
    if (o->f && o->n)
        fwrite(o->buf, 1, o->n, o->f);
    o->n = 0;
}

static void put(struct out *o, const char *s, size_t n)
{
    o->bytes += n;
    if (!o->f)
        return;
    if (o->n + n > sizeof o->buf)
        flush(o);
    if (n > sizeof o->buf)
        fwrite(s, 1, n, o->f);
    else {
        memcpy(o->buf + o->n, s, n);
        o->n += n;
    }
}

static int continuation(char c)
{
    return ((unsigned char)c & 0xc0) == 0x80;
}

/* A run of bytes text_escape may change (no printable ASCII among them),
 * escaped a few KB at a time. A chunk ends before a byte that no UTF-8
 * character can straddle: one that is no continuation byte, or one after
 * three continuation bytes (no character starts among them). */
static void put_escaped_run(struct out *o, const char *s, size_t len)
{
    enum { CHUNK = 4096 };

    while (len) {
        size_t cut = len;

        if (len > CHUNK) {
            cut = CHUNK;
            for (int k = 0; k < 3 && continuation(s[cut]); k++)
                cut--;
            if (continuation(s[cut]))
                cut = CHUNK;
        }
        o->esc.len = 0;
        text_escape(&o->esc, s, cut, o->mode);
        put(o, o->esc.s, o->esc.len);
        s += cut;
        len -= cut;
    }
}

static int plain(char c)
{
    return c >= 0x20 && c < 0x7f;
}

/* s as text_escape writes it: printable ASCII as it is (an ASCII byte is
 * always a character of its own, so runs are cut there), the rest through
 * text_escape. */
static void put_escaped(struct out *o, const char *s, size_t len)
{
    for (size_t i = 0, j; i < len; i = j) {
        for (j = i; j < len && plain(s[j]); j++)
            ;
        put(o, s + i, j - i);
        for (i = j; j < len && !plain(s[j]); j++)
            ;
        put_escaped_run(o, s + i, j - i);
    }
}

/* One frame's name. The folded format has no escapes of its own, so the
 * few bytes that would read back as something else are written as
 * folded_escape_at decodes them: ';' (a separator), '#' starting a line (a
 * comment), the trailing spaces of a leaf (trimmed before the count) and a
 * backslash that would begin an escape; the rest as text_escape has it. */
static void put_name(struct out *o, const char *s, size_t len, int first, int last)
{
    size_t body = len, seg = 0;

    while (last && body && s[body - 1] == ' ')
        body--;
    if (first && body && s[0] == '#') {
        put(o, "\\x23", 4);
        seg = 1;
    }
    for (size_t i = seg; i < body; i++) {
        const char *esc = s[i] == ';' ? "\\x3b" :
                          s[i] == '\\' && folded_escape_at(s + i, len - i) >= 0 ? "\\x5c" : NULL;

        if (esc) {
            put_escaped(o, s + seg, i - seg);
            put(o, esc, 4);
            seg = i + 1;
        }
    }
    put_escaped(o, s + seg, body - seg);
    for (size_t i = body; i < len; i++)
        put(o, "\\x20", 4);
}

static void put_value(struct out *o, int64_t value)
{
    char num[32];
    int n = snprintf(num, sizeof num, "\t%lld\n", (long long)value);

    put(o, num, (size_t)n);
}

/* ---- measuring ------------------------------------------------------ */

static const char *frame_name(const struct profile *p, uint32_t frame, size_t *len)
{
    uint32_t name = p->frames[frame].name;

    *len = strtab_len(&p->strings, name);
    return profile_str(p, name);
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* A frame's bytes in the middle of a line, and what it adds last (3 more
 * per trailing space), measured once per frame: both read the whole name. */
struct frame_size {
    uint64_t bytes, spaces;
};

/* The frame's size (from memo, else measured into it); in *hash what it
 * adds first ('#' is 3 bytes more). */
static const struct frame_size *frame_size(struct out *o, const struct profile *p,
                                           struct frame_size *memo, uint32_t frame,
                                           uint64_t *hash)
{
    size_t len, t = 0;
    const char *s = frame_name(p, frame, &len);
    struct frame_size *m = &memo[frame];

    *hash = len && s[0] == '#' ? 3 : 0;
    if (m->bytes == UINT64_MAX) {
        while (t < len && s[len - 1 - t] == ' ')
            t++;
        o->bytes = 0;
        put_name(o, s, len, 0, 0);
        m->bytes = o->bytes;
        m->spaces = 3 * (uint64_t)t;
    }
    return m;
}

struct walk {
    uint32_t node, depth;
};

/* Every line's length, in a walk of the nodes the writer visits (those
 * whose total and every ancestor's is not zero): a node's prefix (its
 * path's names and separators) is its parent's plus its own frame, and
 * the parent is the last node popped one level up. */
uint64_t output_folded_size(const struct profile *p, const int64_t *total,
                            enum text_escape_mode mode)
{
    const struct trie *t = &p->trie;
    struct out *o = xcalloc(1, sizeof *o);
    struct frame_size *memo = xmalloc(((size_t)p->nframes + 1) * sizeof *memo);
    uint64_t *prefix = xmalloc(((size_t)t->count + 1) * sizeof *prefix), sum = 0;
    struct walk *stack = xmalloc(((size_t)t->count + 1) * sizeof *stack);
    size_t top = 0;

    o->mode = mode;
    memset(memo, 0xff, ((size_t)p->nframes + 1) * sizeof *memo);
    prefix[0] = 0;
    stack[top++] = (struct walk){ TRIE_ROOT, 0 };
    while (top) {
        struct walk w = stack[--top];
        const uint32_t *kids;
        uint32_t nkids = trie_children(t, w.node, &kids);

        if (w.node != TRIE_ROOT) {
            uint64_t hash;
            const struct frame_size *own = frame_size(o, p, memo, t->node[w.node].frame, &hash);
            int64_t self = trie_self(t, total, w.node);
            char num[32];

            prefix[w.depth] = sat_add(prefix[w.depth - 1], w.depth == 1 ? own->bytes + hash :
                                      own->bytes + 1);
            if (self)
                sum = sat_add(sum, sat_add(prefix[w.depth], own->spaces + (uint64_t)snprintf(
                    num, sizeof num, "\t%lld\n", (long long)self)));
        }
        for (uint32_t i = 0; i < nkids; i++)
            if (total[kids[i]] || p->base)     /* a base: a zero total may hide values */
                stack[top++] = (struct walk){ kids[i], w.depth + 1 };
    }
    sbuf_free(&o->esc);
    free(o);
    free(memo);
    free(prefix);
    free(stack);
    return sum;
}

/* ---- writing -------------------------------------------------------- */

static const struct profile *sort_profile;

/* Sorts siblings by name, descending: the stack pops them ascending. */
static int by_name_desc(const void *a, const void *b)
{
    const struct profile *p = sort_profile;
    uint32_t x = ((const struct walk *)a)->node, y = ((const struct walk *)b)->node;

    return query_name_cmp(p, p->frames[p->trie.node[y].frame].name,
                          p->frames[p->trie.node[x].frame].name);
}

static void write_stack(struct out *o, const struct profile *p, const uint32_t *path,
                        uint32_t depth, int64_t value)
{
    for (uint32_t i = 0; i < depth; i++) {
        size_t len;
        const char *s = frame_name(p, path[i], &len);

        if (i)
            put(o, ";", 1);
        put_name(o, s, len, i == 0, i + 1 == depth);
    }
    put_value(o, value);
}

static void write_all(struct out *o, const struct profile *p, const int64_t *total)
{
    const struct trie *t = &p->trie;
    struct walk *stack = xmalloc(((size_t)t->count + 1) * sizeof *stack);
    uint32_t *path = xmalloc(((size_t)t->count + 1) * sizeof *path);
    size_t top = 0;

    sort_profile = p;
    stack[top++] = (struct walk){ TRIE_ROOT, 0 };
    while (top) {
        struct walk w = stack[--top];
        const uint32_t *kids;
        uint32_t nkids = trie_children(t, w.node, &kids);
        size_t first = top;

        if (w.node != TRIE_ROOT) {
            int64_t self = trie_self(t, total, w.node);

            path[w.depth - 1] = t->node[w.node].frame;
            if (self)
                write_stack(o, p, path, w.depth, self);
        }
        for (uint32_t i = 0; i < nkids; i++)
            if (total[kids[i]] || p->base)     /* a base: a zero total may hide values */
                stack[top++] = (struct walk){ kids[i], w.depth + 1 };
        qsort(stack + first, top - first, sizeof *stack, by_name_desc);
    }
    flush(o);
    free(stack);
    free(path);
}

/* In MiB from 1 MiB on, rounded up (need) or down (the limit). */
static void say_size(char *out, size_t size, uint64_t bytes, int up)
{
    if (bytes >= 1 << 20)
        snprintf(out, size, "%llu MiB", (unsigned long long)(bytes / (1 << 20) +
                                                             (up && bytes % (1 << 20))));
    else
        snprintf(out, size, "%llu bytes", (unsigned long long)bytes);
}

int output_folded(FILE *f, const struct profile *p, const int64_t *total, uint64_t limit,
                  char *err, size_t errlen)
{
    enum text_escape_mode mode = text_machine_mode(f);
    uint64_t need = output_folded_size(p, total, mode);
    struct out *o;

    if (p->data_bytes > limit / FOLDED_BYTES_PER_BYTE)
        limit = p->data_bytes > UINT64_MAX / FOLDED_BYTES_PER_BYTE ? UINT64_MAX :
                p->data_bytes * FOLDED_BYTES_PER_BYTE;
    if (need > limit) {
        char a[32], b[32];

        say_size(a, sizeof a, need, 1);
        say_size(b, sizeof b, limit, 0);
        snprintf(err, errlen, "--folded would write %s, more than the limit of %s (the "
                 "larger of --max-size and %d bytes per byte of profile data; --max-size "
                 "raises it)", a, b, FOLDED_BYTES_PER_BYTE);
        return -1;
    }
    o = xcalloc(1, sizeof *o);
    o->f = f;
    o->mode = mode;
    write_all(o, p, total);
    sbuf_free(&o->esc);
    free(o);
    return 0;
}

void output_folded_stack(FILE *f, const struct profile *p, const uint32_t *path, uint32_t depth)
{
    struct out o;               /* its buffer left as it is: only n bytes of it are read */

    o.f = f;
    o.mode = text_machine_mode(f);
    o.bytes = 0;
    o.esc = (struct sbuf){ 0 };
    o.n = 0;
    for (uint32_t i = 0; i < depth; i++) {
        size_t len;
        const char *s = frame_name(p, path[i], &len);

        if (i)
            put(&o, ";", 1);
        put_name(&o, s, len, i == 0, i + 1 == depth);
    }
    flush(&o);
    sbuf_free(&o.esc);
}
