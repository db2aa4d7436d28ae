#include "fset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static const char *const kind_names[FSET_KINDS] = {
    [FSET_FOCUS] = "focus", [FSET_IGNORE] = "ignore", [FSET_HIDE] = "hide",
    [FSET_SHOW] = "show", [FSET_SHOW_FROM] = "show_from", [FSET_PRUNE_FROM] = "prune_from",
};

const char *fset_kind_name(enum fset_kind k)
{
    return (unsigned)k < FSET_KINDS ? kind_names[k] : "?";
}

int fset_kind_parse(const char *name)
{
    char buf[16];
    size_t i;

    for (i = 0; name[i] && i + 1 < sizeof buf; i++)
        buf[i] = name[i] == '-' ? '_' : name[i];
    buf[i] = 0;
    for (int k = 0; k < FSET_KINDS; k++)
        if (!name[i] && !strcmp(buf, kind_names[k]))
            return k;
    return -1;
}

void fset_init(struct fset *s)
{
    memset(s, 0, sizeof *s);
}

static void forget_map(struct fset *s)
{
    s->count = 0;               /* every node again */
    s->nfbits = 0;
}

void fset_free(struct fset *s)
{
    fset_clear(s);
    free(s->map);
    free(s->st);
    free(s->fbits);
    free(s->used);
    memset(s, 0, sizeof *s);
}

int fset_push(struct fset *s, enum fset_kind kind, const char *re, char *err, size_t errlen)
{
    struct fset_entry *e = &s->e[s->n];
    size_t at;
    const char *risk;
    int r;

    if (s->n == FSET_MAX) {
        snprintf(err, errlen, "more than %d filters", FSET_MAX);
        return -1;
    }
    if ((risk = selector_regex_risk(re, &at))) {
        snprintf(err, errlen, "%s (at byte %zu)", risk, at + 1);
        return -1;
    }
    if ((r = regcomp(&e->re, re, REG_EXTENDED | REG_NOSUB))) {
        char why[128];

        regerror(r, &e->re, why, sizeof why);
        regfree(&e->re);
        snprintf(err, errlen, "%s", why);
        return -1;
    }
    e->kind = kind;
    e->text = xstrdup(re);
    s->n++;
    forget_map(s);
    return 0;
}

void fset_pop(struct fset *s)
{
    if (!s->n)
        return;
    s->n--;
    regfree(&s->e[s->n].re);
    free(s->e[s->n].text);
    forget_map(s);
}

void fset_clear(struct fset *s)
{
    while (s->n)
        fset_pop(s);
}

void fset_simplify(const char *name, char *out, size_t size)
{
    static const char *const reserved[] = { "(anonymous namespace)", "operator()" };
    size_t end, i;

    if (*name == '.')
        name++;
    end = strlen(name);
    for (i = 0; i < end;) {
        size_t skip = 0;

        for (size_t r = 0; r < 2 && !skip; r++)
            if (!strncmp(name + i, reserved[r], strlen(reserved[r])))
                skip = strlen(reserved[r]);
        if (skip) {
            i += skip;
        } else if (name[i] == '(') {
            end = i;
            break;
        } else {
            i++;
        }
    }
    if (size)
        snprintf(out, size, "%.*s", (int)end, name);
}

static int matches(const regex_t *re, const struct profile *p, uint32_t id)
{
    return id && !regexec(re, profile_str(p, id), 0, NULL, 0);
}

/* pprof matches a location by its lines' function names and files and by
 * its mapping's file; prune_from by the simplified function name alone.
 * An unsymbolized frame (no function, no file) is matched by its mapping
 * alone, not by the name ember shows for it ([app], <unknown>); show
 * keeps a location's lines and it has none: show drops it. */
