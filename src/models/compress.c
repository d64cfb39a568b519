/* compress.c - see compress.h. */
#include "compress.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "coder.h"
#include "readfile.h"

int compress_prepare(Model *m) {
    if (m->n_masks <= 1) return 0;
    m->mask = 0;
    return 1;
}

void compress_visit_order(const Model *m, int *order) {
    const int *o = m->n_masks > 0 ? m->masks[m->mask < 0 ? 0 : m->mask].order
                                  : m->order;
    for (int t = 0; t < m->d; t++) order[t] = o ? o[t] : t;
}

//> compress-coins
/* The encoder's coin: the image's next pixel in the sampler's
 * order, coded with the model's p(x_i = 1 | x_<i), and returned as
 * the draw. */
typedef struct {
    Encoder *enc;
    const uint8_t *x; /* (d) the image */
    const int *order; /* (d) the sampler's order */
    int t, d;         /* pixels coded so far, of d */
} EncodeCoin;

static int encode_coin(void *ctx, double p) {
    EncodeCoin *c = ctx;
    int x = c->t < c->d ? c->x[c->order[c->t]] : 0;
    c->t++;
    encoder_bit(c->enc, x, coder_quantise(p));
    return x;
}

/* The decoder's coin: the bit the encoder coded with the same p. */
static int decode_coin(void *ctx, double p) {
    return decoder_bit(ctx, coder_quantise(p));
}
//< compress-coins

int compress_encode(Model *m, const uint8_t *x, size_t n,
                    uint8_t **payload, size_t *len, double *bits, Err *e) {
    int d = m->d;
    int *order = malloc((size_t)d * sizeof *order);
    uint8_t *y = malloc((size_t)d);
    Encoder enc;
    encoder_init(&enc);
    *payload = NULL;
    *len = 0;
    if (!order || !y) {
        free(order);
        free(y);
        return err_set(e, "compress: out of memory for %d pixels", d);
    }
    compress_visit_order(m, order);
    int rc = 0;
    Rng rng;
    rng_seed(&rng, 1); /* the decoder's: any other draw is the same */
    //> compress-encode
    for (size_t k = 0; k < n && !rc; k++) {
        EncodeCoin c = {&enc, x + k * d, order, 0, d};
        double before = enc.bits;
        memset(y, 0, (size_t)d); /* as the decoder starts */
        rng_coin(&rng, encode_coin, &c);
        m->ops->sample(m, y, 1, &rng); /* draws x itself, coding it */
        rng_coin(&rng, NULL, NULL);
        if (bits) bits[k] = enc.bits - before;
        if (c.t != d || memcmp(y, x + k * d, (size_t)d))
            rc = err_set(e, "compress: image %zu: the %s sampler drew %d "
                         "pixels, not the image's %d in its order", k + 1,
                         m->ops->name, c.t, d);
    }
    //< compress-encode
    if (!rc && encoder_finish(&enc))
        rc = err_set(e, "compress: out of memory for the code");
    free(order);
    free(y);
    if (rc) {
        encoder_free(&enc);
        return rc;
    }
    *payload = enc.out;
    *len = enc.len;
    return 0;
}

int compress_decode(Model *m, const uint8_t *payload, size_t len,
                    size_t n, uint8_t *x, Err *e) {
    Decoder dc;
    decoder_init(&dc, payload, len);
    Rng rng;
    rng_seed(&rng, 1);
    //> compress-decode
    rng_coin(&rng, decode_coin, &dc);
    memset(x, 0, n * (size_t)m->d);
    for (size_t k = 0; k < n; k++) /* each pixel decoded as drawn */
        m->ops->sample(m, x + k * m->d, 1, &rng);
    rng_coin(&rng, NULL, NULL);
    //< compress-decode
    /* the encoder's last 4 bytes are read ahead, never past them */
    if (dc.overrun)
        return err_set(e, "decompress: the code ends %zu byte%s early",
                       dc.overrun, dc.overrun == 1 ? "" : "s");
    return 0;
}

uint32_t compress_crc(const uint8_t *p, size_t n) {
    uLong c = crc32(0L, Z_NULL, 0);
    while (n > 0) { /* zlib takes at most UINT_MAX bytes a call */
        uInt k = n > 1u << 30 ? 1u << 30 : (uInt)n;
        c = crc32(c, p, k);
        p += k;
        n -= k;
    }
    return (uint32_t)c;
}

int compress_hash_file(const char *path, uint64_t *bytes, uint32_t *crc,
                       Err *e) {
    uint8_t *buf;
    size_t len;
    if (file_read_all(path, (size_t)1 << 31, &buf, &len, e)) return -1;
    *bytes = len;
    *crc = compress_crc(buf, len);
    free(buf);
    return 0;
}

