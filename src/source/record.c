/* --record: each fetched answer into its own file, named so that the
 * names sort by time, written whole or not at all. */
#include "live.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "decompress.h"
#include "source.h"

/* The extension the bytes ask for: the reader goes by content anyway. */
static const char *extension(const uint8_t *body, size_t len)
{
    switch (decompress_detect(body, len)) {
    case COMPRESSION_GZIP: return ".pb.gz";
    case COMPRESSION_ZSTD: return ".pb.zst";
    default: return folded_sniff(body, len) ? ".txt" : ".pb";
    }
}

/* 20261201T221530.123Z-localhost_6060: UTC to the millisecond, then the
 * source with every character but letters, digits, '.' and '-' as '_'. */
static void record_name(const char *source, int64_t time_ns, char *out, size_t n)
{
    time_t s = (time_t)(time_ns / 1000000000LL);
    struct tm tm;
    size_t at;

    gmtime_r(&s, &tm);
    at = strftime(out, n, "%Y%m%dT%H%M%S", &tm);
    at += (size_t)snprintf(out + at, n - at, ".%03dZ-", (int)(time_ns / 1000000 % 1000));
    for (const char *c = source; *c && at + 1 < n && at < 120; c++) {
        unsigned char ch = (unsigned char)*c;
        int safe = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                   (ch >= '0' && ch <= '9') || ch == '.' || ch == '-';

        out[at++] = safe ? (char)ch : '_';
    }
    out[at] = '\0';
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
    while (len) {
        ssize_t w = write(fd, p, len);

        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* The body into a new hidden temporary file of dir (the folder reader
 * skips dot files); its path into tmp. */
static int write_temp(const char *dir, const uint8_t *body, size_t len, char *tmp, size_t ntmp)
{
    int fd, saved;

    if ((size_t)snprintf(tmp, ntmp, "%s/.ember-record-XXXXXX", dir) >= ntmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0)          /* O_EXCL: never an existing file */
        return -1;
    if (fchmod(fd, 0644) || write_all(fd, body, len) || fsync(fd)) {
        saved = errno;
        close(fd);
        unlink(tmp);
        errno = saved;
        return -1;
    }
    if (close(fd)) {
        saved = errno;
        unlink(tmp);
        errno = saved;
        return -1;
    }
    return 0;
}

/* The new name itself made durable (the file's bytes were synced). */
static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

int record_write(const char *dir, const char *source, int64_t time_ns, const uint8_t *body,
                 size_t len, char *path, size_t npath, char *err, size_t nerr)
{
    char name[160], tmp[4096];
    const char *ext = extension(body, len);
    int r = -1;

    record_name(source, time_ns, name, sizeof name);
    if (write_temp(dir, body, len, tmp, sizeof tmp)) {
        snprintf(err, nerr, "cannot write into %s: %s", dir, strerror(errno));
        return -1;
    }
    /* link() fails on an existing name where rename() would replace it:
     * two answers in the same millisecond get -2, -3, ... */
    for (int i = 1; i < 100 && r; i++) {
        if (i == 1)
            snprintf(path, npath, "%s/%s%s", dir, name, ext);
        else
            snprintf(path, npath, "%s/%s-%d%s", dir, name, i, ext);
        r = link(tmp, path);
        /* a file system without hard links (FAT, some FUSE ones): a
         * rename that never replaces a file does the same */
        if (r && errno != EEXIST && errno != ENOENT && errno != ENOSPC && errno != EROFS &&
            errno != EACCES)
            r = renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE);
        if (r && errno != EEXIST)
            break;
    }
    if (r)
        snprintf(err, nerr, "cannot write %s: %s", path, strerror(errno));
    else
        sync_dir(dir);
    unlink(tmp);                /* gone already after a rename */
    return r ? -1 : 0;
}
