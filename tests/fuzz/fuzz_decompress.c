/* fuzz_decompress.c - libFuzzer target: the compressed-file parser and
 * the range decoder (compress_parse, compress_check_model,
 * compress_decode) with a 4 x 4 NADE of fixed random parameters.
 *
 * The first byte chooses the mode: even, the rest is a file as it
 * comes; odd, the harness first writes the right CRCs and checkpoint
 * fields into its header, so that arbitrary payloads reach the decoder
 * (a fuzzer cannot guess a CRC-32). The seed corpus file
 * decompress/nade-4x4 is what this target writes when run with
 * AUTOREG_FUZZ_WRITE_SEED=FILE: mode 1 and a real file of 5 images. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "compress.h"

static Model model;
enum { D = 16, MAX_PIXELS = 200000 };
static const uint64_t CKPT_BYTES = 1234;
static const uint32_t CKPT_CRC = 0xC0FFEE;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    Err e;
    if (model_create(&model, model_ops_by_name("nade"), D, 3, 1, &e))
        abort();
    Rng rng;
    rng_seed(&rng, 7);
    for (size_t k = 0; k < model.n_params; k++)
        model.params[k] = (float)(4 * rng_uniform(&rng) - 2);
    const char *seed = getenv("AUTOREG_FUZZ_WRITE_SEED");
    if (seed) {
        uint8_t x[5 * D], *payload;
        size_t len;
        for (int k = 0; k < 5 * D; k++) x[k] = (uint8_t)(k % 3 == 0);
        if (compress_encode(&model, x, 5, &payload, &len, NULL, &e))
            abort();
        CompressHeader h = {.version = COMPRESS_VERSION,
                            .n = 5,
                            .rows = 4,
                            .cols = 4,
                            .kind = MODEL_NADE,
                            .ckpt_bytes = CKPT_BYTES,
                            .ckpt_crc = CKPT_CRC,
                            .images_crc = checkpoint_crc32(x, sizeof x),
                            .payload_bytes = len,
                            .payload_crc =
                                checkpoint_crc32(payload, len)};
        uint8_t head[COMPRESS_HEADER];
        compress_put_header(head, &h);
        FILE *f = fopen(seed, "wb");
        if (!f || fputc(1, f) == EOF ||
            fwrite(head, 1, sizeof head, f) != sizeof head ||
            fwrite(payload, 1, len, f) != len || fclose(f))
            abort();
        free(payload);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    int fix = data[0] & 1;
    size_t len = size - 1;
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf) return 0;
    memcpy(buf, data + 1, len);
    if (fix && len >= COMPRESS_HEADER &&
        !memcmp(buf, COMPRESS_MAGIC, 4)) {
        /* the right CRCs, checkpoint and payload length, as a real
         * file of this model would have */
        CompressHeader h = {.version = COMPRESS_VERSION};
        const uint8_t *b = buf;
        h.n = (uint32_t)b[8] | (uint32_t)b[9] << 8 |
              (uint32_t)b[10] << 16 | (uint32_t)b[11] << 24;
        h.rows = b[12] ? b[12] : 1;
        h.cols = b[16] ? b[16] : 1;
        h.kind = MODEL_NADE;
        h.ckpt_bytes = CKPT_BYTES;
        h.ckpt_crc = CKPT_CRC;
        h.images_crc = (uint32_t)b[36] | (uint32_t)b[37] << 8;
        h.payload_bytes = len - COMPRESS_HEADER;
        h.payload_crc = checkpoint_crc32(buf + COMPRESS_HEADER,
                                         len - COMPRESS_HEADER);
        compress_put_header(buf, &h);
    }
    CompressHeader h;
    const uint8_t *payload;
    Err e;
    if (compress_parse(buf, len, "fuzz", &h, &payload, &e) == 0 &&
        compress_check_model(&h, "fuzz", "fuzz.ckpt", CKPT_BYTES,
                             CKPT_CRC, &model, &e) == 0 &&
        (size_t)h.n * D <= MAX_PIXELS) {
        if (payload < buf + COMPRESS_HEADER ||
            payload + h.payload_bytes > buf + len)
            abort();
        uint8_t *x = malloc((size_t)h.n * D);
        if (x &&
            compress_decode(&model, payload, (size_t)h.payload_bytes,
                            h.n, x, &e) == 0)
            for (size_t k = 0; k < (size_t)h.n * D; k++)
                if (x[k] > 1) abort(); /* pixels are bits */
        free(x);
    }
    free(buf);
    return 0;
}
