/* The Pyroscope client's codec: requests into protobuf bytes, answers into
 * plain C structs, error bodies into one line. Pure functions over bytes
 * (pyro.h), so that unit tests and a fuzzer reach them without a network. */
#include "pyro.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "querier.pb-c.h"
#include "text.h"
#include "types.pb-c.h"
#include "xalloc.h"

#define QUERIER "/querier.v1.QuerierService/"

/* Each method's path; its name is the part after QUERIER. */
static const char *const paths[PYRO_METHODS] = {
    [PYRO_PROFILE_TYPES] = QUERIER "ProfileTypes",
    [PYRO_LABEL_NAMES] = QUERIER "LabelNames",
    [PYRO_LABEL_VALUES] = QUERIER "LabelValues",
    [PYRO_SERIES] = QUERIER "Series",
    [PYRO_SELECT_MERGE_PROFILE] = QUERIER "SelectMergeProfile",
    [PYRO_SELECT_SERIES] = QUERIER "SelectSeries",
};

#define method_name(m) (paths[m] + sizeof QUERIER - 1)

const char *pyro_method_path(enum pyro_method m)
{
    return (unsigned)m < PYRO_METHODS ? paths[m] : NULL;
}

/* ---- requests ---- */

/* protobuf-c's repeated strings are char **; the request only reads them. */
static char **strings(const char *const *v)
{
    return (char **)(uintptr_t)v;
}

static char *string(const char *s)
{
    return (char *)(uintptr_t)(s ? s : "");
}

static const char *selector_of(const struct pyro_ask *q)
{
    return q->selector && *q->selector ? q->selector : "{}";
}

/* Packs m (any generated message) into a malloc'd buffer. */
static void pack(const ProtobufCMessage *m, uint8_t **body, size_t *len)
{
    *len = protobuf_c_message_get_packed_size(m);
    *body = xmalloc(*len + 1);
    protobuf_c_message_pack(m, *body);
}

static void pack_select(const struct pyro_ask *q, uint8_t **body, size_t *len)
{
    if (q->method == PYRO_SELECT_MERGE_PROFILE) {
        Querier__V1__SelectMergeProfileRequest r = QUERIER__V1__SELECT_MERGE_PROFILE_REQUEST__INIT;

        r.profile_typeid = string(q->type_id);
        r.label_selector = string(selector_of(q));
        r.start = q->start_ms;
        r.end = q->end_ms;
        pack(&r.base, body, len);
    } else {
        Querier__V1__SelectSeriesRequest r = QUERIER__V1__SELECT_SERIES_REQUEST__INIT;

        r.profile_typeid = string(q->type_id);
        r.label_selector = string(selector_of(q));
        r.start = q->start_ms;
        r.end = q->end_ms;
        r.n_group_by = (size_t)q->nlabels;
        r.group_by = strings(q->labels);
        r.step = q->step_s;
        r.aggregation = q->aggregation == PYRO_AVERAGE
                            ? TYPES__V1__TIME_SERIES_AGGREGATION_TYPE__TIME_SERIES_AGGREGATION_TYPE_AVERAGE
                            : TYPES__V1__TIME_SERIES_AGGREGATION_TYPE__TIME_SERIES_AGGREGATION_TYPE_SUM;
        pack(&r.base, body, len);
    }
}

