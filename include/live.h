/* Live profiling (issue 10): what the command line asks of the endpoints
 * it fetches from (parsed in main.c), and recording what was fetched.
 * The explorer's live data set (ds_live_new, dataset.h) and the batch
 * recorder (main.c) take these options. */
#ifndef EMBER_LIVE_H
#define EMBER_LIVE_H

#include <stddef.h>
#include <stdint.h>

#include "fetch.h"

#define LIVE_DEFAULT_SECONDS 10

struct live_options {
    const char **urls;          /* the URLs to fetch (fetch_url_for applied) */
    int nurls;
    int seconds;                /* --seconds: a CPU profile's duration */
    int64_t every_ns;           /* --every: 0 fetches once */
    int64_t keep_ns;            /* --keep: drop steps older than this; 0: no */
    uint32_t keep_steps;        /* --keep-steps: at most this many per URL; 0: no */
    const char *record_dir;     /* --record: NULL when not */
    struct fetch_options fetch; /* timeouts and --max-size */
};

/* Writes body (exactly as received) into dir as a file named by its time
 * and source, atomically (a temporary file renamed into place, never over
 * an existing file); stores the name in path. Returns 0, or -1 with the
 * reason in err. */
int record_write(const char *dir, const char *source, int64_t time_ns, const uint8_t *body,
                 size_t len, char *path, size_t npath, char *err, size_t nerr);

#endif
