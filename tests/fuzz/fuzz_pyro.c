/* libFuzzer harness for the Pyroscope client's codec: a server's answer is
 * untrusted bytes. The first byte picks the method, the rest is the body,
 * decoded by pyro_decode (every method) and read by pyro_error_line as an
 * error page; a decoded answer is walked whole. Run: make fuzz-pyro. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pyro.h"

static size_t walk(const struct pyro_answer *a)
{
    size_t n = a->profile_len;

    for (uint32_t i = 0; i < a->ntypes; i++)
        n += strlen(a->types[i].id) + strlen(a->types[i].sample_type) +
             strlen(a->types[i].period_unit);
    for (uint32_t i = 0; i < a->nnames; i++)
        n += strlen(a->names[i]);
    for (uint32_t i = 0; i < a->nseries; i++) {
        for (uint32_t j = 0; j < a->series[i].nlabels; j++)
            n += strlen(a->series[i].labels[j].name) + strlen(a->series[i].labels[j].value);
        for (uint32_t j = 0; j < a->series[i].npoints; j++)
            n += (size_t)a->series[i].points[j].ts_ms;
    }
    return n;
}

/* secrets to scrub from every message (short and long, both forms) */
static const char *const secrets[] = { "user:hunter2-long", ":tok", NULL };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    struct pyro_answer a;
    char err[PYRO_ERR_MAX], line[PYRO_ERR_MAX];
    volatile size_t sink;

    if (!len)
        return 0;
    enum pyro_method m = (enum pyro_method)(data[0] % PYRO_METHODS);

    if (pyro_decode(m, data + 1, len - 1, &a, err, sizeof err) == 0) {
        sink = walk(&a);
        (void)sink;
        pyro_answer_free(&a);
    }
    pyro_error_line(400 + data[0], data + 1, len - 1, secrets, line, sizeof line);
    if (memchr(line, '\n', strlen(line)))
        __builtin_trap();       /* one line, always */
    return 0;
}
