#include "selector.h"

#include <ctype.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text.h"
#include "timeline.h"
#include "base.h"
#include "xalloc.h"

struct cursor {
    const char *text, *at;
    char *err;
};

static int fail(struct cursor *c, const char *what)
{
    snprintf(c->err, SELECTOR_ERR_MAX, "column %d: %s", (int)(c->at - c->text) + 1, what);
    return -1;
}

static void skip_space(struct cursor *c)
{
    while (isspace((unsigned char)*c->at))
        c->at++;
}

static int is_name_start(char ch)
{
    return isalpha((unsigned char)ch) || ch == '_';
}

static int is_name_char(char ch)
{
    return isalnum((unsigned char)ch) || ch == '_' || ch == '.' || ch == '-';
}

static char *parse_name(struct cursor *c)
{
    const char *start = c->at;

    if (!is_name_start(*c->at))
        return NULL;
    while (is_name_char(*c->at))
        c->at++;
    return strndup(start, (size_t)(c->at - start));
}

void selector_quote(struct sbuf *b, const char *s)
{
    sbuf_addc(b, '"');
    for (; *s; s++) {
        if (*s == '\\' || *s == '"')
            sbuf_addc(b, '\\');
        if (*s == '\n' || *s == '\t')
            sbuf_add(b, *s == '\n' ? "\\n" : "\\t", 2);
        else
            sbuf_addc(b, *s);
    }
    sbuf_addc(b, '"');
}

/* A legacy Prometheus label name: what a PromQL parser reads unquoted
 * (Pyroscope's rejects '.' and '-', which ember's own syntax allows). */
static int is_prometheus_name(const char *s)
{
    if (!is_name_start(*s))
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return 0;
    return 1;
}

void selector_quote_name(struct sbuf *b, const char *name)
{
    if (is_prometheus_name(name))
        sbuf_add(b, name, strlen(name));
    else
        selector_quote(b, name);
}

int selector_is_name(const char *s)
{
    if (!is_name_start(*s))
        return 0;
    while (is_name_char(*s))
        s++;
    return !*s;
}

/* A double-quoted string with \" \\ \n \t escapes. */
static char *parse_string(struct cursor *c)
{
    char *out, *o;

    if (*c->at != '"')
        return NULL;
    out = o = xmalloc(strlen(c->at) + 1);
    for (c->at++; *c->at && *c->at != '"'; c->at++) {
        if (*c->at == '\\' && c->at[1]) {
            c->at++;
            *o++ = *c->at == 'n' ? '\n' : *c->at == 't' ? '\t' : *c->at;
        } else {
            *o++ = *c->at;
        }
    }
    if (*c->at != '"') {
        free(out);
        return NULL;
    }
    c->at++;
    *o = '\0';
    return out;
}

static int parse_op(struct cursor *c, enum match_op *op)
{
    static const struct { const char *s; enum match_op op; } ops[] = {
        { "=~", MATCH_RE }, { "!~", MATCH_NRE }, { "!=", MATCH_NE }, { "=", MATCH_EQ },
    };

    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        size_t n = strlen(ops[i].s);

        if (!strncmp(c->at, ops[i].s, n)) {
            c->at += n;
            *op = ops[i].op;
            return 0;
        }
    }
    return fail(c, "expected '=', '!=', '=~' or '!~'");
}

const char *selector_regex_risk(const char *re, size_t *at)
{
    int quantified = 0;         /* the previous token was a quantifier */

    for (size_t i = 0; re[i]; i++) {
        char ch = re[i];

        if (ch == '\\' && re[i + 1]) {
            /* glibc takes \d for a d: refuse what POSIX ERE and glibc
             * do not define (pprof's RE2 means something else by it) */
            if (isalnum((unsigned char)re[i + 1]) && !strchr("wWsSbB", re[i + 1])) {
                *at = i;
                return "an escape POSIX regular expressions do not have (\\d: write [0-9]; "
                       "\\w, \\s, \\b and their capitals work)";
            }
            i++;
            quantified = 0;
        } else if (ch == '*' || ch == '+' || ch == '?' || ch == '{') {
            if (quantified) {
                *at = i;
                return "a quantifier on a quantifier";
            }
            if (ch == '{') {
                char *end;
                long n = strtol(re + i + 1, &end, 10), m = n;

                if (*end == ',' && isdigit((unsigned char)end[1]))
                    m = strtol(end + 1, &end, 10);
                if (n > 255 || m > 255) {
                    *at = i;
                    return "a repeat count over 255";
                }
                while (re[i + 1] && re[i] != '}')
                    i++;
            }
            quantified = 1;
        } else {
            quantified = 0;
        }
    }
    return NULL;
}

