/* checkpoint.c - see checkpoint.h. */
#include "checkpoint.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "out.h"
#include "readfile.h"

static const char MAGIC[8] = {'A', 'R', 'M', 'O', 'D', 'E', 'L', '\0'};

static void put32(uint8_t *p, uint32_t v) {
    for (int k = 0; k < 4; k++) p[k] = (uint8_t)(v >> (8 * k));
}
static uint32_t get32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* Parameters as little-endian float32 bytes (the file's byte order). */
static void floats_to_bytes(uint8_t *out, const float *x, size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &x[i], 4);
        put32(out + 4 * i, u);
    }
}

uint32_t checkpoint_crc32(const uint8_t *p, size_t n) {
    uLong crc = crc32(0L, Z_NULL, 0);
    while (n > 0) { /* crc32 takes an unsigned length */
        uInt chunk = n > (1u << 30) ? (1u << 30) : (uInt)n;
        crc = crc32(crc, p, chunk);
        p += chunk;
        n -= chunk;
    }
    return (uint32_t)crc;
}

/* Bytes of version 3's masks (4's with h2 > 0) for K masks of a
 * model's sizes. */
static size_t masks_bytes(size_t K, size_t d, size_t h, size_t h2) {
    return 16 + (h2 ? 4 : 0) + 4 * K * (d + h + h2);
}

static void put_masks(uint8_t *q, const Model *m) {
    size_t K = (size_t)m->n_masks, d = (size_t)m->d, h = (size_t)m->h;
    size_t h2 = (size_t)m->h2;
    put32(q, (uint32_t)K);
    put32(q + 4, (uint32_t)m->mask_random);
    put32(q + 8, (uint32_t)(m->mask_seed & 0xffffffffu));
    put32(q + 12, (uint32_t)(m->mask_seed >> 32));
    q += 16;
    if (h2) put32(q, (uint32_t)h2), q += 4;
    for (size_t k = 0; k < K; k++)
        for (size_t t = 0; t < d; t++, q += 4)
            put32(q, (uint32_t)m->masks[k].order[t]);
    for (size_t k = 0; k < K; k++)
        for (size_t u = 0; u < h; u++, q += 4)
            put32(q, (uint32_t)m->masks[k].deg[u]);
    for (size_t k = 0; k < K && h2; k++)
        for (size_t u = 0; u < h2; u++, q += 4)
            put32(q, (uint32_t)m->layer2[k].deg[u]);
}

int checkpoint_save(const char *path, const Model *m, Err *e) {
    size_t np = m->n_params * 4;
    int size2 = !m->masks && m->h2; /* version 5 */
    size_t nb =
        np + (m->order ? 4 * (size_t)m->d : 0) + (size2 ? 4 : 0) +
        (m->masks ? masks_bytes((size_t)m->n_masks, (size_t)m->d,
                                (size_t)m->h, (size_t)m->h2)
                  : 0);
    uint8_t *body = malloc(nb);
    if (!body) return err_set(e, "%s: out of memory", path);
    floats_to_bytes(body, m->params, m->n_params);
    for (int i = 0; m->order && i < m->d; i++)
        put32(body + np + 4 * (size_t)i, (uint32_t)m->order[i]);
    if (m->masks) put_masks(body + np, m);
    if (size2) put32(body + np, (uint32_t)m->h2);
    uint8_t h[CKPT_HEADER_BYTES] = {0};
    memcpy(h, MAGIC, 8);
    put32(h + 8, size2      ? CKPT_VERSION_SIZE2
                 : m->h2    ? CKPT_VERSION_LAYER2
                 : m->masks ? CKPT_VERSION_MASKS
                 : m->order ? CKPT_VERSION_ORDER
                            : CKPT_VERSION);
    put32(h + 12, (uint32_t)m->ops->kind);
    put32(h + 16, (uint32_t)m->d);
    put32(h + 20, (uint32_t)m->h);
    put32(h + 24, (uint32_t)(m->n_params & 0xffffffffu));
    put32(h + 28, (uint32_t)((uint64_t)m->n_params >> 32));
    put32(h + 32, checkpoint_crc32(body, nb));
    OutFile o;
    int rc = out_open(&o, path, e);
    if (rc == 0) {
        fwrite(h, 1, sizeof h, o.f);
        fwrite(body, 1, nb, o.f);
        rc = out_close(&o, e);
    }
    free(body);
    return rc;
}