static void pack_labels(const struct pyro_ask *q, uint8_t **body, size_t *len)
{
    if (q->method == PYRO_LABEL_NAMES) {
        Types__V1__LabelNamesRequest r = TYPES__V1__LABEL_NAMES_REQUEST__INIT;

        r.n_matchers = (size_t)q->nmatchers;
        r.matchers = strings(q->matchers);
        r.start = q->start_ms;
        r.end = q->end_ms;
        pack(&r.base, body, len);
    } else if (q->method == PYRO_LABEL_VALUES) {
        Types__V1__LabelValuesRequest r = TYPES__V1__LABEL_VALUES_REQUEST__INIT;

        r.name = string(q->name);
        r.n_matchers = (size_t)q->nmatchers;
        r.matchers = strings(q->matchers);
        r.start = q->start_ms;
        r.end = q->end_ms;
        pack(&r.base, body, len);
    } else {
        Querier__V1__SeriesRequest r = QUERIER__V1__SERIES_REQUEST__INIT;

        r.n_matchers = (size_t)q->nmatchers;
        r.matchers = strings(q->matchers);
        r.n_label_names = (size_t)q->nlabels;
        r.label_names = strings(q->labels);
        r.start = q->start_ms;
        r.end = q->end_ms;
        pack(&r.base, body, len);
    }
}

int pyro_encode(const struct pyro_ask *q, uint8_t **body, size_t *len, char *err, size_t n)
{
    *body = NULL;
    *len = 0;
    if ((unsigned)q->method >= PYRO_METHODS) {
        snprintf(err, n, "no such method (%d)", (int)q->method);
        return -1;
    }
    if (q->nmatchers < 0 || q->nlabels < 0 || (q->nmatchers && !q->matchers) ||
        (q->nlabels && !q->labels)) {
        snprintf(err, n, "%s: bad matcher or label list", method_name(q->method));
        return -1;
    }
    if (q->method != PYRO_PROFILE_TYPES && (!q->start_ms || !q->end_ms)) {
        snprintf(err, n, "%s: a time range is required", method_name(q->method));
        return -1;
    }
    if ((q->method == PYRO_SELECT_MERGE_PROFILE || q->method == PYRO_SELECT_SERIES) &&
        (!q->type_id || !*q->type_id)) {
        snprintf(err, n, "%s: no profile type", method_name(q->method));
        return -1;
    }
    if (q->method == PYRO_PROFILE_TYPES) {
        Querier__V1__ProfileTypesRequest r = QUERIER__V1__PROFILE_TYPES_REQUEST__INIT;

        r.start = q->start_ms;
        r.end = q->end_ms;
        pack(&r.base, body, len);
    } else if (q->method == PYRO_SELECT_MERGE_PROFILE || q->method == PYRO_SELECT_SERIES) {
        pack_select(q, body, len);
    } else {
        pack_labels(q, body, len);
    }
    return 0;
}

/* ---- answers ---- */

void pyro_answer_free(struct pyro_answer *a)
{
    if (!a)
        return;
    for (uint32_t i = 0; i < a->ntypes; i++) {
        struct pyro_type *t = &a->types[i];

        free(t->id), free(t->name), free(t->sample_type), free(t->sample_unit);
        free(t->period_type), free(t->period_unit);
    }
    free(a->types);
    for (uint32_t i = 0; i < a->nnames; i++)
        free(a->names[i]);
    free(a->names);
    for (uint32_t i = 0; i < a->nseries; i++) {
        for (uint32_t j = 0; j < a->series[i].nlabels; j++) {
            free(a->series[i].labels[j].name);
            free(a->series[i].labels[j].value);
        }
        free(a->series[i].labels);
        free(a->series[i].points);
    }
    free(a->series);
    free(a->profile);
    memset(a, 0, sizeof *a);
}

static char *dup_or_empty(const char *s)
{
    return xstrdup(s ? s : "");
}

static void take_types(struct pyro_answer *a, const Querier__V1__ProfileTypesResponse *r)
{
    a->types = xcalloc(r->n_profile_types + 1, sizeof *a->types);
    for (size_t i = 0; i < r->n_profile_types; i++) {
        const Types__V1__ProfileType *t = r->profile_types[i];

        a->types[i] = (struct pyro_type){
            dup_or_empty(t->id), dup_or_empty(t->name), dup_or_empty(t->sample_type),
            dup_or_empty(t->sample_unit), dup_or_empty(t->period_type),
            dup_or_empty(t->period_unit),
        };
    }
    a->ntypes = (uint32_t)r->n_profile_types;
}