static int compile(struct cursor *c, struct matcher *m, const char *value_at)
{
    char *anchored = xmalloc(strlen(m->value) + 5), why[128];
    const char *risk;
    size_t at;
    int r;

    if ((risk = selector_regex_risk(m->value, &at))) {
        free(anchored);
        snprintf(c->err, SELECTOR_ERR_MAX, "column %d: bad regular expression: %s",
                 (int)(value_at - c->text) + 2 + (int)at, risk);
        return -1;
    }
    /* As in Prometheus, a regex must match the whole value. */
    sprintf(anchored, "^(%s)$", m->value);
    r = regcomp(&m->re, anchored, REG_EXTENDED | REG_NOSUB);
    free(anchored);
    if (!r)
        return 0;
    regerror(r, &m->re, why, sizeof why);
    c->at = value_at;
    snprintf(c->err, SELECTOR_ERR_MAX, "column %d: bad regular expression: %s",
             (int)(value_at - c->text) + 1, why);
    return -1;
}

static int parse_matcher(struct cursor *c, struct selector *s)
{
    struct matcher m = { 0 };
    const char *value_at, *name_at;

    skip_space(c);
    name_at = c->at;
    /* a quoted name ({"service.name"="x"}, Prometheus' UTF-8 form) is any
     * name, as a server or a file may hold one */
    m.name = *c->at == '"' ? parse_string(c) : parse_name(c);
    if (m.name && !*m.name) {
        free(m.name);
        c->at = name_at;
        return fail(c, "an empty label name");
    }
    if (!m.name)
        return fail(c, *name_at == '"' ? "unterminated string" : "expected a label name");
    skip_space(c);
    if (parse_op(c, &m.op)) {
        free(m.name);
        return -1;
    }
    skip_space(c);
    value_at = c->at;
    if (!(m.value = parse_string(c))) {
        free(m.name);
        return fail(c, *value_at == '"' ? "unterminated string" : "expected a quoted value");
    }
    if ((m.op == MATCH_RE || m.op == MATCH_NRE) && compile(c, &m, value_at)) {
        free(m.name);
        free(m.value);
        return -1;
    }
    s->m = xreallocarray(s->m, s->n + 1, sizeof *s->m);
    s->m[s->n++] = m;
    return 0;
}

static int parse_braces(struct cursor *c, struct selector *s)
{
    c->at++;                    /* '{' */
    skip_space(c);
    if (*c->at == '}') {
        c->at++;
        return 0;
    }
    for (;;) {
        if (parse_matcher(c, s))
            return -1;
        skip_space(c);
        if (*c->at == '}') {
            c->at++;
            return 0;
        }
        if (*c->at != ',')
            return fail(c, *c->at ? "expected ',' or '}'" : "missing '}'");
        c->at++;
        skip_space(c);
        if (*c->at == '}') {    /* a trailing comma, as Prometheus allows */
            c->at++;
            return 0;
        }
    }
}

/* A type ID's part: a name, or nothing (the period parts may be empty). */
static size_t id_part(const char *s)
{
    size_t n = 0;

    if (!is_name_start(*s))
        return 0;
    while (is_name_char(s[n]))
        n++;
    return n;
}

/* What stands before '{': NAME, NAME/UNIT, or a type ID (five parts split
 * by ':'), into s->type (and s->type_id). */
static int parse_type(struct cursor *c, struct selector *s)
{
    const char *start = c->at, *part[5];
    size_t len[5];
    int n = 0;

    for (;;) {
        part[n] = c->at;
        len[n] = id_part(c->at);
        c->at += len[n++];
        if (*c->at != ':' || n == 5)
            break;
        c->at++;
    }
    if (n == 1 && *c->at == '/') {          /* NAME/UNIT */
        c->at++;
        if (!id_part(c->at))
            return fail(c, "expected a unit after '/' (alloc_space/bytes)");
        c->at += id_part(c->at);
        s->type = strndup(start, (size_t)(c->at - start));
        return 0;
    }
    if (n == 1) {
        s->type = strndup(start, len[0]);
        return 0;
    }
    if (n != 5 || *c->at == ':')
        return fail(c, "a profile type ID has five parts: "
                       "name:sample_type:sample_unit:period_type:period_unit");
    if (!len[1] || !len[2]) {
        c->at = part[len[1] ? 2 : 1];
        return fail(c, "a profile type ID names its sample type and unit");
    }
    s->type_id = strndup(start, (size_t)(c->at - start));
    s->type = xmalloc(len[1] + len[2] + 2);
    sprintf(s->type, "%.*s/%.*s", (int)len[1], part[1], (int)len[2], part[2]);
    return 0;
}

