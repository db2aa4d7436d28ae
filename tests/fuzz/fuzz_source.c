/* libFuzzer harness for everything that parses untrusted bytes: the
 * decompressors, the pprof decoder and the folded parser, through the same
 * entry point a file takes, at every granularity (chosen by the input's
 * length, so the seeds stay the fixtures' bytes). Each input is loaded a
 * second time with pprof's samples decoded through libprotobuf-c
 * (sample_decode_reference): the answer, the message and the model must be
 * the same, or it aborts. Build and run: make fuzz (FUZZ_SECONDS=60). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_tabulate.h"
#include "model_cmp.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    struct load_options opts = { .max_size = 64 << 20,
                                 .granularity = (enum granularity)(len % GRAN_COUNT) };
    char err[SOURCE_ERR_MAX] = "", ref_err[SOURCE_ERR_MAX] = "", why[128];
    struct profile p, ref;
    int r, rr;

    profile_init(&p);
    profile_init(&ref);
    r = source_load_buffer(&p, "fuzz", data, len, &opts, err);
    opts.reference_decoder = 1;
    rr = source_load_buffer(&ref, "fuzz", data, len, &opts, ref_err);
    if (r != rr || strcmp(err, ref_err) || model_diff(&p, &ref, why, sizeof why)) {
        fprintf(stderr, "sample decoders differ: %d \"%s\" / reference %d \"%s\" (%s)\n", r, err,
                rr, ref_err, r == rr && !strcmp(err, ref_err) ? why : "answer");
        abort();
    }
    if (r == 0)
        fuzz_tabulate(&p);
    profile_free(&p);
    profile_free(&ref);
    return 0;
}