static void take_names(struct pyro_answer *a, char **names, size_t n)
{
    a->names = xcalloc(n + 1, sizeof *a->names);
    for (size_t i = 0; i < n; i++)
        a->names[i] = dup_or_empty(names[i]);
    a->nnames = (uint32_t)n;
}

static void take_labels(struct pyro_series *s, Types__V1__LabelPair **l, size_t n)
{
    s->labels = xcalloc(n + 1, sizeof *s->labels);
    for (size_t i = 0; i < n; i++)
        s->labels[i] = (struct pyro_label){ dup_or_empty(l[i]->name), dup_or_empty(l[i]->value) };
    s->nlabels = (uint32_t)n;
}

static void take_label_sets(struct pyro_answer *a, const Querier__V1__SeriesResponse *r)
{
    a->series = xcalloc(r->n_labels_set + 1, sizeof *a->series);
    for (size_t i = 0; i < r->n_labels_set; i++)
        take_labels(&a->series[i], r->labels_set[i]->labels, r->labels_set[i]->n_labels);
    a->nseries = (uint32_t)r->n_labels_set;
}

static void take_series(struct pyro_answer *a, const Querier__V1__SelectSeriesResponse *r)
{
    a->series = xcalloc(r->n_series + 1, sizeof *a->series);
    for (size_t i = 0; i < r->n_series; i++) {
        const Types__V1__Series *s = r->series[i];
        struct pyro_series *o = &a->series[i];

        take_labels(o, s->labels, s->n_labels);
        o->points = xcalloc(s->n_points + 1, sizeof *o->points);
        for (size_t j = 0; j < s->n_points; j++)
            o->points[j] = (struct pyro_point){ s->points[j]->timestamp, s->points[j]->value };
        o->npoints = (uint32_t)s->n_points;
    }
    a->nseries = (uint32_t)r->n_series;
}

/* Reads a base-128 varint at *p (< end); 0 when it runs off the end or
 * past ten bytes. */
static int varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
    *v = 0;
    for (int shift = 0; shift < 70 && *p < end; shift += 7) {
        uint8_t b = *(*p)++;

        *v |= (uint64_t)(b & 0x7f) << (shift < 64 ? shift : 63);
        if (!(b & 0x80))
            return 1;
    }
    return 0;
}

/* Whether data is a well-formed protobuf message at its top level as the
 * pprof loader (pprof.c's next_field and collect) reads one: any field
 * number (unknown ones are skipped), wire types 0, 1, 2 and 5, and the
 * message fields (sample_type 1 to string_table 6, period_type 11) only
 * length-delimited; scalars in any of the four, as google/pprof writes a
 * profile's one or two comments (13) unpacked. A bounded scan that tells
 * garbage from a profile before the loader spends memory on it. */
static int looks_like_pprof(const uint8_t *data, size_t len)
{
    const uint8_t *p = data, *end = data + len;

    while (p < end) {
        uint64_t key, v;
        uint64_t field;
        unsigned wire;

        if (!varint(&p, end, &key) || key >> 32 || !(field = key >> 3))
            return 0;
        wire = (unsigned)(key & 7);
        if ((field <= 6 || field == 11) && wire != 2)
            return 0;
        if (wire == 0) {
            if (!varint(&p, end, &v))
                return 0;
        } else if (wire == 1 || wire == 5) {
            if ((size_t)(end - p) < (wire == 1 ? 8u : 4u))
                return 0;
            p += wire == 1 ? 8 : 4;
        } else if (wire == 2) {
            if (!varint(&p, end, &v) || v > (uint64_t)(end - p))
                return 0;
            p += v;
        } else {
            return 0;
        }
    }
    return 1;
}

