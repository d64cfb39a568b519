/* idx.c - IDX reading (plain or gzip, through zlib) and writing. */
#include "idx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "out.h"
#include "readfile.h"

static uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

int idx_parse(const uint8_t *buf, size_t len, int want_ndim,
              const char *name, Idx *out, Err *e) {
    memset(out, 0, sizeof *out);
    uint32_t want =
        want_ndim == 3 ? IDX_MAGIC_IMAGES : IDX_MAGIC_LABELS;
    if (len < 4)
        return err_set(e,
                       "%s: truncated header: %zu bytes, an IDX file "
                       "starts with a 4-byte magic",
                       name, len);
    uint32_t magic = be32(buf);
    if (magic != want)
        return err_set(e,
                       "%s: wrong magic 0x%08x, expected 0x%08x (%s)",
                       name, magic, want,
                       want_ndim == 3 ? "unsigned-byte images"
                                      : "unsigned-byte labels");
    size_t header = 4 + 4 * (size_t)want_ndim;
    if (len < header)
        return err_set(e,
                       "%s: truncated header: %zu bytes, expected %zu",
                       name, len, header);
    size_t size = 1;
    for (int i = 0; i < want_ndim; i++) {
        uint32_t d = be32(buf + 4 + 4 * i);
        out->dims[i] = d;
        if (d == 0 && i > 0)
            return err_set(e, "%s: size %d is 0", name, i + 1);
        /* product must not overflow and must fit the file */
        if (d != 0 && size > IDX_MAX_BYTES / d)
            return err_set(e, "%s: sizes %u x ... exceed %zu bytes",
                           name, (unsigned)out->dims[0], IDX_MAX_BYTES);
        size *= d;
    }
    if (len - header < size)
        return err_set(e,
                       "%s: truncated body: the header promises %zu "
                       "bytes, the file has %zu",
                       name, size, len - header);
    if (len - header > size)
        return err_set(e, "%s: %zu unexpected bytes after the data",
                       name, len - header - size);
    out->ndim = want_ndim;
    out->size = size;
    out->data = malloc(size ? size : 1);
    if (!out->data) return err_set(e, "%s: out of memory", name);
    memcpy(out->data, buf + header, size);
    return 0;
}

int idx_read(const char *path, int want_ndim, Idx *out, Err *e) {
    uint8_t *buf;
    size_t len;
    memset(out, 0, sizeof *out);
    if (file_read_all(path, IDX_MAX_BYTES + 64, &buf, &len, e))
        return -1;
    int rc = idx_parse(buf, len, want_ndim, path, out, e);
    free(buf);
    return rc;
}

int idx_write(const char *path, const Idx *idx, Err *e) {
    OutFile o;
    if (out_open(&o, path, e)) return -1;
    uint32_t magic =
        idx->ndim == 3 ? IDX_MAGIC_IMAGES : IDX_MAGIC_LABELS;
    uint8_t h[16];
    size_t hl = 0;
    uint32_t words[4] = {magic, idx->dims[0], idx->dims[1],
                         idx->dims[2]};
    for (int w = 0; w <= idx->ndim; w++)
        for (int k = 3; k >= 0; k--)
            h[hl++] = (uint8_t)(words[w] >> (8 * k));
    fwrite(h, 1, hl, o.f);
    fwrite(idx->data, 1, idx->size, o.f);
    if (out_close(&o, e)) return -1;
    return 0;
}

void idx_free(Idx *idx) {
    free(idx->data);
    idx->data = NULL;
}
