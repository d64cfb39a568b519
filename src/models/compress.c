/* compress.c - see compress.h. */
#include "compress.h"

#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "coder.h"
#include "parallel.h"
#include "readfile.h"

int compress_prepare(Model *m) {
    if (m->n_masks <= 1) return 0;
    m->mask = 0;
    return 1;
}

void compress_visit_order(const Model *m, int *order) {
    const int *o = m->n_masks > 0
                       ? m->masks[m->mask < 0 ? 0 : m->mask].order
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

/* The images of segment s of S: [n s / S, n (s + 1) / S). */
static size_t seg_first(size_t n, int S, int s) {
    return (size_t)((unsigned long long)n * (unsigned)s / (unsigned)S);
}

int compress_segments(size_t n) {
    size_t s = (n + 499) / 500;
    return s > COMPRESS_MAX_SEGMENTS ? COMPRESS_MAX_SEGMENTS : (int)s;
}

/* One thread's share of the segments: each segment has its own coder
 * and rng, and the thread its own scratch (the model is read only). */
typedef struct {
    Model *m;
    uint8_t *x; /* (n, d) images: read, or decoded into */
    size_t n;
    int S, T;
    double *bits;              /* (n) or NULL */
    Encoder *enc;              /* (S) encoding */
    const uint8_t *const *seg; /* (S) decoding: the segments' bytes */
    const size_t *seg_len;
    int *rc; /* (S) 0, or -1 with err[s] */
    Err *err;
} CodeJob;

static void encode_segments(void *ctx, int th) {
    CodeJob *j = ctx;
    int d = j->m->d;
    for (int s = th; s < j->S; s += j->T) {
        Model m = {.scratch = NULL};
        Err *e = &j->err[s];
        int *order = malloc((size_t)d * sizeof *order);
        uint8_t *y = malloc((size_t)d);
        Encoder *enc = &j->enc[s];
        encoder_init(enc);
        int rc = !order || !y ? err_set(e, "compress: out of memory")
                              : model_share(&m, j->m, e);
        if (!rc) compress_visit_order(&m, order);
        Rng rng;
        rng_seed(&rng,
                 1 + (uint64_t)s); /* the decoder's, any draw alike */
        //> compress-encode
        for (size_t k = seg_first(j->n, j->S, s);
             k < seg_first(j->n, j->S, s + 1) && !rc; k++) {
            EncodeCoin c = {enc, j->x + k * d, order, 0, d};
            double before = enc->bits;
            memset(y, 0, (size_t)d); /* as the decoder starts */
            rng_coin(&rng, encode_coin, &c);
            m.ops->sample(&m, y, 1, &rng); /* draws x, coding it */
            rng_coin(&rng, NULL, NULL);
            if (j->bits) j->bits[k] = enc->bits - before;
            if (c.t != d || memcmp(y, j->x + k * d, (size_t)d))
                rc =
                    err_set(e,
                            "compress: image %zu: the %s sampler "
                            "drew %d pixels, not the image's %d in its "
                            "order",
                            k + 1, m.ops->name, c.t, d);
        }
        //< compress-encode
        if (!rc && encoder_finish(enc))
            rc = err_set(e, "compress: out of memory for the code");
        model_unshare(&m);
        free(order);
        free(y);
        j->rc[s] = rc;
    }
}

static void put(uint8_t *p, uint64_t v, int n) {
    for (int k = 0; k < n; k++) p[k] = (uint8_t)(v >> (8 * k));
}

static uint64_t get(const uint8_t *p, int n) {
    uint64_t v = 0;
    for (int k = n - 1; k >= 0; k--) v = v << 8 | p[k];
    return v;
}

/* The job's arrays for S segments; 0, or -1 */
static int job_alloc(CodeJob *j, int S, Err *e) {
    j->rc = calloc((size_t)S, sizeof *j->rc);
    j->err = calloc((size_t)S, sizeof *j->err);
    if (j->rc && j->err) return 0;
    free(j->rc);
    free(j->err);
    return err_set(e, "compress: out of memory");
}

/* The first failed segment's error into e; -1, or 0 if none failed */
static int job_result(CodeJob *j, Err *e) {
    int rc = 0;
    for (int s = 0; s < j->S && !rc; s++)
        if (j->rc[s]) rc = err_set(e, "%s", j->err[s].msg);
    free(j->rc);
    free(j->err);
    return rc;
}

static int threads_for(int S) {
    int T = parallel_threads();
    return T < S ? T : S;
}

int compress_encode(Model *m, const uint8_t *x, size_t n,
                    uint8_t **payload, size_t *len, double *bits,
                    Err *e) {
    int S = compress_segments(n);
    CodeJob j = {.m = m,
                 .x = (uint8_t *)x,
                 .n = n,
                 .S = S,
                 .T = threads_for(S),
                 .bits = bits};
    *payload = NULL;
    *len = 0;
    if (job_alloc(&j, S, e)) return -1;
    j.enc = calloc((size_t)S, sizeof *j.enc);
    if (!j.enc) {
        job_result(&j, e);
        return err_set(e, "compress: out of memory");
    }
    parallel_for(j.T, encode_segments, &j);
    int rc = job_result(&j, e);
    /* the payload: S, the segments' lengths, the segments */
    size_t total = 4 + 8 * (size_t)S;
    for (int s = 0; s < S; s++) total += j.enc[s].len;
    uint8_t *p = rc ? NULL : malloc(total);
    if (!rc && !p)
        rc = err_set(e, "compress: out of memory for the code");
    if (!rc) {
        put(p, (uint64_t)S, 4);
        size_t at = 4 + 8 * (size_t)S;
        for (int s = 0; s < S; s++) {
            put(p + 4 + 8 * s, j.enc[s].len, 8);
            memcpy(p + at, j.enc[s].out, j.enc[s].len);
            at += j.enc[s].len;
        }
        *payload = p;
        *len = total;
    }
    for (int s = 0; s < S; s++) encoder_free(&j.enc[s]);
    free(j.enc);
    return rc;
}

static void decode_segments(void *ctx, int th) {
    CodeJob *j = ctx;
    int d = j->m->d;
    for (int s = th; s < j->S; s += j->T) {
        Model m;
        Err *e = &j->err[s];
        if (model_share(&m, j->m, e)) {
            j->rc[s] = -1;
            continue;
        }
        size_t k0 = seg_first(j->n, j->S, s);
        size_t k1 = seg_first(j->n, j->S, s + 1);
        Decoder dc;
        decoder_init(&dc, j->seg[s], j->seg_len[s]);
        Rng rng;
        rng_seed(&rng, 1 + (uint64_t)s);
        //> compress-decode
        rng_coin(&rng, decode_coin, &dc);
        for (size_t k = k0; k < k1;
             k++) /* each pixel decoded as drawn */
            m.ops->sample(&m, j->x + k * d, 1, &rng);
        rng_coin(&rng, NULL, NULL);
        //< compress-decode
        /* the encoder's last 4 bytes are read ahead, never past them */
        j->rc[s] =
            dc.overrun
                ? err_set(e,
                          "decompress: segment %d: the "
                          "decoder read %zu byte%s past its "
                          "code",
                          s + 1, dc.overrun, dc.overrun == 1 ? "" : "s")
                : 0;
        model_unshare(&m);
    }
}

int compress_decode(Model *m, const uint8_t *payload, size_t len,
                    size_t n, uint8_t *x, Err *e) {
    int S = len >= 4 ? (int)get(payload, 4) : 0;
    if (len < 4 || S != compress_segments(n) || len < 4 + 8 * (size_t)S)
        return err_set(e,
                       "decompress: the payload's table of segments is "
                       "damaged");
    const uint8_t *seg[COMPRESS_MAX_SEGMENTS];
    size_t seg_len[COMPRESS_MAX_SEGMENTS], at = 4 + 8 * (size_t)S;
    for (int s = 0; s < S; s++) {
        uint64_t l = get(payload + 4 + 8 * s, 8);
        if (l > len - at)
            return err_set(e,
                           "decompress: segment %d of %d runs past the "
                           "payload",
                           s + 1, S);
        seg[s] = payload + at;
        seg_len[s] = (size_t)l;
        at += (size_t)l;
    }
    if (at != len)
        return err_set(e,
                       "decompress: %zu bytes after the last segment",
                       len - at);
    CodeJob j = {.m = m,
                 .x = x,
                 .n = n,
                 .S = S,
                 .T = threads_for(S),
                 .seg = seg,
                 .seg_len = seg_len};
    if (job_alloc(&j, S, e)) return -1;
    memset(x, 0, n * (size_t)m->d);
    parallel_for(j.T, decode_segments, &j);
    return job_result(&j, e);
}

int compress_hash_file(const char *path, uint64_t *bytes, uint32_t *crc,
                       Err *e) {
    uint8_t *buf;
    size_t len;
    if (file_read_all(path, (size_t)1 << 31, &buf, &len, e)) return -1;
    *bytes = len;
    *crc = checkpoint_crc32(buf, len);
    free(buf);
    return 0;
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
    put(out + 52, checkpoint_crc32(out, 52), 4);
}

int compress_parse(const uint8_t *buf, size_t len, const char *name,
                   CompressHeader *h, const uint8_t **payload, Err *e) {
    if (len == 0)
        return err_set(e, "%s: empty, not a file of autoreg compress",
                       name);
    if (len < 4 || memcmp(buf, COMPRESS_MAGIC, 4))
        return err_set(
            e,
            "%s: not a file of autoreg compress (it does not "
            "start with ARCZ)",
            name);
    if (len < COMPRESS_HEADER)
        return err_set(e,
                       "%s: truncated: %zu bytes, the header alone has "
                       "%d",
                       name, len, COMPRESS_HEADER);
    h->version = (uint32_t)get(buf + 4, 4);
    if (h->version != COMPRESS_VERSION)
        return err_set(e,
                       "%s: version %u; this autoreg reads version %d",
                       name, h->version, COMPRESS_VERSION);
    if (get(buf + 52, 4) != checkpoint_crc32(buf, 52))
        return err_set(e,
                       "%s: the header is corrupted (its CRC-32 does "
                       "not match)",
                       name);
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
        return err_set(e,
                       "%s: images of %u x %u pixels; expected 1 to %d "
                       "pixels",
                       name, h->rows, h->cols, MODEL_MAX_D);
    if (!model_ops_by_kind((int)h->kind))
        return err_set(e, "%s: model kind %u is not one autoreg knows",
                       name, h->kind);
    uint64_t have = len - COMPRESS_HEADER;
    if (h->payload_bytes > have)
        return err_set(
            e,
            "%s: truncated: the header promises %llu payload "
            "bytes, the file has %llu",
            name, (unsigned long long)h->payload_bytes,
            (unsigned long long)have);
    if (h->payload_bytes < have)
        return err_set(e, "%s: %llu bytes after the payload", name,
                       (unsigned long long)(have - h->payload_bytes));
    *payload = buf + COMPRESS_HEADER;
    if (checkpoint_crc32(*payload, (size_t)h->payload_bytes) !=
        h->payload_crc)
        return err_set(e,
                       "%s: the payload is corrupted (its CRC-32 does "
                       "not match)",
                       name);
    return 0;
}

int compress_check_model(const CompressHeader *h, const char *name,
                         const char *ckpt_path, uint64_t ckpt_bytes,
                         uint32_t ckpt_crc, const Model *m, Err *e) {
    if (h->ckpt_bytes != ckpt_bytes || h->ckpt_crc != ckpt_crc)
        return err_set(
            e,
            "%s was compressed with another checkpoint "
            "(%s, %llu bytes, CRC-32 %08x), not %s (%llu bytes, "
            "%08x)",
            name, model_ops_by_kind((int)h->kind)->name,
            (unsigned long long)h->ckpt_bytes, h->ckpt_crc, ckpt_path,
            (unsigned long long)ckpt_bytes, ckpt_crc);
    if ((uint64_t)h->rows * h->cols != (uint64_t)m->d)
        return err_set(e,
                       "%s: images of %u x %u pixels, but %s models %d",
                       name, h->rows, h->cols, ckpt_path, m->d);
    return 0;
}
