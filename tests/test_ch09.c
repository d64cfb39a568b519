/* test_ch09.c - chapter 9: the range coder's interval update (exercise
 * 9.1) and decision (9.2), lossless round trips for bit streams and for
 * every model kind, the code length against -log2 p(x), and the file
 * format's refusals. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "coder.h"
#include "compress.h"
#include "model.h"
#include "runner.h"

/* p(x = 1) for the stream tests: every kind a model gives, the
 * extremes (0, 1, sigma(+-30)) included. */
static double stream_p(Rng *rng) {
    static const double edge[] = {0,
                                  1,
                                  9.357622968840175e-14,
                                  1 - 9.357622968840175e-14,
                                  0.5,
                                  1.0 / 4096,
                                  1 - 1.0 / 4096};
    uint64_t k = rng_below(rng, 10);
    if (k < 7) return edge[k];
    return rng_uniform(rng);
}

START_TEST(test_encoder_split) {
    /* Three bits by hand: range >= 2^24 throughout, so no byte leaves
     * and low and range are exactly the interval of the rule. */
    const int xs[3] = {0, 1, 1};
    const uint32_t f1s[3] = {1024, 1024, 3000};
    Encoder e;
    encoder_init(&e);
    uint64_t low = 0;
    uint32_t range = 0xFFFFFFFFu;
    for (int k = 0; k < 3; k++) {
        uint32_t bound = (range >> CODER_P) * (CODER_ONE - f1s[k]);
        uint64_t want_low = xs[k] ? low + bound : low;
        uint32_t want_range = xs[k] ? range - bound : bound;
        encoder_bit(&e, xs[k], f1s[k]);
        ck_assert_msg(
            e.low == want_low && e.range == want_range,
            "exercise 9.1 encoder_bit: bit %d (x = %d, f1 = %u) "
            "from low %llu, range %u gives low %llu, range %u; "
            "the rule gives low %llu, range %u: bound = "
            "floor(range / 2^P) (2^P - f1), x = 0 keeps [low, "
            "low + bound), x = 1 [low + bound, low + range)%s",
            k + 1, xs[k], f1s[k], (unsigned long long)low, range,
            (unsigned long long)e.low, e.range,
            (unsigned long long)want_low, want_range,
            e.range < want_range / 2 && !xs[k]
                ? "; a range far too small: range * (2^P - f1) "
                  "overflows 32 bits, shift first"
                : "");
        low = want_low;
        range = want_range;
    }
    encoder_free(&e);
}
END_TEST

START_TEST(test_decoder_decision) {
    /* code just below the bound is a 0, at the bound a 1 */
    const uint32_t f1s[3] = {1024, 2048, 4000};
    for (int k = 0; k < 3; k++)
        for (int above = 0; above <= 1; above++) {
            Decoder dc;
            decoder_init(&dc, NULL, 0);
            uint32_t bound =
                (dc.range >> CODER_P) * (CODER_ONE - f1s[k]);
            uint32_t code0 = above ? bound : bound - 1;
            dc.code = code0;
            dc.overrun = 0;
            int x = decoder_bit(&dc, f1s[k]);
            uint32_t want_range = above ? 0xFFFFFFFFu - bound : bound;
            uint32_t want_code = above ? 0 : bound - 1;
            ck_assert_msg(
                x == above && dc.range == want_range &&
                    dc.code == want_code,
                "exercise 9.2 decoder_bit: f1 = %u, range %u, "
                "code %u (bound %u%s) decodes x = %d with range "
                "%u, code %u; the encoder's rule gives x = %d, "
                "range %u, code %u: code < bound is a 0 (range = "
                "bound); otherwise a 1 (code and range both lose "
                "bound)",
                f1s[k], 0xFFFFFFFFu, code0, bound,
                above ? ", code at it" : ", code just below", x,
                dc.range, dc.code, above, want_range, want_code);
        }
}
END_TEST

/* n bits with their probabilities, coded, then decoded; the first
 * difference fails the test. */
