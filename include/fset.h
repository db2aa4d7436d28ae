/* A filter set: pprof's focus, ignore, hide, show, show_from and
 * prune_from over the one shared trie. The set is a list of (kind, regex)
 * entries, as the user gave them, and a node map: map[n] is the trie node
 * the samples of node n count at once filtered (a reshaped path is put into
 * the same trie: hide B turns A>B>C into A>C), or FILTER_DROP. The queries
 * read the map through struct filter (selector.h), so every view, both
 * sides, the diff and the exports see the filtered tree while frame and
 * string ids keep their meaning. No curses, no I/O. */
#ifndef EMBER_FSET_H
#define EMBER_FSET_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"
#include "selector.h"
#include "text.h"

/* In the order pprof applies them: the first four together on the
 * original stacks, then show_from, then prune_from. */
enum fset_kind { FSET_FOCUS, FSET_IGNORE, FSET_HIDE, FSET_SHOW, FSET_SHOW_FROM, FSET_PRUNE_FROM };
#define FSET_KINDS 6
#define FSET_MAX 32             /* entries a set holds (a bit each per frame) */

struct fset_entry {
    enum fset_kind kind;
    char *text;                 /* the regex as given (owned) */
    regex_t re;
};

/* What a node's path is once filtered (see fset.c). */
struct fset_node {
    uint32_t from;              /* the path less hidden frames, from show_from's match on */
    uint32_t cut;               /* that path down to prune_from's leaf-most match */
    uint32_t focus;             /* bit i: focus entry i matched on the path */
    uint8_t ignored, started, pruned;
};

struct fset {
    struct fset_entry e[FSET_MAX];
    uint32_t n;
    uint32_t *map;              /* per trie node: where its samples count, or FILTER_DROP */
    struct fset_node *st;
    uint32_t count, cap;        /* nodes mapped, room */
    uint32_t *fbits;            /* per frame: bit i, entry i matches it */
    uint32_t nfbits, fbits_cap;
    /* Bit n: some sample lies in node n's subtree. A node without is
     * mapped to FILTER_DROP and not reshaped: the reshaped paths (no
     * samples of their own) are not reshaped again by a later filter. */
    uint64_t *used;
    uint32_t used_cap;          /* nodes the bits have room for */
};

void fset_init(struct fset *s);
void fset_free(struct fset *s);

/* Adds an entry (copies re). Returns 0, or -1 with the reason in err (a
 * bad regex, too many entries); the set is then unchanged. */
int fset_push(struct fset *s, enum fset_kind kind, const char *re, char *err, size_t errlen);
/* Removes the last entry (nothing when empty). */
void fset_pop(struct fset *s);
void fset_clear(struct fset *s);

/* Brings the map up to p's trie (nodes and frames added since, or every
 * node after a change of entries), adding the reshaped paths to the trie.
 * Returns 0, or -1 with a message in err when the trie would pass the
 * model's budget (the map is then incomplete: show nothing filtered). */
int fset_update(struct fset *s, struct profile *p, char *err, size_t errlen);

/* Points f at the map (f from filter_build, or zeroed): f then keeps and
 * places samples as the set says. Nothing when the set is empty. */
void fset_apply(const struct fset *s, struct filter *f);

/* "focus", "show_from" ...: pprof's names. */
const char *fset_kind_name(enum fset_kind k);
/* Parses a pprof name ("show_from" or "show-from"); -1 if none. */
int fset_kind_parse(const char *name);

/* Appends the entries as pprof writes them, "focus=^main\.handle$", each
 * followed by sep (the header: " "; --top's "Active filters:": "\n"). The
 * text is as given: whoever shows it escapes it. */
void fset_text(const struct fset *s, struct sbuf *b, const char *sep);

/* pprof's simplifyFunc: the name prune_from matches (a leading '.' and
 * everything from the first '(' off, except in "(anonymous namespace)" and
 * "operator()"). Writes at most size - 1 bytes into out. */
void fset_simplify(const char *name, char *out, size_t size);

#endif
