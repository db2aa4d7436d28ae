/* How the diff view colors a frame: Pyroscope's normalized change. */
#ifndef EMBER_DIFF_H
#define EMBER_DIFF_H

#include <stdint.h>

#define DIFF_LEVELS 5           /* intensity steps on each side of neutral */

/* v as a percentage of total (0 when total is 0). */
double diff_share(int64_t v, int64_t total);

/* The relative change of a frame's share of its side's total, from the
 * baseline to the comparison, in percent of the baseline share, not
 * clamped: +48 when 3.81% became 5.63%; HUGE_VAL for a frame only in the
 * comparison (new), -100 for one only in the baseline (gone). */
double diff_relative(int64_t base, int64_t base_total, int64_t cmp, int64_t cmp_total);

/* The change of a frame's share of its own side's total, in percent of the
 * baseline share, clamped to [-100, 100]: new frames are +100, removed ones
 * -100, and a share that did not move is 0. Different durations and sample
 * counts compare fairly because each side is normalized by its own total. */
double diff_change(int64_t base, int64_t base_total, int64_t cmp, int64_t cmp_total);

/* The color step for a change: -DIFF_LEVELS (shrank most, green) through 0
 * (within +-10%, neutral) to +DIFF_LEVELS (grew most, red). */
int diff_level(double change);

#endif