void selector_matchers_text(const struct selector *s, struct sbuf *b)
{
    static const char *const ops[] = { [MATCH_EQ] = "=", [MATCH_NE] = "!=",
                                       [MATCH_RE] = "=~", [MATCH_NRE] = "!~" };

    sbuf_addc(b, '{');
    for (size_t i = 0; i < s->n; i++) {
        if (i)
            sbuf_addc(b, ',');
        selector_quote_name(b, s->m[i].name);
        sbuf_add(b, ops[s->m[i].op], strlen(ops[s->m[i].op]));
        selector_quote(b, s->m[i].value);
    }
    sbuf_addc(b, '}');
}

int selector_parse(const char *text, struct selector *s, char *err)
{
    struct cursor c = { text, text, err };
    int r = 0;

    memset(s, 0, sizeof *s);
    s->from = INT64_MIN;
    s->until = INT64_MAX;
    skip_space(&c);
    if (is_name_start(*c.at)) {
        r = parse_type(&c, s);
        skip_space(&c);
    }
    if (r)
        ;
    else if (*c.at == '{')
        r = parse_braces(&c, s);
    else if (*c.at)
        r = fail(&c, "expected '{'");
    if (!r) {
        skip_space(&c);
        if (*c.at)
            r = fail(&c, "unexpected text after '}'");
    }
    if (r) {
        selector_free(s);
        s->from = INT64_MIN;
        s->until = INT64_MAX;
    }
    return r;
}

void selector_free(struct selector *s)
{
    for (size_t i = 0; i < s->n; i++) {
        if (s->m[i].op == MATCH_RE || s->m[i].op == MATCH_NRE)
            regfree(&s->m[i].re);
        free(s->m[i].name);
        free(s->m[i].value);
    }
    free(s->m);
    free(s->type);
    free(s->type_id);
    memset(s, 0, sizeof *s);
}

/* Set's first label named key, or NULL. */
static const struct label *first_label(const struct profile *p, uint32_t set, uint32_t key)
{
    uint32_t count;
    const struct label *l = profile_set_labels(p, set, &count);

    for (uint32_t i = 0; i < count; i++)
        if (l[i].key == key)
            return &l[i];
    return NULL;
}

/* Label l's value as text ("" when l is NULL: absent). */
static const char *label_text(const struct profile *p, const struct label *l, char *num, size_t n)
{
    if (!l)
        return "";
    if (l->str)
        return profile_str(p, l->str);
    snprintf(num, n, "%" PRId64, l->num);
    return num;
}

/* What each matcher compares, found once for a pass over every label set
 * rather than once a set: its label name's string id (UINT32_MAX: no
 * such label), its value's (UINT32_MAX: no label has that string), and
 * whether it chooses profiles (file=, source=). */
struct matcher_key {
    uint32_t key, value;
    int per_source;
};

/* Whether set satisfies the matchers, or with sources_only (1) the
 * matchers of the labels a profile has throughout (file, source), or (2)
 * the others. A string label equals a value when their ids do (strings
 * are interned once). */
static int match_set_keys(const struct selector *s, const struct profile *p, uint32_t set,
                          const struct matcher_key *keys, int sources_only)
{
    for (size_t i = 0; i < s->n; i++) {
        const struct matcher *m = &s->m[i];
        const struct matcher_key *k = &keys[i];
        int eq = m->op == MATCH_EQ || m->op == MATCH_NE, hit;
        const struct label *l;
        char num[32];
        const char *v;

        if ((sources_only == 1 && !k->per_source) || (sources_only == 2 && k->per_source))
            continue;
        l = k->key == UINT32_MAX ? NULL : first_label(p, set, k->key);
        if (eq && l && l->str) {
            hit = l->str == k->value;
        } else {
            v = label_text(p, l, num, sizeof num);
            hit = eq ? !strcmp(v, m->value) : !regexec(&m->re, v, 0, NULL, 0);
        }
        if (hit != (m->op == MATCH_EQ || m->op == MATCH_RE))
            return 0;
    }
    return 1;
}