static int take_profile(struct pyro_answer *a, const uint8_t *body, size_t len)
{
    /* gzip (1f 8b) or zstd inside: the loader undoes it by magic bytes */
    int packed = len >= 4 && ((body[0] == 0x1f && body[1] == 0x8b) ||
                              (body[0] == 0x28 && body[1] == 0xb5 && body[2] == 0x2f &&
                               body[3] == 0xfd));

    if (!packed && !looks_like_pprof(body, len))
        return -1;
    a->profile = xmalloc(len + 1);
    memcpy(a->profile, body, len);
    a->profile_len = len;
    return 0;
}

static const ProtobufCMessageDescriptor *answer_type(enum pyro_method m)
{
    switch (m) {
    case PYRO_PROFILE_TYPES: return &querier__v1__profile_types_response__descriptor;
    case PYRO_LABEL_NAMES: return &types__v1__label_names_response__descriptor;
    case PYRO_LABEL_VALUES: return &types__v1__label_values_response__descriptor;
    case PYRO_SERIES: return &querier__v1__series_response__descriptor;
    case PYRO_SELECT_SERIES: return &querier__v1__select_series_response__descriptor;
    default: return NULL;
    }
}

/* The decoded message's fields into out. */
static void take(enum pyro_method m, const ProtobufCMessage *msg, struct pyro_answer *out)
{
    switch (m) {
    case PYRO_PROFILE_TYPES:
        take_types(out, (const Querier__V1__ProfileTypesResponse *)msg);
        break;
    case PYRO_LABEL_NAMES: {
        const Types__V1__LabelNamesResponse *r = (const void *)msg;

        take_names(out, r->names, r->n_names);
        break;
    }
    case PYRO_LABEL_VALUES: {
        const Types__V1__LabelValuesResponse *r = (const void *)msg;

        take_names(out, r->names, r->n_names);
        break;
    }
    case PYRO_SERIES:
        take_label_sets(out, (const Querier__V1__SeriesResponse *)msg);
        break;
    default:
        take_series(out, (const Querier__V1__SelectSeriesResponse *)msg);
        break;
    }
}

/* protobuf-c's memory for one decode: an allocator that refuses past a
 * budget, so that a small hostile answer (a million empty messages, two
 * bytes each, that unpack into 130 bytes each) fails instead of costing
 * gigabytes. The budget counts every allocation as it is asked for (with
 * malloc's overhead), protobuf-c's scan records of each field too: a real
 * answer needs at most about 20 times its size (a one-letter label value:
 * 3 bytes sent, 58 asked for; a point: 18 bytes, about 110; a type of six
 * short strings: about 4 times), a flood of empty messages 48 times or
 * more. The copy into the plain structs is about as big as what protobuf-c
 * holds. */
#define DECODE_TIMES 32
#define DECODE_SLACK ((size_t)64 << 10)
#define MALLOC_OVERHEAD 16

struct budget {
    size_t left;
    int refused;
};

static void *budget_alloc(void *data, size_t size)
{
    struct budget *b = data;

    if (size > b->left || b->left - size < MALLOC_OVERHEAD) {
        b->refused = 1;
        return NULL;            /* protobuf-c fails the unpack */
    }
    b->left -= size + MALLOC_OVERHEAD;
    return xmalloc(size);
}

static void budget_free(void *data, void *p)
{
    (void)data;
    free(p);
}

/* The counts past which an answer is refused: more than any view shows. */
#define MAX_TYPES 4096u
#define MAX_NAMES (1u << 18)
#define MAX_SERIES (1u << 16)
#define MAX_LABELS 256u          /* of one series */
#define MAX_POINTS (1u << 20)    /* of an answer */