static void put(uint8_t *p, uint64_t v, int n) {
    for (int k = 0; k < n; k++) p[k] = (uint8_t)(v >> (8 * k));
}

static uint64_t get(const uint8_t *p, int n) {
    uint64_t v = 0;
    for (int k = n - 1; k >= 0; k--) v = v << 8 | p[k];
    return v;
}

void compress_put_header(uint8_t *out, const CompressHeader *h) {
    memcpy(out, COMPRESS_MAGIC, 4);
    put(out + 4, h->version, 4);
    put(out + 8, h->n, 4);
    put(out + 12, h->rows, 4);
    put(out + 16, h->cols, 4);
    put(out + 20, h->kind, 4);
    put(out + 24, h->ckpt_bytes, 8);
    put(out + 32, h->ckpt_crc, 4);
    put(out + 36, h->images_crc, 4);
    put(out + 40, h->payload_bytes, 8);
    put(out + 48, h->payload_crc, 4);
    put(out + 52, compress_crc(out, 52), 4);
}

int compress_parse(const uint8_t *buf, size_t len, const char *name,
                   CompressHeader *h, const uint8_t **payload, Err *e) {
    if (len < 4 || memcmp(buf, COMPRESS_MAGIC, 4))
        return err_set(e, "%s: not a file of autoreg compress (it does not "
                       "start with ARCZ)", name);
    if (len < COMPRESS_HEADER)
        return err_set(e, "%s: truncated: %zu bytes, the header alone has "
                       "%d", name, len, COMPRESS_HEADER);
    h->version = (uint32_t)get(buf + 4, 4);
    if (h->version != COMPRESS_VERSION)
        return err_set(e, "%s: version %u; this autoreg reads version %d",
                       name, h->version, COMPRESS_VERSION);
    if (get(buf + 52, 4) != compress_crc(buf, 52))
        return err_set(e, "%s: the header is corrupted (its CRC-32 does "
                       "not match)", name);
    h->n = (uint32_t)get(buf + 8, 4);
    h->rows = (uint32_t)get(buf + 12, 4);
    h->cols = (uint32_t)get(buf + 16, 4);
    h->kind = (uint32_t)get(buf + 20, 4);
    h->ckpt_bytes = get(buf + 24, 8);
    h->ckpt_crc = (uint32_t)get(buf + 32, 4);
    h->images_crc = (uint32_t)get(buf + 36, 4);
    h->payload_bytes = get(buf + 40, 8);
    h->payload_crc = (uint32_t)get(buf + 48, 4);
    if (h->n < 1 || h->n > COMPRESS_MAX_IMAGES)
        return err_set(e, "%s: %u images; expected 1 to %u", name, h->n,
                       COMPRESS_MAX_IMAGES);
    if (h->rows < 1 || h->cols < 1 ||
        (uint64_t)h->rows * h->cols > MODEL_MAX_D)
        return err_set(e, "%s: images of %u x %u pixels; expected 1 to %d "
                       "pixels", name, h->rows, h->cols, MODEL_MAX_D);
    if (!model_ops_by_kind((int)h->kind))
        return err_set(e, "%s: model kind %u is not one autoreg knows",
                       name, h->kind);
    uint64_t have = len - COMPRESS_HEADER;
    if (h->payload_bytes > have)
        return err_set(e, "%s: truncated: the header promises %llu payload "
                       "bytes, the file has %llu", name,
                       (unsigned long long)h->payload_bytes,
                       (unsigned long long)have);
    if (h->payload_bytes < have)
        return err_set(e, "%s: %llu bytes after the payload", name,
                       (unsigned long long)(have - h->payload_bytes));
    *payload = buf + COMPRESS_HEADER;
    if (compress_crc(*payload, (size_t)h->payload_bytes) != h->payload_crc)
        return err_set(e, "%s: the payload is corrupted (its CRC-32 does "
                       "not match)", name);
    return 0;
}

int compress_check_model(const CompressHeader *h, const char *name,
                         const char *ckpt_path, uint64_t ckpt_bytes,
                         uint32_t ckpt_crc, const Model *m, Err *e) {
    if (h->ckpt_bytes != ckpt_bytes || h->ckpt_crc != ckpt_crc)
        return err_set(e, "%s was compressed with another checkpoint (a "
                       "%s of %llu bytes, CRC-32 %08x), not %s (%llu bytes, "
                       "%08x)", name, model_ops_by_kind((int)h->kind)->name,
                       (unsigned long long)h->ckpt_bytes, h->ckpt_crc,
                       ckpt_path, (unsigned long long)ckpt_bytes, ckpt_crc);
    if ((uint64_t)h->rows * h->cols != (uint64_t)m->d)
        return err_set(e, "%s: images of %u x %u pixels, but %s models %d",
                       name, h->rows, h->cols, ckpt_path, m->d);
    return 0;
}
