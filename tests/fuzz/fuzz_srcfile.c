/* libFuzzer harness for the source files --list and L read (srcfile.h):
 * the bytes as a file (lines split, bounds) and as a recorded path (pprof's
 * trimPath, Go's Clean), then each line escaped as the listing writes it.
 * Run: make fuzz-srcfile. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "srcfile.h"
#include "text.h"

static void paths(const uint8_t *data, size_t len)
{
    char *path = malloc(len + 1), *t, *c;

    memcpy(path, data, len);
    path[len] = '\0';
    t = srcfile_trim(path, len % 2 ? "" : "/build:x/", "/src/proj:rel");
    c = srcfile_clean(t);
    free(c);
    free(t);
    free(path);
}

static char name[64];

/* The one temporary file, removed when the fuzzer exits. */
static void remove_name(void)
{
    if (*name)
        unlink(name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    struct srcfile s;
    char err[512];
    FILE *f;

    paths(data, len);
    if (!*name) {
        snprintf(name, sizeof name, "/tmp/fuzz-srcfile-%d.c", (int)getpid());
        atexit(remove_name);
    }
    if (!(f = fopen(name, "wb")))
        return 0;
    fwrite(data, 1, len, f);
    fclose(f);
    if (srcfile_read(&s, name, NULL, NULL, err, sizeof err) == 0) {
        struct sbuf b = { 0 };
        size_t n;

        for (int64_t i = 0; i <= (int64_t)s.nlines + 1; i++) {
            const char *line = srcfile_line(&s, i, &n);

            if (line)
                text_escape(&b, line, n < SRCFILE_LINE_MAX ? n : SRCFILE_LINE_MAX,
                            TEXT_ESCAPE_DISPLAY);
            b.len = 0;
        }
        sbuf_free(&b);
        srcfile_free(&s);
    }
    return 0;
}