/* The order of a version-2 checkpoint: a permutation of 0..d-1. */
static int parse_order(Model *m, const uint8_t *p, const char *path,
                       Err *e) {
    int d = m->d, rc = 0;
    int *order = malloc((size_t)d * sizeof *order);
    uint8_t *seen = calloc((size_t)d, 1);
    if (!order || !seen) rc = err_set(e, "%s: out of memory", path);
    for (int i = 0; !rc && i < d; i++) {
        uint32_t o = get32(p + 4 * (size_t)i);
        if (o >= (uint32_t)d || seen[o])
            rc = err_set(e,
                         "%s: the pixel order is not a permutation of "
                         "0..%d (entry %d)",
                         path, d - 1, i);
        else seen[o] = 1, order[i] = (int)o;
    }
    if (!rc) rc = model_set_order(m, order, e);
    free(order);
    free(seen);
    return rc;
}

/* Version 3's or 4's masks at p (K already checked against the
 * length). */
static int parse_masks(Model *m, const uint8_t *p, const char *path,
                       Err *e) {
    size_t K = get32(p), d = (size_t)m->d, h = (size_t)m->h;
    size_t h2 = (size_t)m->h2, at = h2 ? 20 : 16;
    int random = (int)get32(p + 4);
    uint64_t seed = (uint64_t)get32(p + 8) | (uint64_t)get32(p + 12)
                                                 << 32;
    int *orders = malloc(K * d * sizeof *orders);
    int *degs = malloc((K * (h + h2) + 1) * sizeof *degs);
    int rc = 0;
    if (!orders || !degs) rc = err_set(e, "%s: out of memory", path);
    for (size_t i = 0; !rc && i < K * d; i++)
        orders[i] = (int)(get32(p + at + 4 * i) & 0x7fffffff);
    for (size_t i = 0; !rc && i < K * (h + h2); i++)
        degs[i] = (int)(get32(p + at + 4 * (K * d + i)) & 0x7fffffff);
    Err why;
    if (!rc && model_set_mask_arrays(m, (int)K, orders, degs,
                                     h2 ? degs + K * h : NULL, &why))
        rc = err_set(e, "%s: %s", path, why.msg);
    m->mask_random = random;
    m->mask_seed = seed;
    free(orders);
    free(degs);
    return rc;
}

