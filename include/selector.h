/* Queries as Pyroscope writes them: an optional sample type, then label
 * matchers, `alloc_space{region="eu-north", pod=~"pod-[0-3]", env!~"dev.*"}`,
 * and a time range. They select samples; where the samples came from (files,
 * later a server) does not matter here. */
#ifndef EMBER_SELECTOR_H
#define EMBER_SELECTOR_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"

enum match_op { MATCH_EQ, MATCH_NE, MATCH_RE, MATCH_NRE };

struct matcher {
    char *name, *value;
    enum match_op op;
    regex_t re;                 /* for =~ and !~: anchored at both ends */
};

struct selector {
    char *type;                 /* the sample type before '{' ("cpu" or
                                 * "cpu/nanoseconds"), or NULL */
    char *type_id;              /* a Pyroscope type ID given there, whole
                                 * ("process_cpu:cpu:nanoseconds:cpu:nanoseconds",
                                 * whose type is then "cpu/nanoseconds"), or NULL */
    struct matcher *m;
    size_t n;
    int64_t from, until;        /* nanoseconds since the epoch, inclusive */
};

#define SELECTOR_ERR_MAX 256

/* Parses text into s (times span everything). Before '{' may stand a
 * sample type: NAME, NAME/UNIT, or Pyroscope's type ID of five parts
 * name:sample_type:sample_unit:period_type:period_unit. Returns 0, or -1 with a
 * message that names the column ("column 9: expected '=', '!=', '=~' or
 * '!~'"); s is then empty. */
int selector_parse(const char *text, struct selector *s, char *err);
void selector_free(struct selector *s);

struct sbuf;
/* Appends s as a double-quoted string that selector_parse reads back as s
 * (\\ \" \n \t escaped). */
void selector_quote(struct sbuf *b, const char *s);
/* Appends a label name as a query holds it: bare when it is a legacy
 * Prometheus name ([A-Za-z_][A-Za-z0-9_]*), else quoted by selector_quote
 * ("service.name"), as Pyroscope reads UTF-8 names and selector_parse
 * reads it back. */
void selector_quote_name(struct sbuf *b, const char *name);
/* The matchers of s as a label selector a Pyroscope server reads:
 * {name="value",name=~"re","service.name"="x"} ("{}" when none), names by
 * selector_quote_name, values by selector_quote. No type, no times. */
void selector_matchers_text(const struct selector *s, struct sbuf *b);
/* Whether s is a label name a query can hold unquoted ([A-Za-z_][A-Za-z0-9_.-]*). */
int selector_is_name(const char *s);

/* Whether label set `set` satisfies every matcher. A missing label reads
 * as "" (so `env!="prod"` matches it); numbers read in decimal. */
int selector_match_set(const struct selector *s, const struct profile *p, uint32_t set);

/* Parses a time: RFC 3339 ("2026-11-24T05:00:00Z", offsets allowed), Unix
 * seconds (or, of 13, 16 or 19 digits, milliseconds, microseconds or
 * nanoseconds, as profilecli), "now", or "now-30m" (s, m, h, d, w, M = 30 d, y = 365 d), into
 * nanoseconds. now_ns is the present. Returns 0 or -1. */
int selector_parse_time(const char *text, int64_t now_ns, int64_t *out);

/* Whether a POSIX extended regex is safe to compile: glibc's regcomp can
 * take gigabytes on stacked quantifiers ("a+++") or huge counts
 * ("a{30000}"). Returns NULL, or what is wrong with *at set to its byte
 * offset. */
const char *selector_regex_risk(const char *re, size_t *at);

/* Which samples a selector keeps, per label set and per source, for the
 * query functions. */
struct filter {
    uint8_t *set_ok;            /* per label set; NULL keeps all */
    uint8_t *source_ok;         /* per source: its time is in range; NULL keeps all */
    uint8_t *set_chooses;       /* per label set: its file= and source= matchers
                                 * hold (they choose snapshots); NULL: all */
    /* per trie node: the node its samples count at, or FILTER_DROP (a
     * filter set's map, see fset.h; not owned); NULL: where they are */
    const uint32_t *node_map;
};
#define FILTER_DROP UINT32_MAX

void filter_build(struct filter *f, const struct selector *s, const struct profile *p);
void filter_free(struct filter *f);

static inline int filter_keeps(const struct filter *f, const struct sample *s)
{
    return !f || ((!f->set_ok || f->set_ok[s->labels]) &&
                  (!f->source_ok || f->source_ok[s->source]) &&
                  (!f->node_map || f->node_map[s->node] != FILTER_DROP));
}

/* The node a kept sample counts at: its own, or where f's filter set
 * moved it. */
static inline uint32_t filter_node(const struct filter *f, uint32_t node)
{
    return f && f->node_map ? f->node_map[node] : node;
}

/* What a selection asks for that the data set lacks, said so a person can
 * fix it. Each writes one line (names escaped) into msg and returns 1, or
 * returns 0 when there is nothing to say. */

/* Whether some sample has a label named name. */
int selector_label_known(const struct profile *p, const char *name);
/* "no sample has label 'regoin'; labels: file, region, worker" when no
 * sample has label name. */
int selector_label_hint(struct profile *p, const char *name, char *msg, size_t size);
/* The same for the first matcher of s whose label no sample has, or, for an
 * = matcher, whose value no sample has: 'no sample has region="eu-nort";
 * region has: eu-north, us-east' (at most 10 values, then "..."). */
int selector_unknown_label(const struct selector *s, struct profile *p, char *msg, size_t size);
/* "no profile in the time range; the profiles span A to B" (RFC 3339,
 * UTC) when s has a time range and no profile's time falls in it. */
int selector_range_hint(const struct selector *s, const struct profile *p, char *msg, size_t size);

/* Marks has[t] (p->ntypes entries) for each sample type t of which some
 * sample f keeps has a non-zero value: the types a side "has". Returns
 * how many. */
int selector_types_present(const struct profile *p, const struct filter *f, uint8_t *has);

#endif