static int entry_matches(const struct fset_entry *e, const struct profile *p,
                         const struct frame *f)
{
    uint32_t func = f->func;

    if (e->kind == FSET_SHOW && !f->func && !f->file)
        return 0;

    if (e->kind == FSET_PRUNE_FROM) {
        char buf[4096];

        if (!func)
            return 0;
        fset_simplify(profile_str(p, func), buf, sizeof buf);
        return !regexec(&e->re, buf, 0, NULL, 0);
    }
    return matches(&e->re, p, func) || matches(&e->re, p, f->file) ||
           matches(&e->re, p, f->object);
}

/* Which entries match each frame added since the last call. */
static void frame_bits(struct fset *s, const struct profile *p)
{
    if (p->nframes > s->fbits_cap) {
        s->fbits_cap = p->nframes + p->nframes / 2 + 16;
        s->fbits = xreallocarray(s->fbits, s->fbits_cap, sizeof *s->fbits);
    }
    for (uint32_t f = s->nfbits; f < p->nframes; f++) {
        s->fbits[f] = 0;
        for (uint32_t i = 0; i < s->n; i++)
            if (entry_matches(&s->e[i], p, &p->frames[f]))
                s->fbits[f] |= 1u << i;
    }
    s->nfbits = p->nframes;
}

static uint32_t kind_mask(const struct fset *s, enum fset_kind k)
{
    uint32_t m = 0;

    for (uint32_t i = 0; i < s->n; i++)
        if (s->e[i].kind == k)
            m |= 1u << i;
    return m;
}

static void reserve_nodes(struct fset *s, uint32_t count)
{
    if (count <= s->cap)
        return;
    s->cap = count + count / 2 + 64;
    s->map = xreallocarray(s->map, s->cap, sizeof *s->map);
    s->st = xreallocarray(s->st, s->cap, sizeof *s->st);
}

/* The root: its samples have no frame. pprof drops a sample without
 * locations under focus, ignore, hide or show (none can be focused, none
 * stays once shown), and under show_from (no match); prune_from keeps it. */
static void map_root(struct fset *s)
{
    uint32_t all = s->n == 32 ? UINT32_MAX : (1u << s->n) - 1;
    int only_prune = kind_mask(s, FSET_PRUNE_FROM) == all;

    s->st[TRIE_ROOT] = (struct fset_node){ .from = TRIE_ROOT, .cut = TRIE_ROOT,
                                           .started = !kind_mask(s, FSET_SHOW_FROM) };
    s->map[TRIE_ROOT] = only_prune ? TRIE_ROOT : FILTER_DROP;
}

struct masks {
    uint32_t focus, ignore, hide, show, show_from, prune;
};

static int is_used(const struct fset *s, uint32_t n)
{
    return n < s->used_cap && (s->used[n >> 6] >> (n & 63) & 1);
}

/* Marks the subtrees the samples lie in (a walk stops at a marked node:
 * each node is marked once, each sample after costs a test). Every sample
 * each time: a live data set drops and renumbers them. Returns 1 when a
 * node already mapped (as holding no sample) gets one: the map must be
 * made again. */
static int mark_used(struct fset *s, const struct profile *p)
{
    const struct trie *t = &p->trie;
    int again = 0;

    if (t->count > s->used_cap) {
        size_t had = s->used_cap / 64, words = (t->count + t->count / 2) / 64 + 1;

        s->used = xreallocarray(s->used, words, sizeof *s->used);
        memset(s->used + had, 0, (words - had) * sizeof *s->used);
        s->used_cap = (uint32_t)(words * 64);
    }
    for (size_t i = 0; i < p->nsamples; i++)
        for (uint32_t n = p->samples[i].node; !is_used(s, n); n = t->node[n].parent) {
            s->used[n >> 6] |= 1ull << (n & 63);
            again |= n < s->count;
            if (n == TRIE_ROOT)
                break;
        }
    return again;
}

/* The child of the mapped parent holding fr: n itself when its parent is
 * mapped to itself (nothing inserted, nothing looked up); n's frame can be
 * on the reshaped path above only if it is on n's own (nested). */
