/* cmd_compress.c - `autoreg compress` and `autoreg decompress`
 * (chapter 9): a split's images coded by a checkpoint's conditionals
 * into one file, and back (compress.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "cli.h"
#include "clock.h"
#include "compress.h"
#include "data.h"
#include "idx.h"
#include "image.h"
#include "out.h"
#include "readfile.h"

static const char *COMPRESS_USAGE =
    "usage: autoreg compress --checkpoint FILE --data SET --out FILE "
    "[options]\n\n"
    "Codes the images of a split with the model's conditionals p(x_i | "
    "x_<i)\n"
    "and a range coder (chapter 9): the file's size is the model's NLL "
    "in\n"
    "bits, within chapter 9's bound and a few bytes. Prints the size\n"
    "beside the model's NLL and the time taken.\n\n"
    "  --checkpoint FILE  any checkpoint of autoreg train (a MADE "
    "with\n"
    "                     several masks codes with its first)\n"
    "  --data SET         mnist, fashion, ... as in train\n"
    "  --data-dir DIR     prepared data sets (default data)\n"
    "  --split NAME       train, valid, test (default test)\n"
    "  --n N              the first N images of the split (default "
    "all)\n"
    "  --out FILE         the compressed file (autoreg decompress "
    "reads "
    "it)\n"
    "  --quiet            no summary on stdout\n";

static const char *DECOMPRESS_USAGE =
    "usage: autoreg decompress --checkpoint FILE --in FILE --out "
    "FILE\n\n"
    "Decodes a file of autoreg compress with the checkpoint that wrote "
    "it\n"
    "and checks the images against their CRC-32.\n\n"
    "  --checkpoint FILE  the checkpoint autoreg compress used\n"
    "  --in FILE          the compressed file\n"
    "  --out FILE         FILE.idx: the images as IDX (pixels 0 and 1, "
    "as\n"
    "                     data/SET/*-binarized-idx3-ubyte); FILE.pgm "
    "or\n"
    "                     FILE.pbm: a grid of them, 10 a row\n"
    "  --quiet            no summary on stdout\n";

typedef struct {
    const char *ckpt, *data, *data_dir, *split, *out, *in;
    long n;
    int split_index, quiet;
} CompressOpts;

static int parse(int argc, char **argv, CompressOpts *o,
                 int decompress) {
    *o = (CompressOpts){
        .data_dir = "data", .split = "test", .split_index = SPLIT_TEST};
    const CliOpt copts[] = {
        {"--checkpoint", CLI_STR, .required = 1, .str = &o->ckpt},
        {"--data", CLI_STR, .required = 1, .str = &o->data},
        {"--data-dir", CLI_STR, .str = &o->data_dir},
        {"--split", CLI_CHOICE, .index = &o->split_index,
         .str = &o->split, .choices = SPLIT_NAMES,
         .n_choices = N_SPLITS},
        {"--n", CLI_LONG, .num = &o->n, .lo = 1,
         .hi = COMPRESS_MAX_IMAGES},
        {"--out", CLI_STR, .required = 1, .str = &o->out},
        {"--quiet", CLI_FLAG, .flag = &o->quiet},
        {NULL}};
    const CliOpt dopts[] = {
        {"--checkpoint", CLI_STR, .required = 1, .str = &o->ckpt},
        {"--in", CLI_STR, .required = 1, .str = &o->in},
        {"--out", CLI_STR, .required = 1, .str = &o->out},
        {"--quiet", CLI_FLAG, .flag = &o->quiet},
        {NULL}};
    CliSpec spec = {.cmd = decompress ? "decompress" : "compress",
                    .usage =
                        decompress ? DECOMPRESS_USAGE : COMPRESS_USAGE,
                    .opts = decompress ? dopts : copts};
    int rc = cli_parse(&spec, argc, argv), fmt;
    if (rc || !decompress) return rc;
    size_t len = strlen(o->out);
    if (len >= 4 && !strcmp(o->out + len - 4, ".idx")) return 0;
    if (image_format_of(o->out) == IMG_MATRIX)
        return cli_usage_error("decompress",
                               "--out must end in .idx, .pgm "
                               "or .pbm:",
                               o->out);
    return cli_image_out("decompress", o->out, 1, &fmt);
}

int compress_parse_only(int argc, char **argv, int decompress) {
    CompressOpts o;
    return parse(argc, argv, &o, decompress);
}

/* The header and the payload, atomically. */
static int write_file(const char *path, const CompressHeader *h,
                      const uint8_t *payload, Err *e) {
    uint8_t head[COMPRESS_HEADER];
    compress_put_header(head, h);
    OutFile f;
    if (out_open(&f, path, e)) return -1;
    if (fwrite(head, 1, sizeof head, f.f) != sizeof head ||
        fwrite(payload, 1, (size_t)h->payload_bytes, f.f) !=
            (size_t)h->payload_bytes) {
        out_discard(&f);
        return err_set(e, "%s: cannot write", path);
    }
    return out_close(&f, e);
}

