/* Whether two models loaded from the same bytes are the same: strings,
 * frames, the trie, samples, their values and label sets, id for id. The
 * pprof decoder's tests and fuzz_source load a file through sample_decode
 * and through sample_decode_reference (protobuf-c) and compare. */
#ifndef EMBER_MODEL_CMP_H
#define EMBER_MODEL_CMP_H

#include <stdio.h>
#include <string.h>

#include "profile.h"

/* 0 when a and b are the same; else 1 with what differs in why. */
static inline int model_diff(const struct profile *a, const struct profile *b, char *why,
                             size_t n)
{
#define MODEL_DIFF(cond, ...) do { if (cond) { snprintf(why, n, __VA_ARGS__); return 1; } } while (0)
    MODEL_DIFF(a->strings.count != b->strings.count, "strings %u / %u", a->strings.count,
               b->strings.count);
    for (uint32_t i = 0; i < a->strings.count; i++)
        MODEL_DIFF(strcmp(profile_str(a, i), profile_str(b, i)), "string %u", i);
    MODEL_DIFF(a->nframes != b->nframes, "frames %u / %u", a->nframes, b->nframes);
    for (uint32_t i = 0; i < a->nframes; i++) {
        const struct frame *x = &a->frames[i], *y = &b->frames[i];

        /* field by field: a frame has padding */
        MODEL_DIFF(x->name != y->name || x->file != y->file || x->line != y->line ||
                   x->func != y->func || x->object != y->object || x->addr != y->addr ||
                   x->sample_line != y->sample_line || x->start_line != y->start_line ||
                   x->grans != y->grans, "frame %u", i);
    }
    MODEL_DIFF(a->trie.count != b->trie.count, "nodes %u / %u", a->trie.count, b->trie.count);
    for (uint32_t i = 0; i < a->trie.count; i++)
        MODEL_DIFF(a->trie.node[i].parent != b->trie.node[i].parent ||
                   a->trie.node[i].frame != b->trie.node[i].frame, "node %u", i);
    MODEL_DIFF(a->ntypes != b->ntypes, "types %u / %u", a->ntypes, b->ntypes);
    MODEL_DIFF(a->nsamples != b->nsamples, "samples %zu / %zu", a->nsamples, b->nsamples);
    for (size_t s = 0; s < a->nsamples; s++) {
        MODEL_DIFF(a->samples[s].node != b->samples[s].node ||
                   a->samples[s].labels != b->samples[s].labels ||
                   a->samples[s].source != b->samples[s].source, "sample %zu", s);
        for (uint32_t t = 0; t < a->ntypes; t++)
            MODEL_DIFF(profile_value(a, s, t) != profile_value(b, s, t),
                       "sample %zu type %u: %lld / %lld", s, t,
                       (long long)profile_value(a, s, t), (long long)profile_value(b, s, t));
    }
    MODEL_DIFF(a->nsets != b->nsets, "label sets %u / %u", a->nsets, b->nsets);
    for (uint32_t s = 0; s < a->nsets; s++) {
        uint32_t na, nb;
        const struct label *la = profile_set_labels(a, s, &na), *lb = profile_set_labels(b, s, &nb);

        MODEL_DIFF(na != nb || (na && memcmp(la, lb, na * sizeof *la)), "label set %u", s);
    }
#undef MODEL_DIFF
    return 0;
}

#endif