static void stream_round_trip(int n, uint64_t seed, int biased) {
    Rng rng;
    rng_seed(&rng, seed);
    int *x = malloc((size_t)n * sizeof *x);
    uint32_t *f1 = malloc((size_t)n * sizeof *f1);
    ck_assert(x && f1);
    Encoder e;
    encoder_init(&e);
    double ideal = 0;
    for (int k = 0; k < n; k++) {
        double p = stream_p(&rng);
        f1[k] = coder_quantise(p);
        /* biased: the likely value mostly (long runs of 0xFF and
         * carries) */
        x[k] = biased ? rng_bernoulli(&rng, f1[k] / (double)CODER_ONE)
                      : (int)rng_below(&rng, 2);
        ideal -= log2(x[k] ? f1[k] / (double)CODER_ONE
                           : 1 - f1[k] / (double)CODER_ONE);
        encoder_bit(&e, x[k], f1[k]);
    }
    ck_assert_int_eq(encoder_finish(&e), 0);
    Decoder dc;
    decoder_init(&dc, e.out, e.len);
    for (int k = 0; k < n; k++) {
        int y = decoder_bit(&dc, f1[k]);
        ck_assert_msg(
            y == x[k],
            "exercises 9.1/9.2: bit %d of %d (p(x = 1) = %u / 4096) "
            "was coded as %d and decodes as %d: the decoder must "
            "split each range where the encoder did, bound = "
            "floor(range / 2^P) (2^P - f1), with 0 below it",
            k + 1, n, f1[k], x[k], y);
    }
    ck_assert_msg(dc.overrun == 0,
                  "the decoder read %zu bytes past the "
                  "code's end",
                  dc.overrun);
    /* the coder's count is the interval's shrink; the file is that
     * long, plus at most 5 bytes of flush */
    ck_assert_msg(
        e.bits <=
            ideal + n * -log2(1 - ldexp(1, CODER_P - 24)) + 1e-6 * n,
        "exercise 9.1: a stream of %d bit%s costs %.3f bits of "
        "code, above its ideal %.3f (the sum of -log2 of the "
        "quantised probabilities) plus the floor's loss: x = 0 "
        "must keep (2^P - f1) / 2^P of the range, x = 1 the rest",
        n, n == 1 ? "" : "s", e.bits, ideal);
    ck_assert_msg(
        8.0 * e.len <= e.bits + 40 + 1e-6 && 8.0 * e.len >= e.bits,
        "%zu bytes for %.1f bits of code: the output should be "
        "the bits' cost plus at most 5 bytes of flush",
        e.len, e.bits);
    free(x);
    free(f1);
    encoder_free(&e);
}

START_TEST(test_stream_round_trip) {
    stream_round_trip(1, 1, 0);
    stream_round_trip(7, 2, 0);
    stream_round_trip(100000, 3, 0);
    stream_round_trip(100000, 4, 1);
}
END_TEST

/* x (n, d): the four edge images, then images sampled from m */
static uint8_t *images_of(Model *m, int n, Rng *rng) {
    int d = m->d;
    uint8_t *x = calloc((size_t)n * d, 1);
    ck_assert_ptr_nonnull(x);
    memset(x + d, 1, (size_t)d);
    x[2 * d] = 1;
    x[3 * d + d - 1] = 1;
    m->ops->sample(m, x + 4 * (size_t)d, n - 4, rng);
    return x;
}

static const char *const KINDS[] = {
    "fvsbn", "mlp",           "nade",  "nade:shuffled",
    "made",  "made:shuffled", "made2", "pixelcnn"};
enum { N_KINDS = sizeof KINDS / sizeof *KINDS };

/* Model kind, images, code, decode: the same images; each image's code
 * length within d * coder_bit_overhead() of -log2 p(x). */