int checkpoint_parse(const uint8_t *buf, size_t len, const char *path,
                     int want_kind, int max_batch, Model *m, Err *e) {
    memset(m, 0, sizeof *m);
    int rc = -1;
    if (len < CKPT_HEADER_BYTES) {
        err_set(e,
                "%s: truncated header: %zu bytes, expected at least %d",
                path, len, CKPT_HEADER_BYTES);
        goto done;
    }
    if (memcmp(buf, MAGIC, 8) != 0) {
        err_set(e, "%s: not a checkpoint (bad magic)", path);
        goto done;
    }
    uint32_t version = get32(buf + 8), kind = get32(buf + 12);
    uint32_t d = get32(buf + 16), h = get32(buf + 20),
             crc = get32(buf + 32);
    uint64_t n = (uint64_t)get32(buf + 24) | (uint64_t)get32(buf + 28)
                                                 << 32;
    const ModelOps *ops = model_ops_by_kind((int)kind);
    int ordered = version == CKPT_VERSION_ORDER;
    int layer2 = version == CKPT_VERSION_LAYER2;
    int size2 = version == CKPT_VERSION_SIZE2;
    int masked = version == CKPT_VERSION_MASKS || layer2;
    size_t body = 0, K = 0, h2 = 0;
    size_t rest =
        len - CKPT_HEADER_BYTES; /* the mask count follows n */
    if (masked && n <= rest / 4 && rest - 4 * (size_t)n >= 4)
        K = get32(buf + CKPT_HEADER_BYTES + 4 * (size_t)n);
    if (layer2 && n <= rest / 4 && rest - 4 * (size_t)n >= 20)
        h2 = get32(buf + CKPT_HEADER_BYTES + 4 * (size_t)n + 16);
    if (size2 && n <= rest / 4 && rest - 4 * (size_t)n >= 4)
        h2 = get32(buf + CKPT_HEADER_BYTES + 4 * (size_t)n);
    if (version != CKPT_VERSION && !ordered && !masked && !size2) {
        err_set(e, "%s: checkpoint version %u, expected %u to %u", path,
                version, CKPT_VERSION, CKPT_VERSION_SIZE2);
    } else if (!ops) {
        err_set(e, "%s: unknown model kind %u", path, kind);
    } else if (want_kind && (int)kind != want_kind) {
        const ModelOps *want = model_ops_by_kind(want_kind);
        err_set(e, "%s: a %s checkpoint, expected %s", path, ops->name,
                want ? want->name : "another model");
    } else if (d < 1 || d > MODEL_MAX_D || h > 1u << 20 ||
               h2 > 1u << 20 ||
               ((layer2 || size2) && (h2 < 1 || !ops->has_layer2)) ||
               (size2 && ops->has_masks) ||
               n != ops->num_params((int)d, (int)h, (int)h2)) {
        err_set(
            e,
            "%s: sizes d = %u, h = %u, h2 = %zu, %llu parameters do "
            "not fit a %s",
            path, d, h, h2, (unsigned long long)n, ops->name);
    } else if (ordered && !ops->has_order) {
        err_set(e,
                "%s: a %s checkpoint with a pixel order (only nade has "
                "orders)",
                path, ops->name);
    } else if (masked != ops->has_masks) {
        err_set(e, "%s: a %s checkpoint %s masks (only made has them)",
                path, ops->name, masked ? "with" : "without");
    } else if (masked && (K < 1 || K > MODEL_MAX_MASKS)) {
        err_set(e, "%s: %zu masks, expected 1..%d", path, K,
                MODEL_MAX_MASKS);
    } else if (len - CKPT_HEADER_BYTES !=
               (body = n * 4 + (ordered ? 4 * (size_t)d : 0) +
                       (size2 ? 4 : 0) +
                       (masked ? masks_bytes(K, d, h, h2) : 0))) {
        err_set(
            e, "%s: %s: %zu bytes after the header, expected %zu", path,
            len - CKPT_HEADER_BYTES < body ? "truncated" : "too long",
            len - CKPT_HEADER_BYTES, body);
    } else if (checkpoint_crc32(buf + CKPT_HEADER_BYTES, body) != crc) {
        err_set(e, "%s: CRC32 mismatch: the parameters are corrupted",
                path);
    } else if (model_create2(m, ops, (int)d, (int)h, (int)h2, max_batch,
                             e) == 0) {
        for (size_t i = 0; i < n; i++) {
            uint32_t u = get32(buf + CKPT_HEADER_BYTES + 4 * i);
            memcpy(&m->params[i], &u, 4);
        }
        const uint8_t *rest = buf + CKPT_HEADER_BYTES + n * 4;
        rc = ordered  ? parse_order(m, rest, path, e)
             : masked ? parse_masks(m, rest, path, e)
                      : 0;
        if (rc) model_free(m);
    }
done:
    return rc;
}

int checkpoint_load(const char *path, int want_kind, int max_batch,
                    Model *m, Err *e) {
    uint8_t *buf;
    size_t len;
    memset(m, 0, sizeof *m);
    if (file_read_all(path, (size_t)1 << 32, &buf, &len, e)) return -1;
    int rc =
        checkpoint_parse(buf, len, path, want_kind, max_batch, m, e);
    free(buf);
    return rc;
}