static struct matcher_key *matcher_keys(const struct selector *s, const struct profile *p)
{
    struct matcher_key *keys = xmalloc((s->n + 1) * sizeof *keys);

    for (size_t i = 0; i < s->n; i++) {
        const struct matcher *m = &s->m[i];

        keys[i].key = strtab_find(&p->strings, m->name, strlen(m->name));
        keys[i].value = strtab_find(&p->strings, m->value, strlen(m->value));
        keys[i].per_source = !strcmp(m->name, "file") || !strcmp(m->name, "source");
    }
    return keys;
}

int selector_match_set(const struct selector *s, const struct profile *p, uint32_t set)
{
    struct matcher_key *keys = matcher_keys(s, p);
    int r = match_set_keys(s, p, set, keys, 0);

    free(keys);
    return r;
}

static int64_t unit_ns(char u)
{
    switch (u) {
    case 's': return 1000000000LL;
    case 'm': return 60 * 1000000000LL;
    case 'h': return 3600 * 1000000000LL;
    case 'd': return 86400 * 1000000000LL;
    case 'w': return 7 * 86400 * 1000000000LL;
    case 'M': return 30 * 86400 * 1000000000LL;
    case 'y': return 365 * 86400 * 1000000000LL;
    default: return 0;
    }
}

/* "now", "now-1h", "now-90m". */
static int parse_relative(const char *t, int64_t now_ns, int64_t *out)
{
    char *end;
    long long n;
    int64_t u;

    if (strncmp(t, "now", 3))
        return -1;
    if (!t[3]) {
        *out = now_ns;
        return 0;
    }
    if (t[3] != '-' || !isdigit((unsigned char)t[4]))
        return -1;
    n = strtoll(t + 4, &end, 10);
    if (!(u = unit_ns(*end)) || end[1] || n > INT64_MAX / u)
        return -1;
    *out = now_ns - n * u;
    return 0;
}

/* "2026-11-24T05:00:00Z", "2026-11-24T05:00:00.5+02:00", "2026-11-24". */
static int parse_rfc3339(const char *t, int64_t *out)
{
    struct tm tm = { 0 };
    const char *rest = strptime(t, "%Y-%m-%d", &tm);
    long frac_ns = 0, off = 0;

    if (!rest)
        return -1;
    if (*rest == 'T' || *rest == 't' || *rest == ' ') {
        if (!(rest = strptime(rest + 1, "%H:%M:%S", &tm)))
            return -1;
        if (*rest == '.') {
            long scale = 100000000;

            for (rest++; isdigit((unsigned char)*rest); rest++, scale /= 10)
                frac_ns += (*rest - '0') * scale;
        }
        if (*rest == 'Z' || *rest == 'z') {
            rest++;
        } else if ((*rest == '+' || *rest == '-') && isdigit((unsigned char)rest[1]) &&
                   isdigit((unsigned char)rest[2]) && rest[3] == ':' &&
                   isdigit((unsigned char)rest[4]) && isdigit((unsigned char)rest[5])) {
            off = ((rest[1] - '0') * 10 + rest[2] - '0') * 3600L +
                  ((rest[4] - '0') * 10 + rest[5] - '0') * 60L;
            off = *rest == '-' ? -off : off;
            rest += 6;
        } else {
            return -1;
        }
    }
    long long secs;

    if (*rest)
        return -1;
    secs = (long long)timegm(&tm) - off;
    if (secs > INT64_MAX / 1000000000LL - 1 || secs < INT64_MIN / 1000000000LL + 1)
        return -1;              /* past what nanoseconds hold (years 1678 to 2262) */
    *out = secs * 1000000000LL + frac_ns;
    return 0;
}

int selector_parse_time(const char *t, int64_t now_ns, int64_t *out)
{
    const char *p = t;

    if (!parse_relative(t, now_ns, out) || !parse_rfc3339(t, out))
        return 0;
    while (isdigit((unsigned char)*p))
        p++;
    /* Unix seconds, or as profilecli reads 13, 16 and 19 digits:
     * milliseconds, microseconds, nanoseconds */
    long long v = strtoll(t, NULL, 10), scale;

    if (p == t || *p || v == LLONG_MAX)
        return -1;
    switch (p - t) {
    case 13: scale = 1000000; break;
    case 16: scale = 1000; break;
    case 19: scale = 1; break;
    default:
        if (p - t > 10)
            return -1;
        scale = 1000000000LL;
        break;
    }
    if (v > INT64_MAX / scale)
        return -1;
    *out = v * scale;
    return 0;
}