static void check_kind(Model *m, const char *name, uint8_t *x, int n) {
    int d = m->d;
    uint8_t *payload, *y = malloc((size_t)n * d);
    double *bits = malloc((size_t)n * sizeof *bits);
    double *nll = malloc((size_t)n * sizeof *nll);
    ck_assert(y && bits && nll);
    size_t len;
    Err e;
    ck_assert_msg(
        compress_encode(m, x, (size_t)n, &payload, &len, bits, &e) == 0,
        "%s: %s", name, e.msg);
    ck_assert_msg(
        compress_decode(m, payload, len, (size_t)n, y, &e) == 0,
        "%s, d = %d: %s (exercises 9.1/9.2: the decoder took "
        "another path than the encoder; it must split each range "
        "at the same bound and read code < bound as a 0)",
        name, d, e.msg);
    for (int k = 0; k < n; k++)
        for (int i = 0; i < d; i++)
            ck_assert_msg(
                y[k * d + i] == x[k * d + i],
                "%s, d = %d: image %d of %d decodes with pixel %d = "
                "%d, it was %d (exercises 9.1/9.2: encoder and "
                "decoder must split every range alike)",
                name, d, k + 1, n, i + 1, y[k * d + i], x[k * d + i]);
    /* the bound, against the model's forward pass (double sums) */
    double sum = 0;
    for (int k = 0; k < n; k++) {
        m->ops->forward(m, nll + k, m->scratch, x + (size_t)k * d, 1);
        double ideal = nll[k] / log(2),
               slack = d * coder_bit_overhead();
        ck_assert_msg(
            bits[k] <= ideal + slack + 1e-4 * d,
            "%s, d = %d: image %d costs %.4f bits; -log2 p(x) = "
            "%.4f and the bound allows %.4f more (exercise 9.1: "
            "x = 0 keeps (2^P - f1) / 2^P of the range)",
            name, d, k + 1, bits[k], ideal, slack);
        sum += bits[k];
    }
    /* the payload adds its table of segments and each coder's flush */
    int S = compress_segments((size_t)n);
    ck_assert_msg(8.0 * len <= sum + 8 * (4 + 13 * S),
                  "%s: %zu bytes "
                  "(%d segments) for %.1f bits",
                  name, len, S, sum);
    free(payload);
    free(y);
    free(bits);
    free(nll);
}

START_TEST(test_every_kind) {
    Rng rng;
    rng_seed(&rng, 9);
    for (int t = 0; t < N_KINDS; t++)
        for (int d = 4; d <= 16; d += 12) { /* 2 x 2 and 4 x 4 */
            Model m;
            random_model(&m, KINDS[t], d, 5, 8, 1.5f, &rng);
            compress_prepare(&m);
            uint8_t *x = images_of(&m, 40, &rng);
            check_kind(&m, KINDS[t], x, 40);
            free(x);
            model_free(&m);
        }
}
END_TEST

START_TEST(test_extreme_logits) {
    /* an FVSBN with W = 0 and biases +-30: every pixel 1 - 9e-14 sure,
     * and images that agree with it, disagree with it, or are mixed */
    Model m;
    Err e;
    int d = 64;
    ck_assert_int_eq(
        model_create(&m, model_ops_by_name("fvsbn"), d, 0, 8, &e), 0);
    memset(m.params, 0, m.n_params * sizeof *m.params);
    for (int i = 0; i < d; i++) m.params[i] = i % 3 ? 30.0f : -30.0f;
    Rng rng;
    rng_seed(&rng, 30);
    uint8_t *x =
        images_of(&m, 12, &rng); /* the likely image, 8 times */
    for (int i = 0; i < d; i++)
        x[4 * d + i] = !x[4 * d + i]; /* unlikely */
    for (int i = 0; i < d; i++) x[5 * d + i] = rng_below(&rng, 2) != 0;
    check_kind(&m, "fvsbn with logits +-30", x, 12);
    free(x);
    model_free(&m);
}
END_TEST