/* The first count of msg (of method m) past its bound, said into err. */
static int over_bounds(enum pyro_method m, const ProtobufCMessage *msg, char *err, size_t n)
{
    const char *what = NULL;
    size_t count = 0, max = 0;

    if (m == PYRO_PROFILE_TYPES) {
        const Querier__V1__ProfileTypesResponse *r = (const void *)msg;

        what = "profile types", count = r->n_profile_types, max = MAX_TYPES;
    } else if (m == PYRO_LABEL_NAMES || m == PYRO_LABEL_VALUES) {
        /* both answers are a repeated string as field 1 */
        const Types__V1__LabelNamesResponse *r = (const void *)msg;

        what = "names", count = r->n_names, max = MAX_NAMES;
    } else if (m == PYRO_SERIES) {
        const Querier__V1__SeriesResponse *r = (const void *)msg;

        what = "series", count = r->n_labels_set, max = MAX_SERIES;
        for (size_t i = 0; i < r->n_labels_set && count <= max; i++)
            if (r->labels_set[i]->n_labels > MAX_LABELS)
                what = "labels in a series", count = r->labels_set[i]->n_labels, max = MAX_LABELS;
    } else {
        const Querier__V1__SelectSeriesResponse *r = (const void *)msg;
        size_t points = 0;

        what = "series", count = r->n_series, max = MAX_SERIES;
        for (size_t i = 0; i < r->n_series && count <= max; i++) {
            points += r->series[i]->n_points;
            if (r->series[i]->n_labels > MAX_LABELS)
                what = "labels in a series", count = r->series[i]->n_labels, max = MAX_LABELS;
            else if (points > MAX_POINTS)
                what = "points", count = points, max = MAX_POINTS;
        }
    }
    if (count <= max)
        return 0;
    snprintf(err, n, "the answer to %s holds too many %s (more than %zu, ember's limit)",
             method_name(m), what, max);
    return 1;
}

int pyro_decode(enum pyro_method m, const uint8_t *body, size_t len, struct pyro_answer *out,
                char *err, size_t n)
{
    const ProtobufCMessageDescriptor *d;
    ProtobufCMessage *msg;
    struct budget b = { len <= (SIZE_MAX - DECODE_SLACK) / DECODE_TIMES
                            ? len * DECODE_TIMES + DECODE_SLACK : SIZE_MAX, 0 };
    ProtobufCAllocator alloc = { budget_alloc, budget_free, &b };

    memset(out, 0, sizeof *out);
    out->method = m;
    if ((unsigned)m >= PYRO_METHODS) {
        snprintf(err, n, "no such method (%d)", (int)m);
        return -1;
    }
    if (m == PYRO_SELECT_MERGE_PROFILE) {
        if (take_profile(out, body, len) == 0)
            return 0;
        snprintf(err, n, "the answer to %s is not a profile (%zu bytes of garbage)",
                 method_name(m), len);
        return -1;
    }
    d = answer_type(m);
    msg = protobuf_c_message_unpack(d, &alloc, len, body);
    if (!msg && b.refused) {
        snprintf(err, n, "the answer to %s would take more than %d times its %zu bytes to decode "
                 "(a hostile or broken answer)", method_name(m), DECODE_TIMES, len);
        return -1;
    }
    if (!msg) {
        snprintf(err, n, "the answer to %s does not decode as %s (%zu bytes: garbage or cut "
                 "short)", method_name(m), d->name, len);
        return -1;
    }
    if (over_bounds(m, msg, err, n)) {
        protobuf_c_message_free_unpacked(msg, &alloc);
        return -1;
    }
    take(m, msg, out);
    protobuf_c_message_free_unpacked(msg, &alloc);
    return 0;
}

/* ---- errors ---- */

