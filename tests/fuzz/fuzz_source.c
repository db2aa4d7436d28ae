/* libFuzzer harness for everything that parses untrusted bytes: the
 * decompressors, the pprof decoder and the folded parser, through the same
 * entry point a file takes, at every granularity (chosen by the input's
 * length, so the seeds stay the fixtures' bytes). Build and run: make fuzz
 * (FUZZ_SECONDS=60). */
#include <stddef.h>
#include <stdlib.h>
#include <stdint.h>

#include "fuzz_tabulate.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    const struct load_options opts = { .max_size = 64 << 20,
                                       .granularity = (enum granularity)(len % GRAN_COUNT) };
    char err[SOURCE_ERR_MAX];
    struct profile p;

    profile_init(&p);
    if (source_load_buffer(&p, "fuzz", data, len, &opts, err) == 0)
        fuzz_tabulate(&p);
    profile_free(&p);
    return 0;
}