/* A file of the right form around a payload of 20 arbitrary bytes. */
static size_t make_file(uint8_t *buf, CompressHeader *h) {
    *h = (CompressHeader){.version = COMPRESS_VERSION,
                          .n = 3,
                          .rows = 4,
                          .cols = 4,
                          .kind = MODEL_NADE,
                          .ckpt_bytes = 999,
                          .ckpt_crc = 0x1234,
                          .images_crc = 7,
                          .payload_bytes = 20};
    for (int k = 0; k < 20; k++)
        buf[COMPRESS_HEADER + k] = (uint8_t)(k * 37);
    h->payload_crc = checkpoint_crc32(buf + COMPRESS_HEADER, 20);
    compress_put_header(buf, h);
    return COMPRESS_HEADER + 20;
}

static void refused(const uint8_t *buf, size_t len, const char *want,
                    const char *what) {
    CompressHeader h;
    const uint8_t *payload;
    Err e;
    ck_assert_msg(
        compress_parse(buf, len, "f.arcz", &h, &payload, &e) != 0,
        "a file %s is accepted", what);
    ck_assert_msg(
        strstr(e.msg, want) && strstr(e.msg, "f.arcz"),
        "a file %s: the error '%s' should name the file and say "
        "'%s'",
        what, e.msg, want);
}

START_TEST(test_refusals) {
    uint8_t buf[COMPRESS_HEADER + 40], bad[COMPRESS_HEADER + 40];
    CompressHeader h, g;
    size_t len = make_file(buf, &h);
    const uint8_t *payload;
    Err e;
    ck_assert_msg(
        compress_parse(buf, len, "f.arcz", &g, &payload, &e) == 0, "%s",
        e.msg);
    ck_assert(g.n == 3 && g.ckpt_crc == 0x1234 && payload[1] == 37);
    refused(buf, 3, "not a file of autoreg compress", "of 3 bytes");
    refused(buf, 30, "truncated", "cut in its header");
    refused(buf, len - 1, "truncated", "missing its last byte");
    memcpy(bad, buf, len);
    bad[len] = 0;
    refused(bad, len + 1, "1 bytes after the payload",
            "with a byte more");
    memcpy(bad, buf, len);
    bad[COMPRESS_HEADER + 5] ^= 4;
    refused(bad, len, "payload is corrupted",
            "with a payload bit flipped");
    memcpy(bad, buf, len);
    bad[9] ^= 1;
    refused(bad, len, "header is corrupted",
            "with a header bit flipped");
    memcpy(bad, buf, len);
    bad[0] = 'X';
    refused(bad, len, "not a file of autoreg compress",
            "without the magic");
    CompressHeader v = h;
    v.version = 2;
    memcpy(bad, buf, len);
    compress_put_header(bad, &v);
    refused(bad, len, "version 2", "of version 2");
    v = h;
    v.rows = 0;
    compress_put_header(bad, &v);
    refused(bad, len, "pixels", "of 0 rows");
    /* another checkpoint, or a model of other images */
    Model m;
    ck_assert_int_eq(
        model_create(&m, model_ops_by_name("nade"), 16, 3, 1, &e), 0);
    ck_assert_int_eq(compress_check_model(&h, "f.arcz", "m.ckpt", 999,
                                          0x1234, &m, &e),
                     0);
    /* a payload whose table of segments does not add up */
    uint8_t x[3 * 16], table[4 + 8 + 3] = {1, 0, 0, 0, 9};
    ck_assert_msg(compress_decode(&m, table, sizeof table, 3, x, &e) !=
                          0 &&
                      strstr(e.msg, "segment"),
                  "%s", e.msg);
    table[0] = 2;
    ck_assert_msg(compress_decode(&m, table, sizeof table, 3, x, &e) !=
                          0 &&
                      strstr(e.msg, "table of segments"),
                  "%s", e.msg);
    ck_assert_msg(compress_check_model(&h, "f.arcz", "other.ckpt", 999,
                                       0x1235, &m, &e) != 0 &&
                      strstr(e.msg, "another checkpoint") &&
                      strstr(e.msg, "other.ckpt"),
                  "%s", e.msg);
    model_free(&m);
    ck_assert_int_eq(
        model_create(&m, model_ops_by_name("nade"), 25, 3, 1, &e), 0);
    ck_assert_msg(compress_check_model(&h, "f.arcz", "m.ckpt", 999,
                                       0x1234, &m, &e) != 0 &&
                      strstr(e.msg, "4 x 4"),
                  "%s", e.msg);
    model_free(&m);
}
END_TEST

