#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decompress.h"
#include "xalloc.h"

/* Reads all of fd, refusing more than cap bytes. */
static int read_all(int fd, size_t cap, uint8_t **out, size_t *out_len, char *err)
{
    struct stat st;
    size_t size = 1 << 16, used = 0;
    uint8_t *buf;

    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(err, SOURCE_ERR_MAX, "is a directory");
        return -1;
    }
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        size = (size_t)st.st_size + 1;
    buf = xmalloc(size);
    for (;;) {
        ssize_t n;

        if (used == size) {
            size *= 2;
            buf = xreallocarray(buf, size, 1);
        }
        n = read(fd, buf + used, size - used);
        if (n == 0)
            break;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(err, SOURCE_ERR_MAX, "%s", strerror(errno));
            free(buf);
            return -1;
        }
        used += (size_t)n;
        if (used > cap) {
            snprintf(err, SOURCE_ERR_MAX, "file exceeds the limit of %zu MiB (--max-size raises it)",
                     cap >> 20);
            free(buf);
            return -1;
        }
    }
    *out = buf;
    *out_len = used;
    return 0;
}

int source_load_buffer(struct profile *p, const char *name, const uint8_t *data, size_t len,
                       const struct load_options *o, char *err)
{
    enum compression c = decompress_detect(data, len);
    uint8_t *plain = NULL;
    uint32_t id = profile_intern(p, name, strlen(name));
    int r;

    if (!len) {
        snprintf(err, SOURCE_ERR_MAX, "empty file");
        return -1;
    }
    if (c != COMPRESSION_NONE) {
        if (o->progress)
            o->progress(o->progress_ctx, "decompressing", 0);
        if (decompress(c, data, len, o->max_size, &plain, &len, err, SOURCE_ERR_MAX))
            return -1;
        data = plain;
        if (!len) {
            snprintf(err, SOURCE_ERR_MAX, "empty after %s decompression", decompress_name(c));
            free(plain);
            return -1;
        }
    }
    if (folded_sniff(data, len))
        r = folded_load(p, id, data, len, err);
    else
        r = pprof_load_with(p, id, data, len, o, err);
    free(plain);
    return r;
}

int source_load_path(struct profile *p, const char *path, const struct load_options *o,
                     char *err)
{
    int stdin_path = !strcmp(path, "-");
    int fd = stdin_path ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    uint8_t *data;
    size_t len;
    int r;

    if (fd < 0) {
        snprintf(err, SOURCE_ERR_MAX, "%s", strerror(errno));
        return -1;
    }
    r = read_all(fd, o->max_size, &data, &len, err);
    if (!stdin_path)
        close(fd);
    if (r)
        return -1;
    r = source_load_buffer(p, stdin_path ? "stdin" : path, data, len, o, err);
    free(data);
    return r;
}