/* A base (--base, --diff-base) is subtracted from whatever the range and
 * the file= or source= matchers select, as pprof always subtracts it: its
 * sources are in every range, its label sets answer the other matchers
 * alone. */
static void keep_base(struct filter *f, const struct selector *s, const struct profile *p,
                      const struct matcher_key *keys)
{
    uint8_t *seen;

    if (!p->base)
        return;
    seen = xcalloc(p->nsets + 1, 1);
    for (uint32_t i = p->base->first; i < p->nsources; i++)
        f->source_ok[i] = 1;
    for (size_t i = 0; i < p->nsamples; i++) {
        uint32_t set = p->samples[i].labels;

        if (!base_is_base(p, p->samples[i].source) || seen[set])
            continue;
        seen[set] = 1;
        f->set_ok[set] = (uint8_t)match_set_keys(s, p, set, keys, 2);
        if (f->set_chooses)
            f->set_chooses[set] = 1;
    }
    free(seen);
}

void filter_build(struct filter *f, const struct selector *s, const struct profile *p)
{
    struct matcher_key *keys = matcher_keys(s, p);

    f->set_ok = xmalloc(p->nsets + 1);
    f->source_ok = xmalloc(p->nsources + 1);
    f->set_chooses = NULL;
    f->node_map = NULL;
    for (size_t i = 0; i < s->n && !f->set_chooses; i++)
        if (!strcmp(s->m[i].name, "file") || !strcmp(s->m[i].name, "source"))
            f->set_chooses = xmalloc(p->nsets + 1);
    for (uint32_t i = 0; i < p->nsets; i++) {
        f->set_ok[i] = (uint8_t)match_set_keys(s, p, i, keys, 0);
        if (f->set_chooses)
            f->set_chooses[i] = (uint8_t)match_set_keys(s, p, i, keys, 1);
    }
    for (uint32_t i = 0; i < p->nsources; i++)
        f->source_ok[i] = p->sources[i].time_nanos >= s->from &&
                          p->sources[i].time_nanos <= s->until;
    keep_base(f, s, p, keys);
    free(keys);
}

void filter_free(struct filter *f)
{
    free(f->set_ok);
    free(f->source_ok);
    free(f->set_chooses);
    f->set_ok = f->source_ok = f->set_chooses = NULL;
}

/* --- what a selection asks for that the data set does not have --- */

int selector_label_known(const struct profile *p, const char *name)
{
    uint32_t key = strtab_find(&p->strings, name, strlen(name));

    for (uint32_t i = 0; key != UINT32_MAX && i < p->labels_count; i++)
        if (p->labels[i].key == key)
            return 1;
    return 0;
}

/* Appends s escaped (names come from profiles and queries: untrusted). */
static void add_escaped(struct sbuf *b, const char *s)
{
    text_escape(b, s, strlen(s), TEXT_ESCAPE_DISPLAY);
}

int selector_label_hint(struct profile *p, const char *name, char *msg, size_t size)
{
    struct sbuf b = { 0 };
    uint32_t n, *keys;

    if (selector_label_known(p, name))
        return 0;
    keys = tags_names(p, &n);
    sbuf_add(&b, "no sample has label '", 21);
    add_escaped(&b, name);
    sbuf_add(&b, n ? "'; labels: " : "'; the samples have no labels", n ? 11 : 29);
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            sbuf_add(&b, ", ", 2);
        add_escaped(&b, profile_str(p, keys[i]));
    }
    snprintf(msg, size, "%.*s", (int)b.len, b.s);
    free(keys);
    sbuf_free(&b);
    return 1;
}

/* Values listed at most in a hint: a label such as a pod's name may take
 * thousands, and the hint is one line. */
#define HINT_VALUES 10

/* Whether some label set's value of key (its last label of that key, as
 * tags_values reads it) is value. Every query with an = matcher asks it:
 * it stops at the first such set, and compares string ids, where listing
 * every value of a label (a pass over all label sets, a number formatted
 * and interned for each numeric one) took several ms on the bench
 * profile; only a value no set has (a typo) lists them, for the hint. */
