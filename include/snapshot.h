/* Snapshots over time: Go's heap, mutex and block profiles hold counts
 * since the process started (cumulative) or the state at one instant, so a
 * series of them is not summed like CPU profiles. A series is the
 * snapshots of one origin (struct source.origin). No I/O here. */
#ifndef EMBER_SNAPSHOT_H
#define EMBER_SNAPSHOT_H

#include <stdint.h>

#include "profile.h"

enum snapshot_kind {
    SNAPSHOT_SUM,               /* summed over time: CPU, wall, anything else */
    SNAPSHOT_CUMULATIVE,        /* counted since the start: deltas between snapshots */
    SNAPSHOT_INSTANT,           /* the state at the snapshot's time: averaged */
};

/* How sample type `type` aggregates over time, by its name. */
enum snapshot_kind snapshot_kind(const struct profile *p, uint32_t type);

/* Turns source `source`'s cumulative values into deltas from the previous
 * snapshot of its origin settled before it. Call once per source, in time
 * order within an origin, after its samples are loaded. Nothing changes
 * for a source of origin 0, the first of its origin, or one whose delta
 * would go negative somewhere (the process restarted: a new series starts
 * with its values as they are). */
void snapshot_settle(struct profile *p, uint32_t source);

/* Whether source `source` is the baseline of its series for type `type`:
 * the first snapshot of a series of several, for a cumulative type. Its
 * counts since the start are no step (what came before it is unknown):
 * queries leave it out of sums and the timeline shows no step there. A
 * single snapshot, or the first after a restart, is no baseline. */
int snapshot_is_baseline(const struct profile *p, uint32_t source, uint32_t type);

/* The origin id of a folder's file: the folder with the source's sample
 * types and period type, so that only like profiles form a series. */
uint32_t snapshot_folder_origin(struct profile *p, const char *dir, uint32_t source);

/* profile_drop_sources renumbered the sources (renum[old] is the new index
 * of a source not dropped): each series' baseline follows its source. */
void snapshot_renumber(struct profile *p, const uint8_t *drop, const uint32_t *renum);

/* Frees what snapshot_settle keeps between calls (profile_free calls it). */
void snapshot_free(struct profile *p);

#endif
