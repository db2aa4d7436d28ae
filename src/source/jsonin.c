#include "jsonin.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "xalloc.h"

/* jansson takes one pair of allocation functions for the whole process;
 * these count each thread's live bytes, and refuse past the limit the
 * thread's loader set (0: none), so that a small file of tiny numbers
 * cannot cost many times the model's budget. A header before each block
 * holds its size (16 bytes keep the alignment malloc gives). */
#define HEADER 16
static _Thread_local size_t json_used, json_limit;
static _Thread_local int json_refused;

static void *counted_malloc(size_t n)
{
    size_t *b;

    if (n > SIZE_MAX - HEADER ||
        (json_limit && (n > json_limit || json_used > json_limit - n))) {
        json_refused = 1;
        return NULL;            /* jansson fails the parse: "out of memory" */
    }
    b = xmalloc(n + HEADER);
    *b = n;
    json_used += n;
    return (char *)b + HEADER;
}

static void counted_free(void *p)
{
    size_t *b;

    if (!p)
        return;
    b = (size_t *)(void *)((char *)p - HEADER);
    json_used = json_used > *b ? json_used - *b : 0;
    free(b);
}

static void set_alloc(void)
{
    json_set_alloc_funcs(counted_malloc, counted_free);
}

int jsonin_sniff(const uint8_t *d, size_t len)
{
    size_t i = len >= 3 && d[0] == 0xef && d[1] == 0xbb && d[2] == 0xbf ? 3 : 0;

    while (i < len && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r'))
        i++;
    return i < len && d[i] == '{';
}

int jsonin_int(const json_t *v, int64_t *out)
{
    const char *s;
    char *end;
    long long n;

    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return 0;
    }
    if (!json_is_string(v))
        return -1;
    s = json_string_value(v);
    if (!*s || (*s != '-' && (*s < '0' || *s > '9')) || strlen(s) != json_string_length(v))
        return -1;
    errno = 0;
    n = strtoll(s, &end, 10);
    if (*end || errno)
        return -1;
    *out = n;
    return 0;
}

/* What the model's budget leaves for the parse (0: no limit; else at
 * least a byte, so that a full budget refuses at once). */
static size_t json_room(const struct profile *p)
{
    uint64_t cost = profile_cost(p);

    if (!p->budget)
        return 0;
    if (cost >= p->budget)
        return 1;
    return p->budget - cost > SIZE_MAX ? SIZE_MAX : (size_t)(p->budget - cost);
}

/* Which format the document is, by its keys. */
static int dispatch(struct profile *p, uint32_t name, const json_t *doc, char *err)
{
    if (json_object_get(doc, "flamebearer"))
        return flamebearer_load(p, name, doc, err);
    if (json_object_get(doc, "flamegraph"))
        return connect_flamegraph_load(p, name, doc, err);
    if (json_object_get(doc, "profiles") && json_object_get(doc, "shared"))
        return speedscope_load(p, name, doc, err);
    snprintf(err, SOURCE_ERR_MAX, "JSON, but no profile: neither Pyroscope's flamebearer "
             "(\"flamebearer\" or \"flamegraph\") nor speedscope (\"shared\", \"profiles\")");
    return SOURCE_NOT_PROFILE;
}

int jsonin_load(struct profile *p, uint32_t name, const uint8_t *data, size_t len, char *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    json_error_t je;
    json_t *doc;
    int r;

    pthread_once(&once, set_alloc);
    json_limit = json_room(p);
    json_refused = 0;
    doc = json_loadb((const char *)data, len, JSON_REJECT_DUPLICATES, &je);
    json_limit = 0;
    if (!doc) {
        if (json_refused)
            snprintf(err, SOURCE_ERR_MAX, "the JSON needs more than %" PRIu64 " MiB of memory "
                     "(limit %d x --max-size; --max-size raises it)", p->budget >> 20,
                     PROFILE_BUDGET_PER_MAX);
        else
            snprintf(err, SOURCE_ERR_MAX, "JSON line %d column %d: %.300s", je.line, je.column,
                     je.text);
        return -1;
    }
    if (!json_is_object(doc)) {
        json_decref(doc);
        snprintf(err, SOURCE_ERR_MAX, "JSON, but no profile: not an object");
        return SOURCE_NOT_PROFILE;
    }
    r = dispatch(p, name, doc, err);
    json_decref(doc);
    return r;
}