static int some_set_has(const struct profile *p, uint32_t key, const char *value)
{
    uint32_t id = strtab_find(&p->strings, value, strlen(value));

    for (uint32_t set = 0; set < p->nsets; set++) {
        uint32_t count;
        const struct label *l = profile_set_labels(p, set, &count), *last = NULL;
        char num[32];

        for (uint32_t i = 0; i < count; i++)
            if (l[i].key == key)
                last = &l[i];
        if (!last)
            continue;
        if (last->str ? last->str == id :
            (snprintf(num, sizeof num, "%" PRId64, last->num), !strcmp(num, value)))
            return 1;
    }
    return 0;
}

/* 'no sample has region="eu-nort"; region has: eu-north, us-east' when the
 * label is known but no sample has that value (an = matcher's typo; "" is
 * not a typo: it asks for samples without the label). */
static int value_hint(struct profile *p, const struct matcher *m, char *msg, size_t size)
{
    uint32_t key = strtab_find(&p->strings, m->name, strlen(m->name)), n, *vals;
    struct sbuf b = { 0 };
    int found = 0;

    if (m->op != MATCH_EQ || !*m->value || key == UINT32_MAX || some_set_has(p, key, m->value))
        return 0;
    vals = tags_values(p, key, &n);
    for (uint32_t i = 0; i < n && !found; i++)
        found = !strcmp(profile_str(p, vals[i]), m->value);
    if (!found) {
        sbuf_add(&b, "no sample has ", 14);
        add_escaped(&b, m->name);
        sbuf_add(&b, "=\"", 2);
        add_escaped(&b, m->value);
        sbuf_add(&b, "\"; ", 3);
        add_escaped(&b, m->name);
        sbuf_add(&b, " has: ", 6);
        for (uint32_t i = 0; i < n && i <= HINT_VALUES; i++) {
            if (i)
                sbuf_add(&b, ", ", 2);
            if (i == HINT_VALUES)
                sbuf_add(&b, "...", 3);
            else
                add_escaped(&b, profile_str(p, vals[i]));
        }
        snprintf(msg, size, "%.*s", (int)b.len, b.s);
        sbuf_free(&b);
    }
    free(vals);
    return !found;
}

int selector_unknown_label(const struct selector *s, struct profile *p, char *msg, size_t size)
{
    for (size_t i = 0; i < s->n; i++)
        if (selector_label_hint(p, s->m[i].name, msg, size) ||
            value_hint(p, &s->m[i], msg, size))
            return 1;
    return 0;
}

/* RFC 3339 in UTC, to the second ("2026-11-24T05:00:00Z"). */
static void format_time(int64_t ns, char *buf, size_t size)
{
    time_t t = (time_t)(ns / 1000000000LL - (ns % 1000000000LL < 0));
    struct tm tm;

    if (!gmtime_r(&t, &tm) || !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(buf, size, "%" PRId64 "ns", ns);
}

int selector_range_hint(const struct selector *s, const struct profile *p, char *msg, size_t size)
{
    int64_t first = INT64_MAX, last = INT64_MIN;
    char a[64], b[64];

    if (!p->nsources || (s->from == INT64_MIN && s->until == INT64_MAX))
        return 0;
    for (uint32_t i = 0; i < p->nsources; i++) {
        int64_t t = p->sources[i].time_nanos;

        if (t >= s->from && t <= s->until)
            return 0;
        first = t < first ? t : first;
        last = t > last ? t : last;
    }
    format_time(first, a, sizeof a);
    format_time(last, b, sizeof b);
    if (first == last)
        snprintf(msg, size, "no profile in the time range; the only profile was taken at %s", a);
    else
        snprintf(msg, size, "no profile in the time range; the profiles span %s to %s", a, b);
    return 1;
}

int selector_types_present(const struct profile *p, const struct filter *f, uint8_t *has)
{
    int count = 0;

    memset(has, 0, p->ntypes);
    for (size_t i = 0; i < p->nsamples; i++) {
        if (!filter_keeps(f, &p->samples[i]))
            continue;
        for (uint32_t t = 0; t < p->ntypes; t++)
            if (!has[t] && profile_value(p, i, t)) {
                has[t] = 1;
                count++;
            }
    }
    return count;
}
