/* Work split in two halves, one a core: the large passes over the trie
 * and the samples, bound by memory, which two cores read faster than
 * one. */
#ifndef EMBER_TWO_CORES_H
#define EMBER_TWO_CORES_H

/* fn(lo) on this thread while fn(hi) runs on a second one; returns when
 * both are done. With no thread to be had, fn(hi) then fn(lo) here. */
void two_cores(void *(*fn)(void *), void *lo, void *hi);

#endif
