/* libFuzzer harness for everything that parses untrusted bytes: the
 * decompressors, the pprof decoder and the folded parser, through the same
 * entry point a file takes. Build and run: make fuzz (FUZZ_SECONDS=60). */
#include <stddef.h>
#include <stdlib.h>
#include <stdint.h>

#include "query.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    static const struct load_options opts = { .max_size = 64 << 20 };
    char err[SOURCE_ERR_MAX];
    struct profile p;

    profile_init(&p);
    if (source_load_buffer(&p, "fuzz", data, len, &opts, err) == 0) {
        /* Whatever loads must also sum and tabulate without fault. */
        int64_t *total;
        struct flat f;

        profile_finish(&p);
        total = calloc(p.trie.count, sizeof *total);
        query_totals(&p, p.default_type, NULL, total);
        flat_build(&p, p.default_type, NULL, total, &f);
        flat_free(&f);
        free(total);
    }
    profile_free(&p);
    return 0;
}