START_TEST(test_quantise) {
    /* never 0 or 2^P; the less likely value rounded up, so it never
     * loses; the likely one loses at most 2^-P */
    for (int k = 0; k <= 20000; k++) {
        double p = k / 20000.0;
        uint32_t f = coder_quantise(p);
        ck_assert_msg(f >= 1 && f < CODER_ONE, "p = %g gives f1 = %u",
                      p, f);
        double q = f / (double)CODER_ONE, rare = p <= 0.5 ? p : 1 - p;
        double qr = p <= 0.5 ? q : 1 - q;
        ck_assert_msg(qr >= rare && qr <= rare + 1.0 / CODER_ONE,
                      "p = %g: f1 = %u", p, f);
    }
    ck_assert_uint_eq(coder_quantise(NAN), CODER_ONE / 2);
    ck_assert_uint_eq(coder_quantise(0), 1);
    ck_assert_uint_eq(coder_quantise(1), CODER_ONE - 1);
}
END_TEST

START_TEST(test_pixel_bits) {
    /* what the coder charges: -log2 of the quantised probability, and a
     * fresh encoder's first bit costs that (the floor aside) */
    const double ps[] = {
        9.357622968840175e-14,    1e-5, 0.001, 0.3, 0.5, 0.7, 0.999,
        1 - 9.357622968840175e-14};
    for (int k = 0; k < 8; k++)
        for (int x = 0; x <= 1; x++) {
            uint32_t f1 = coder_quantise(ps[k]);
            double q = (x ? f1 : CODER_ONE - f1) / (double)CODER_ONE;
            double want = -log2(q), got = coder_pixel_bits(ps[k], x);
            double nll = -log2(x ? ps[k] : 1 - ps[k]);
            ck_assert_msg(
                fabs(got - want) <= 1e-9,
                "exercise 9.3 coder_pixel_bits(p1 = %g, x = %d) = "
                "%.6f bits, but the coder charges %.6f: -log2 of "
                "x's quantised probability (%u / 2^%d)%s",
                ps[k], x, got, want, x ? f1 : CODER_ONE - f1, CODER_P,
                fabs(got - nll) < 1e-9 && fabs(nll - want) > 1e-6
                    ? "; you return -log2 p, the model's own "
                      "charge: the coder's probabilities are "
                      "coder_quantise's"
                    : "");
            Encoder e;
            encoder_init(&e);
            encoder_bit(&e, x, f1);
            /* the floor moves a fresh range's split by < 2^(2P-32) */
            ck_assert_msg(
                fabs(e.bits - want) <= 0.01,
                "a first bit costs %.6f bits, the charge %.6f", e.bits,
                want);
            encoder_free(&e);
        }
}
END_TEST

static const TestSpec tests[] = {
    {"encoder: the interval shrinks to the bit's part",
     &test_encoder_split},
    {"decoder: the bit is the part the code lies in",
     &test_decoder_decision},
    {"bit streams round trip, extremes and carries included",
     &test_stream_round_trip},
    {"every model kind: lossless, each image within the bound",
     &test_every_kind},
    {"logits of +-30: lossless, within the bound",
     &test_extreme_logits},
    {"quantised probabilities: never 0, the rare value rounded up",
     &test_quantise},
    {"files: truncated, corrupted, other versions and checkpoints "
     "refused",
     &test_refusals},
    {"question: the bits the coder charges for a pixel",
     &test_pixel_bits},
};

const TestSuiteSpec SUITE = {"ch09", tests, N_TESTS(tests)};