static uint32_t child_at(struct trie *t, uint32_t from, uint32_t n)
{
    if (from == t->node[n].parent)
        return n;
    return trie_child_hint(t, from, t->node[n].frame, trie_nested(t, n));
}

/* One node from its parent's state. A node added here (a reshaped path)
 * holds no sample: the pass maps it to FILTER_DROP when it reaches it. */
static void map_node(struct fset *s, struct trie *t, const struct masks *m, uint32_t n)
{
    const struct fset_node *up = &s->st[t->node[n].parent];
    uint32_t fr = t->node[n].frame, b = s->fbits[fr];
    int hidden = (b & m->hide) || (b & m->show) != m->show;
    struct fset_node me = { .focus = up->focus | (b & m->focus),
                            .ignored = up->ignored || (b & m->ignore) };

    if (!is_used(s, n)) {       /* no sample counts here or below */
        s->st[n] = (struct fset_node){ .ignored = 1 };
        s->map[n] = FILTER_DROP;
        return;
    }
    if (!m->show_from || up->started) {
        me.started = 1;
        me.from = hidden ? up->from : child_at(t, up->from, n);
    } else if (!hidden && (b & m->show_from)) {
        me.started = 1;
        me.from = child_at(t, TRIE_ROOT, n);      /* the root-most match is the root */
    } else {
        me.from = TRIE_ROOT;                      /* no match yet: dropped */
    }
    if (me.started && !hidden && (b & m->prune)) {
        me.pruned = 1;
        me.cut = me.from;       /* the leaf-most match so far: its callees go */
    } else {
        me.pruned = up->pruned;
        me.cut = up->pruned ? up->cut : me.from;
    }
    s->st[n] = me;
    s->map[n] = me.focus != m->focus || me.ignored || !me.started || me.cut == TRIE_ROOT ?
                FILTER_DROP : me.cut;
}

int fset_update(struct fset *s, struct profile *p, char *err, size_t errlen)
{
    struct trie *t = &p->trie;
    struct masks m = { kind_mask(s, FSET_FOCUS), kind_mask(s, FSET_IGNORE),
                       kind_mask(s, FSET_HIDE), kind_mask(s, FSET_SHOW),
                       kind_mask(s, FSET_SHOW_FROM), kind_mask(s, FSET_PRUNE_FROM) };
    uint64_t cost = p->budget ? profile_cost(p) : 0;
    uint32_t before = t->count;

    if (!s->n)
        return 0;
    frame_bits(s, p);
    if (mark_used(s, p))
        s->count = 0;
    if (!s->count) {
        reserve_nodes(s, t->count);
        map_root(s);
        s->count = 1;
    }

    for (uint32_t n = s->count; n < t->count; n++) {
        reserve_nodes(s, t->count + 1);
        map_node(s, t, &m, n);
        if (t->full || (p->budget && cost + (uint64_t)(t->count - before) *
                        (PROFILE_NODE_BYTES + sizeof(struct fset_node) + 4) > p->budget)) {
            snprintf(err, errlen, "the filters' call tree would pass the model's budget "
                     "(%llu MiB)", (unsigned long long)(p->budget >> 20));
            s->count = 0;
            return -1;
        }
        s->count = n + 1;
    }
    return 0;
}

void fset_apply(const struct fset *s, struct filter *f)
{
    if (s && s->n && s->count)
        f->node_map = s->map;
}

void fset_text(const struct fset *s, struct sbuf *b, const char *sep)
{
    for (uint32_t i = 0; i < s->n; i++) {
        const char *k = fset_kind_name(s->e[i].kind);

        sbuf_add(b, k, strlen(k));
        sbuf_addc(b, '=');
        sbuf_add(b, s->e[i].text, strlen(s->e[i].text));
        sbuf_add(b, sep, strlen(sep));
    }
}