static int hex4(const uint8_t *p, const uint8_t *end, uint32_t *v)
{
    *v = 0;
    if (end - p < 4)
        return 0;
    for (int i = 0; i < 4; i++) {
        uint8_t c = p[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
                c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

        if (d < 0)
            return 0;
        *v = *v * 16 + (uint32_t)d;
    }
    return 1;
}

/* The JSON string starting at p (after its opening quote), decoded into b
 * (at most max bytes). Returns where it ended, or NULL when unterminated. */
static const uint8_t *json_string(const uint8_t *p, const uint8_t *end, struct sbuf *b, size_t max)
{
    while (p < end && *p != '"') {
        char out[4];
        uint32_t cp;
        size_t k = 1;

        if (*p != '\\') {
            out[0] = (char)*p++;
        } else if (end - p < 2) {
            return NULL;
        } else if (p[1] == 'u' && hex4(p + 2, end, &cp)) {
            k = text_utf8_encode(cp, out);
            p += 6;
        } else {
            const char *from = "nrtbf", *to = "\n\r\t\b\f";
            const char *hit = strchr(from, p[1]);

            out[0] = hit && p[1] ? to[hit - from] : (char)p[1];
            p += 2;
        }
        if (b->len + k <= max)
            sbuf_add(b, out, k);
    }
    return p < end ? p : NULL;
}

/* The value of the string field key ("message") of the JSON object in
 * body, decoded into b; 0 when there is none. A small bounded scan: the
 * key quoted, then ':' and a string; strings are skipped whole, so a key
 * inside a value does not count. */
static int json_field(const uint8_t *body, size_t len, const char *key, struct sbuf *b)
{
    const uint8_t *p = body, *end = body + len;
    size_t klen = strlen(key);

    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    if (p == end || *p != '{')
        return 0;
    while (p < end) {
        if (*p++ != '"')
            continue;
        struct sbuf name = { 0 };
        const uint8_t *q = json_string(p, end, &name, 256);
        int hit = q && name.len == klen && !memcmp(name.s, key, klen);

        sbuf_free(&name);
        if (!q)
            return 0;
        p = q + 1;
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
            p++;
        if (!hit || p == end || *p != ':')
            continue;
        for (p++; p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'); p++)
            ;
        if (p < end && *p == '"' && json_string(p + 1, end, b, len))
            return 1;
    }
    return 0;
}

static const char *status_text(long status)
{
    switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 413: return "Payload Too Large";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 499: return "Client Closed Request";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
    }
}

/* What the server said: the JSON error's message (else its code), else
 * the body's first line, into b, with every secret scrubbed from the whole
 * text before it is cut (to 400 bytes, a first line to 160): a cut first
 * would keep the head of a secret that straddles it. */
static void server_said(const uint8_t *body, size_t len, const char *const *secrets,
                        struct sbuf *b)
{
    size_t i, max = 400;

    if (!body || !len)
        return;
    if (!(json_field(body, len, "message", b) && b->len)) {
        sbuf_free(b);
        if (!(json_field(body, len, "code", b) && b->len)) {
            sbuf_free(b);
            for (i = 0; i < len && body[i] != '\n' && body[i] != '\r'; i++)
                ;
            if (i)
                sbuf_add(b, (const char *)body, i);
            max = 160;
        }
    }
    for (; secrets && *secrets; secrets++)
        fetch_scrub_text(b, *secrets);
    if (b->len > max) {
        b->len = max;
        b->s[max] = '\0';
    }
}

void pyro_error_line(long status, const uint8_t *body, size_t len, const char *const *secrets,
                     char *out, size_t n)
{
    struct sbuf said = { 0 }, line = { 0 };
    char head[64], raw[PYRO_ERR_MAX * 2];
    const char *msg;

    if (!n)
        return;
    server_said(body, len, secrets, &said);
    msg = said.len ? said.s : "(no message)";
    snprintf(head, sizeof head, "%ld%s%s", status, *status_text(status) ? " " : "",
             status_text(status));
    if (status == 401 || status == 403)
        snprintf(raw, sizeof raw, "the server refused the credentials or the tenant (%s: %s)",
                 head, msg);
    else if (status == 404)
        snprintf(raw, sizeof raw, "no Pyroscope API at this URL (404): check the URL and its "
                 "path prefix");
    else if (status >= 500)
        snprintf(raw, sizeof raw, "server error (%s): %s", head, msg);
    else
        snprintf(raw, sizeof raw, "%s: %s", head, msg);
    text_escape(&line, raw, strlen(raw), TEXT_ESCAPE_DISPLAY);
    snprintf(out, n, "%s", line.s ? line.s : "");
    sbuf_free(&said);
    sbuf_free(&line);
}
