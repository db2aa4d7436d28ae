/* libFuzzer harness for the JSON imports (flamebearer, the Connect answer,
 * speedscope: src/source/jsonin.c and the two importers), called directly
 * so that every input reaches them (fuzz_source's sniffing sends most
 * bytes elsewhere). Whatever loads must also sum and tabulate. Build and
 * run: make fuzz-json (FUZZ_SECONDS=60), seeded with tests/data/json. */
#include <stddef.h>
#include <stdlib.h>
#include <stdint.h>

#include "fuzz_tabulate.h"
#include "jsonin.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    char err[SOURCE_ERR_MAX];
    struct profile p;

    profile_init(&p);
    p.budget = (uint64_t)256 << 20;     /* what --max-size 64M gives a file */
    if (jsonin_load(&p, profile_intern(&p, "fuzz", 4), data, len, err) == 0)
        fuzz_tabulate(&p);
    profile_free(&p);
    return 0;
}
