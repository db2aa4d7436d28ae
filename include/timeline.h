/* Time: the data set's profiles placed on a line of buckets, the series of
 * a query over them, and per label value statistics (the tag explorer). */
#ifndef EMBER_TIMELINE_H
#define EMBER_TIMELINE_H

#include <stdint.h>

#include "profile.h"
#include "selector.h"

struct timeline {
    int64_t start, end;         /* nanoseconds: the first and last profile */
    uint32_t buckets;           /* 0 when every profile has the same time */
    uint32_t *bucket_of;        /* per source */
};

/* Spreads [first, last] profile time over n buckets. */
void timeline_init(struct timeline *t, const struct profile *p, uint32_t n);
void timeline_free(struct timeline *t);
/* The time at which bucket b starts. */
int64_t timeline_time(const struct timeline *t, uint32_t b);

/* Sums sample type `type` of the samples f keeps, per bucket. */
void timeline_series(const struct timeline *t, const struct profile *p, uint32_t type,
                     const struct filter *f, int64_t *series);

/* One value of the grouping label. */
struct tag_row {
    uint32_t value;             /* string id of the value ("512" for numbers) */
    int64_t total;
    double mean, stddev;        /* over the buckets; empty ones count as zero */
    int64_t *series;            /* buckets entries (at least one) */
};

/* Every label name of the data set, sorted; caller frees. */
uint32_t *tags_names(struct profile *p, uint32_t *n);

/* Groups the samples f keeps by their value of label `key` (samples without
 * it are left out), with each group's series, total, mean and population
 * standard deviation over the buckets. Caller frees with tags_free_rows. */
struct tag_row *tags_group(struct profile *p, uint32_t type, const struct filter *f, uint32_t key,
                           const struct timeline *t, uint32_t *nrows);
void tags_free_rows(struct tag_row *rows, uint32_t n);

#endif
