#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "text.h"
#include "xalloc.h"

struct walk {
    uint32_t node, depth;
};

static const struct profile *sort_profile;

/* Sorts siblings by name, descending: the stack pops them ascending. */
static int by_name_desc(const void *a, const void *b)
{
    const struct profile *p = sort_profile;
    uint32_t x = ((const struct walk *)a)->node, y = ((const struct walk *)b)->node;

    return query_name_cmp(p, p->frames[p->trie.node[y].frame].name,
                          p->frames[p->trie.node[x].frame].name);
}

/* A name escaped, and its ';' written \x3b: read back, it stays one frame
 * (the folded format has no escape of its own). */
static void add_name(struct sbuf *line, const char *s, size_t len, enum text_escape_mode mode)
{
    const char *semi;

    while ((semi = memchr(s, ';', len))) {
        text_escape(line, s, (size_t)(semi - s), mode);
        sbuf_add(line, "\\x3b", 4);
        len -= (size_t)(semi - s) + 1;
        s = semi + 1;
    }
    text_escape(line, s, len, mode);
}

static void write_stack(FILE *f, const struct profile *p, const uint32_t *path, uint32_t depth,
                        int64_t value, struct sbuf *line,
                        enum text_escape_mode mode)
{
    line->len = 0;
    for (uint32_t i = 0; i < depth; i++) {
        uint32_t name = p->frames[path[i]].name;

        const char *s = profile_str(p, name);
        size_t len = strtab_len(&p->strings, name);

        if (i)
            sbuf_addc(line, ';');
        if (!i && len && s[0] == '#') {
            sbuf_add(line, "\\x23", 4);       /* else read back as a comment */
            s++, len--;
        }
        add_name(line, s, len, mode);
    }
    fwrite(line->s ? line->s : "", 1, line->len, f);
    fprintf(f, "\t%lld\n", (long long)value);
}

void output_folded(FILE *f, const struct profile *p, const int64_t *total)
{
    const struct trie *t = &p->trie;
    struct walk *stack = xmalloc(((size_t)t->count + 1) * sizeof *stack);
    uint32_t *path = xmalloc(((size_t)t->count + 1) * sizeof *path);
    size_t top = 0;
    struct sbuf line = { 0 };
    enum text_escape_mode mode = text_machine_mode(f);

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
                write_stack(f, p, path, w.depth, self, &line, mode);
        }
        for (uint32_t i = 0; i < nkids; i++)
            if (total[kids[i]])
                stack[top++] = (struct walk){ kids[i], w.depth + 1 };
        qsort(stack + first, top - first, sizeof *stack, by_name_desc);
    }
    sbuf_free(&line);
    free(stack);
    free(path);
}
