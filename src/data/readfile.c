/* readfile.c - see readfile.h. */
#include "readfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int file_read_all(const char *path, size_t limit, uint8_t **buf,
                  size_t *len, Err *e) {
    *buf = NULL;
    *len = 0;
    gzFile f = gzopen(path, "rb");
    if (!f)
        return err_set(e, "%s: %s", path,
                       strerror(errno ? errno : EIO));
    size_t cap = 1 << 16, n = 0;
    uint8_t *b = malloc(cap);
    if (!b) {
        gzclose(f);
        return err_set(e, "%s: out of memory", path);
    }
    for (;;) {
        if (n == cap) {
            if (cap > limit) break;
            uint8_t *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                gzclose(f);
                return err_set(e, "%s: out of memory", path);
            }
            b = nb;
            cap *= 2;
        }
        unsigned want =
            (unsigned)((cap - n) > (1u << 30) ? (1u << 30) : (cap - n));
        int got = gzread(f, b + n, want);
        if (got < 0) {
            int code;
            const char *msg = gzerror(f, &code);
            err_set(e, "%s: %s", path,
                    code == Z_ERRNO ? strerror(errno) : msg);
            free(b);
            gzclose(f);
            return -1;
        }
        if (got == 0) break;
        n += (size_t)got;
    }
    /* a gzip stream cut short reads as a clean EOF; zlib flags it */
    int code;
    const char *msg = gzerror(f, &code);
    if (code != Z_OK && code != Z_STREAM_END) {
        err_set(e, "%s: corrupt gzip data: %s", path, msg);
        free(b);
        gzclose(f);
        return -1;
    }
    gzclose(f);
    if (n > limit) {
        free(b);
        return err_set(e, "%s: larger than %zu bytes", path, limit);
    }
    if (n == cap) { /* room for the terminating NUL */
        uint8_t *nb = realloc(b, cap + 1);
        if (!nb) {
            free(b);
            return err_set(e, "%s: out of memory", path);
        }
        b = nb;
    }
    b[n] = 0; /* text files can be used as strings */
    *buf = b;
    *len = n;
    return 0;
}
