/* Time: the data set's profiles placed on a line of buckets, the series of
 * a query over them, and per label value statistics (the tag explorer). */
#ifndef EMBER_TIMELINE_H
#define EMBER_TIMELINE_H

#include <stdint.h>

#include "profile.h"
#include "selector.h"

#define TIMELINE_NONE UINT32_MAX

/* Only the profiles that have the timeline's sample type are on it: in a
 * folder of CPU and heap profiles, the heap snapshots are no CPU steps. */
struct timeline {
    int64_t start, end;         /* nanoseconds: its first and last profile */
    uint32_t buckets;           /* 0 when its profiles all have the same time */
    uint32_t profiles;          /* how many profiles are on it */
    uint32_t *bucket_of;        /* per source; TIMELINE_NONE: not on it */
    uint32_t *in_bucket;        /* per bucket: its profiles (0: a gap, no data,
                                 * not a zero); NULL when buckets is 0 */
    int span;                   /* timeline_span: buckets of time, no profile on it */
};

/* The number of distinct times among the profiles that have sample type
 * `type`: one step per capture. */
uint32_t timeline_distinct(const struct profile *p, uint32_t type);
/* Spreads [first, last] time of the profiles that have sample type `type`
 * over n buckets. */
void timeline_init(struct timeline *t, const struct profile *p, uint32_t type, uint32_t n);
void timeline_free(struct timeline *t);
/* A timeline of n equal buckets of time over [start, end] that no profile
 * of p is on (a server's query range: its series come from the server). */
void timeline_span(struct timeline *t, const struct profile *p, int64_t start, int64_t end,
                   uint32_t n);
/* The time at which bucket b starts. */
int64_t timeline_time(const struct timeline *t, uint32_t b);
/* The buckets of the first and last profile on the timeline taken in
 * [from, until]; returns how many there are (0: lo and hi span it all).
 * On a timeline_span: the buckets [from, until] overlaps. */
uint32_t timeline_range(const struct timeline *t, const struct profile *p, int64_t from,
                        int64_t until, uint32_t *lo, uint32_t *hi);

/* Sums sample type `type` of the samples f keeps, per bucket (samples of
 * profiles not on the timeline are left out). */
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
/* The same, of the samples of the profiles on t only (t NULL: all). */
uint32_t *tags_names_on(struct profile *p, const struct timeline *t, uint32_t *n);

/* Every value label `key` takes in the data set, as tags_group names them
 * (numbers in decimal), sorted by name; caller frees. */
uint32_t *tags_values(struct profile *p, uint32_t key, uint32_t *n);

/* Groups the samples f keeps by their value of label `key` (samples without
 * it, or of profiles not on t, are left out), with each group's series, total, mean and population
 * standard deviation over the buckets. Caller frees with tags_free_rows. */
struct tag_row *tags_group(struct profile *p, uint32_t type, const struct filter *f, uint32_t key,
                           const struct timeline *t, uint32_t *nrows);
void tags_free_rows(struct tag_row *rows, uint32_t n);
/* Sets r's mean and population standard deviation over its n buckets (as
 * tags_group does): for rows whose series came from elsewhere (a server). */
void tags_row_stats(struct tag_row *r, uint32_t n);

#endif