int cmd_compress(int argc, char **argv) {
    CompressOpts o;
    int rc = parse(argc, argv, &o, 0);
    if (rc) return rc == 1 ? 0 : rc;
    Model m;
    Dataset ds;
    Err e;
    CompressHeader h = {.version = COMPRESS_VERSION};
    if (compress_hash_file(o.ckpt, &h.ckpt_bytes, &h.ckpt_crc, &e) ||
        checkpoint_load(o.ckpt, 0, 1, &m, &e))
        return cli_fail(&e);
    if (data_load(&ds, o.data, o.data_dir, &e)) {
        model_free(&m);
        return cli_fail(&e);
    }
    const Split *sp = &ds.split[o.split_index];
    size_t n = o.n ? (size_t)o.n : sp->n;
    rc = 0;
    if (sp->d != m.d)
        rc = err_set(&e, "%s has %d pixels per image, %s models %d",
                     o.data, sp->d, o.ckpt, m.d);
    else if (n > sp->n)
        rc = err_set(&e,
                     "--n %zu, but the %s split of %s has %zu images",
                     n, o.split, o.data, sp->n);
    uint8_t *payload = NULL;
    size_t len = 0;
    double *bits = rc ? NULL : malloc(n * sizeof *bits);
    double t0 = now_seconds();
    if (!rc && !bits) rc = err_set(&e, "compress: out of memory");
    int first_mask = rc ? 0 : compress_prepare(&m);
    if (!rc)
        rc = compress_encode(&m, sp->x, n, &payload, &len, bits, &e);
    double secs = now_seconds() - t0;
    if (!rc) {
        h.n = (uint32_t)n;
        h.rows = (uint32_t)ds.rows;
        h.cols = (uint32_t)ds.cols;
        h.kind = (uint32_t)m.ops->kind;
        h.images_crc = checkpoint_crc32(sp->x, n * (size_t)m.d);
        h.payload_bytes = len;
        h.payload_crc = checkpoint_crc32(payload, len);
        rc = write_file(o.out, &h, payload, &e);
    }
    if (!rc && !o.quiet) {
        double sum = 0;
        for (size_t k = 0; k < n; k++) sum += bits[k];
        double nll = model_mean_nll(&m, sp->x, n) / 0.6931471805599453;
        size_t total = len + COMPRESS_HEADER;
        printf(
            "compressed %zu images of %d pixels with the %s%s to %s: "
            "%zu bytes (%.2f bytes, %.2f bits an image; the model's "
            "NLL %.2f bits); %.2f s, %.0f images/s\n",
            n, m.d, m.ops->name, first_mask ? " (its first mask)" : "",
            o.out, total, (double)total / n, sum / n, nll, secs,
            secs > 0 ? n / secs : 0.0);
    }
    free(bits);
    free(payload);
    model_free(&m);
    data_free(&ds);
    return rc ? cli_fail(&e) : 0;
}

/* The images into path: IDX, or a grid of 10 a row. */
static int write_images(const char *path, const uint8_t *x, size_t n,
                        int rows, int cols, Err *e) {
    size_t len = strlen(path);
    if (len >= 4 && !strcmp(path + len - 4, ".idx")) {
        Idx idx = {
            .ndim = 3,
            .dims = {(uint32_t)n, (uint32_t)rows, (uint32_t)cols},
            .size = n * (size_t)rows * cols,
            .data = (uint8_t *)x};
        return idx_write(path, &idx, e);
    }
    return image_grid_write(path, image_format_of(path), x, n, rows,
                            cols, n < 10 ? (int)n : 10, 1, e);
}

int cmd_decompress(int argc, char **argv) {
    CompressOpts o;
    int rc = parse(argc, argv, &o, 1);
    if (rc) return rc == 1 ? 0 : rc;
    Err e;
    uint8_t *buf;
    size_t len;
    if (file_read_all(o.in, (size_t)1 << 31, &buf, &len, &e))
        return cli_fail(&e);
    CompressHeader h;
    const uint8_t *payload;
    uint64_t ckpt_bytes;
    uint32_t ckpt_crc;
    Model m;
    if (compress_parse(buf, len, o.in, &h, &payload, &e) ||
        compress_hash_file(o.ckpt, &ckpt_bytes, &ckpt_crc, &e) ||
        checkpoint_load(o.ckpt, 0, 1, &m, &e)) {
        free(buf);
        return cli_fail(&e);
    }
    size_t n = h.n, d = (size_t)m.d;
    uint8_t *x = NULL;
    double t0 = now_seconds();
    rc = compress_check_model(&h, o.in, o.ckpt, ckpt_bytes, ckpt_crc,
                              &m, &e);
    if (!rc && !(x = malloc(n * d)))
        rc = err_set(&e, "decompress: out of memory for %zu images", n);
    int first_mask = rc ? 0 : compress_prepare(&m);
    if (!rc)
        rc = compress_decode(&m, payload, (size_t)h.payload_bytes, n, x,
                             &e);
    double secs = now_seconds() - t0;
    int internal = 0;
    if (!rc && checkpoint_crc32(x, n * d) != h.images_crc) {
        rc = err_set(
            &e,
            "%s: the decoded images fail their CRC-32: %s "
            "gives other probabilities here than where the file "
            "was written (another build or CPU?)",
            o.in, o.ckpt);
        internal = 1;
    }
    if (!rc)
        rc = write_images(o.out, x, n, (int)h.rows, (int)h.cols, &e);
    if (!rc && !o.quiet)
        printf(
            "decompressed %zu images of %u x %u pixels with the %s%s "
            "to %s; %.2f s, %.0f images/s\n",
            n, h.rows, h.cols, m.ops->name,
            first_mask ? " (its first mask)" : "", o.out, secs,
            secs > 0 ? n / secs : 0.0);
    free(x);
    free(buf);
    model_free(&m);
    if (rc && internal) {
        fprintf(stderr, "autoreg: %s\n", e.msg);
        return 1;
    }
    return rc ? cli_fail(&e) : 0;
}
