/* Reading a profile's source file for the source view and --list, as
 * pprof's -list finds it: the path as recorded (trimmed), else under each
 * directory of the search path and their parents. Bounded: a file that is
 * not a regular file (a FIFO, a device) is not read, one larger than
 * SRCFILE_MAX_BYTES is read that far, one with a NUL byte in its first
 * SRCFILE_SNIFF bytes is binary and not shown. */
#ifndef EMBER_SRCFILE_H
#define EMBER_SRCFILE_H

#include <stddef.h>
#include <stdint.h>

#define SRCFILE_MAX_BYTES (16u << 20)   /* below 4 GiB: line offsets are 32-bit */
#define SRCFILE_SNIFF 65536
/* Longer lines are cut there (shown followed by "..."). */
#define SRCFILE_LINE_MAX 4096

struct srcfile {
    char *data;                 /* the bytes read (NULL: none) */
    /* line i (1-based) is data[start[i-1] .. end): 4 bytes a line (the
     * bytes read fit in 32 bits), 64 MiB for a file of 16 Mi newlines */
    uint32_t *start;
    size_t nlines;
    size_t len;
    int truncated;              /* the file goes on past what was read */
};

/* pprof's trimPath: with no trim list, the text after the first
 * "/BASE/" of a search directory's base name; else the path without the
 * first prefix of trim (':'-separated, each taken as ending in '/') or of
 * /proc/self/cwd/; else path. Returns a new string. */
char *srcfile_trim(const char *path, const char *trim, const char *search);

/* Go's filepath.Clean of path (pprof cleans a function's file name).
 * Returns a new string. */
char *srcfile_clean(const char *path);

/* Opens file (a profile's recorded name) as pprof does, with search the
 * ':'-separated directories (NULL or "": the working directory) and trim
 * the prefixes to drop. Returns 0, or -1 with the reason in err as pprof
 * words it ("could not find file F on path P", "open F: REASON") or a
 * reason of ember's ("F: not a regular file", "F: a binary file"). */
int srcfile_read(struct srcfile *s, const char *file, const char *search, const char *trim,
                 char *err, size_t errlen);

/* Line n's bytes (without its newline) and their length, or NULL past the
 * lines read. */
const char *srcfile_line(const struct srcfile *s, int64_t n, size_t *len);

void srcfile_free(struct srcfile *s);

/* The explorer's --source-path and --trim-path (copies; NULL: none), for
 * the source view, which main cannot reach: set once at start. */
void srcfile_set_paths(const char *search, const char *trim);
void srcfile_paths(const char **search, const char **trim);

#endif
