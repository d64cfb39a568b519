/* exp_ch09.c - chapter 9: the test sets of mnist and fashion coded by
 * the models of chapters 3-8 (their checkpoints in the sibling
 * directories), decoded and checked, beside gzip -9, bzip2 -9, xz -9
 * of the same bitmaps packed 8 pixels a byte and a 1-bit PNG.
 *
 * Writes codes.tsv (one row per data set and method), bits.dat (the
 * figure's bits per image by method), the packed bitmaps and
 * values.tsv. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "clock.h"
#include "coder.h"
#include "compress.h"
#include "experiments.h"
#include "parallel.h"

typedef struct {
    const char *key, *label;
    const char *ckpt[2]; /* under the build directory: mnist, fashion */
} CodedModel;

static const CodedModel MODELS[] = {
    {"fvsbn",
     "FVSBN (ch. 3)",
     {"ch03/fvsbn.ckpt", "ch06/fashion-fvsbn/fvsbn.ckpt"}},
    {"mlp",
     "MLP, h = 8 (ch. 4)",
     {"ch04/mlp.ckpt", "ch06/fashion-mlp/mlp.ckpt"}},
    {"nade",
     "NADE (ch. 5)",
     {"ch05/nade.ckpt", "ch06/fashion-nade/nade.ckpt"}},
    {"made",
     "MADE (ch. 7)",
     {"ch07/made.ckpt", "ch07/fashion/made.ckpt"}},
    {"pixelcnn",
     "PixelCNN (ch. 8)",
     {"ch08/pixelcnn.ckpt", "ch08/fashion/pixelcnn.ckpt"}},
};
enum { N_MODELS = sizeof MODELS / sizeof *MODELS };

/* The standard tools, each reading the file named last. */
static const struct {
    const char *key, *label, *cmd, *input;
} TOOLS[] = {
    {"gzip", "gzip -9", "gzip -9 -c", "bits"},
    {"bzip2", "bzip2 -9", "bzip2 -9 -c", "bits"},
    {"xz", "xz -9", "xz -9 -c", "bits"},
    {"png", "PNG, 1 bit", "pnmtopng -compression 9", "pbm"},
};
enum { N_TOOLS = sizeof TOOLS / sizeof *TOOLS };

static const char *const SETS[2] = {"mnist", "fashion"};

/* bits[set][method]: the figure's numbers (NAN: not run) */
typedef struct {
    double bits[2][N_MODELS + N_TOOLS];
    double min_gap[2]; /* the most negative code - NLL of a set */
    int min_gap_model[2];
    double max_worst; /* the largest excess of one image, any model */
    char max_worst_what[64];
    FILE *tsv;
} Table;

/* Bytes a tool writes for the file at path: -1 when it cannot run. */
static long tool_bytes(const char *cmd, const char *path) {
    char line[1400];
    if (strchr(path, '\'')) return -1;
    snprintf(line, sizeof line, "%s '%s' 2>/dev/null", cmd, path);
    FILE *p = popen(line, "r");
    if (!p) return -1;
    char buf[65536];
    long n = 0;
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, p)) > 0) n += (long)k;
    return pclose(p) == 0 && n > 0 ? n : -1;
}

/* The images packed 8 pixels a byte (DIR/SET-test.bits), and as a raw
 * PBM, one image under the other (DIR/SET-test.pbm). */
static int write_bitmaps(const char *dir, const char *set,
                         const uint8_t *x, size_t n, int rows, int cols,
                         Err *e) {
    char path[1100], name[64];
    OutFile o;
    snprintf(name, sizeof name, "%s-test.bits", set);
    if (out_open(&o, exp_path(path, sizeof path, dir, name), e))
        return -1;
    size_t bits = n * (size_t)rows * cols;
    for (size_t b = 0; b < bits; b += 8) {
        int byte = 0;
        for (int k = 0; k < 8; k++)
            byte = byte << 1 | (b + k < bits ? x[b + k] : 0);
        fputc(byte, o.f);
    }
    if (out_close(&o, e)) return -1;
    snprintf(name, sizeof name, "%s-test.pbm", set);
    if (out_open(&o, exp_path(path, sizeof path, dir, name), e))
        return -1;
    fprintf(o.f, "P4\n%d %zu\n", cols, n * (size_t)rows);
    for (size_t r = 0; r < n * (size_t)rows; r++)
        for (int c0 = 0; c0 < cols; c0 += 8) {
            int byte = 0;
            for (int k = 0; k < 8; k++)
                byte = byte << 1 |
                       (c0 + k < cols ? x[r * cols + c0 + k] : 0);
            fputc(byte, o.f);
        }
    return out_close(&o, e);
}

/* nll[i] = -log p(x_i) of each image (nats), on all cores */
typedef struct {
    Model *m;
    const uint8_t *x;
    size_t n;
    double *nll;
    int T, failed;
} NllJob;

static void image_nlls(void *ctx, int th) {
    NllJob *j = ctx;
    Model m;
    Err e;
    if (model_share(&m, j->m, &e)) {
        j->failed = 1;
        return;
    }
    for (size_t i = (size_t)th; i < j->n; i += (size_t)j->T)
        m.ops->forward(&m, j->nll + i, m.scratch, j->x + i * m.d, 1);
    model_unshare(&m);
}

/* Model k on set s: code the n test images, decode, compare; one row.
 */
static int code_model(const ExpOptions *opt, int s, int k,
                      const Split *sp, size_t n, Table *t, Values *v,
                      Err *e) {
    char path[1100], key[48];
    const CodedModel *cm = &MODELS[k];
    exp_sibling(path, sizeof path, opt->out, cm->ckpt[s]);
    Model m;
    Err why;
    if (checkpoint_load(path, 0, 1, &m, &why)) { /* not run: no row */
        snprintf(key, sizeof key, "%s_%s_missing", SETS[s], cm->key);
        values_add(v, key, "%s", path);
        return 0;
    }
    compress_prepare(&m);
    int d = m.d;
    uint8_t *payload = NULL, *y = malloc(n * d);
    double *bits = malloc(n * sizeof *bits),
           *nll = malloc(n * sizeof *nll);
    size_t len = 0;
    int rc = !y || !bits || !nll
                 ? err_set(e, "chapter 9: out of memory")
                 : 0;
    double t0 = now_seconds(), t1 = t0, t2 = t0;
    if (!rc)
        rc = compress_encode(&m, sp->x, n, &payload, &len, bits, e);
    t1 = now_seconds();
    if (!rc) rc = compress_decode(&m, payload, len, n, y, e);
    t2 = now_seconds();
    if (!rc && memcmp(y, sp->x, n * d))
        rc = err_set(e,
                     "chapter 9: %s: the %s's code does not decode to "
                     "the %s test images",
                     path, m.ops->name, SETS[s]);
    if (!rc) {
        NllJob nj = {&m, sp->x, n, nll, parallel_threads(), 0};
        parallel_for(nj.T, image_nlls, &nj);
        if (nj.failed) rc = err_set(e, "chapter 9: out of memory");
    }
    if (!rc) {
        double sum = 0, nll_sum = 0, worst = -INFINITY;
        for (size_t i = 0; i < n; i++) { /* each image's -log2 p(x) */
            double ideal = nll[i] / log(2);
            sum += bits[i];
            nll_sum += ideal;
            worst = fmax(worst, bits[i] - ideal);
        }
        if ((sum - nll_sum) / n < t->min_gap[s]) {
            t->min_gap[s] = (sum - nll_sum) / n;
            t->min_gap_model[s] = k;
        }
        if (worst > t->max_worst) {
            t->max_worst = worst;
            snprintf(t->max_worst_what, sizeof t->max_worst_what,
                     "%s on %s", cm->label, SETS[s]);
        }
        double bytes = (double)(len + COMPRESS_HEADER) / n;
        t->bits[s][k] = 8 * bytes;
        fprintf(t->tsv, "%s\t%s\t%.2f\t%.2f\t%.2f\t%.0f\t%.0f\n",
                SETS[s], cm->label, bytes, sum / n, nll_sum / n,
                n / (t1 - t0), n / (t2 - t1));
#define PUT(what, fmt, val)                                            \
    snprintf(key, sizeof key, "%s_%s_%s", SETS[s], cm->key, what);     \
    values_add(v, key, fmt, val)
        PUT("bytes", "%.2f", bytes);
        PUT("bits", "%.2f", sum / n);
        PUT("file_bits", "%.2f", 8 * bytes);
        PUT("nll_bits", "%.2f", nll_sum / n);
        PUT("gap", "%.3f", (sum - nll_sum) / n);
        PUT("worst", "%.3f", worst);
        PUT("file_bytes", "%zu", len + COMPRESS_HEADER);
        PUT("enc_per_s", "%.0f", n / (t1 - t0));
        PUT("dec_per_s", "%.0f", n / (t2 - t1));
#undef PUT
    }
    free(payload);
    free(y);
    free(bits);
    free(nll);
    model_free(&m);
    return rc;
}

static int code_set(const ExpOptions *opt, int s, Table *t, Values *v,
                    Err *e) {
    Dataset ds;
    int rc = data_load(&ds, SETS[s], "data", e);
    if (rc) return 2;
    const Split *sp = &ds.split[SPLIT_TEST];
    /* the quick preset: the first 1,000 of fashion's 10,000 */
    size_t n = opt->quick && sp->n > 1000 ? 1000 : sp->n;
    char key[48], path[1100];
    snprintf(key, sizeof key, "%s_images", SETS[s]);
    values_add(v, key, "%zu", n);
    for (int k = 0; k < N_MODELS && !rc; k++)
        rc = code_model(opt, s, k, sp, n, t, v, e);
    if (!rc)
        rc = write_bitmaps(opt->out, SETS[s], sp->x, n, ds.rows,
                           ds.cols, e);
    for (int k = 0; k < N_TOOLS && !rc; k++) {
        char name[64];
        snprintf(name, sizeof name, "%s-test.%s", SETS[s],
                 TOOLS[k].input);
        long bytes = tool_bytes(
            TOOLS[k].cmd, exp_path(path, sizeof path, opt->out, name));
        snprintf(key, sizeof key, "%s_%s_bytes", SETS[s], TOOLS[k].key);
        if (bytes <
            0) { /* not installed: scripts/install-deps compress */
            values_add(v, key, "n/a");
            continue;
        }
        double per = (double)bytes / n;
        t->bits[s][N_MODELS + k] = 8 * per;
        values_add(v, key, "%.2f", per);
        snprintf(key, sizeof key, "%s_%s_bits", SETS[s], TOOLS[k].key);
        values_add(v, key, "%.1f", 8 * per);
        fprintf(t->tsv, "%s\t%s\t%.2f\t-\t-\t-\t-\n", SETS[s],
                TOOLS[k].label, per);
    }
    double raw = ds.rows * ds.cols / 8.0;
    snprintf(key, sizeof key, "%s_raw_bytes", SETS[s]);
    values_add(v, key, "%.0f", raw);
    fprintf(t->tsv, "%s\tpacked, 8 pixels a byte\t%.2f\t-\t-\t-\t-\n",
            SETS[s], raw);
    data_free(&ds);
    return rc;
}

int exp_ch09(const ExpOptions *opt, Err *e) {
    if (make_dirs(opt->out, e)) return 1;
    Values v = {0};
    Table t;
    for (int s = 0; s < 2; s++) {
        for (int k = 0; k < N_MODELS + N_TOOLS; k++) t.bits[s][k] = NAN;
        t.min_gap[s] = INFINITY;
        t.min_gap_model[s] = -1;
    }
    t.max_worst = -INFINITY;
    snprintf(t.max_worst_what, sizeof t.max_worst_what, "none");
    char path[1100];
    OutFile tsv, dat;
    if (out_open(&tsv,
                 exp_path(path, sizeof path, opt->out, "codes.tsv"), e))
        return 1;
    t.tsv = tsv.f;
    fprintf(tsv.f, "data\tmethod\tbytes per image\tcode (bits)\t"
                   "NLL (bits)\tencoded/s\tdecoded/s\n");
    int rc = 0;
    for (int s = 0; s < 2 && !rc; s++) rc = code_set(opt, s, &t, &v, e);
    if (rc) {
        out_discard(&tsv);
        return rc;
    }
    for (int s = 0; s < 2; s++) {
        char key[48];
        snprintf(key, sizeof key, "%s_min_gap_model", SETS[s]);
        int k = t.min_gap_model[s];
        values_add(&v, key, "%s", k < 0 ? "none" : MODELS[k].label);
        snprintf(key, sizeof key, "%s_min_gap", SETS[s]);
        values_add(&v, key, "%.3f", t.min_gap[s]);
    }
    values_add(&v, "max_worst", "%.3f", t.max_worst);
    values_add(&v, "max_worst_what", "%s", t.max_worst_what);
    values_add(&v, "precision", "%d", CODER_P);
    values_add(&v, "overhead_pixel", "%.5f", coder_bit_overhead());
    values_add(&v, "overhead_image", "%.2f",
               784 * coder_bit_overhead());
    values_add(&v, "header_bytes", "%d", COMPRESS_HEADER);
    if (out_close(&tsv, e)) return 1;
    /* the figure: one line per method, bits per image on each set */
    if (out_open(&dat,
                 exp_path(path, sizeof path, opt->out, "bits.dat"), e))
        return 1;
    fprintf(dat.f, "# method\tmnist\tfashion (bits per image)\n");
    for (int k = 0; k < N_MODELS + N_TOOLS; k++)
        fprintf(dat.f, "\"%s\"\t%.2f\t%.2f\n",
                k < N_MODELS ? MODELS[k].label
                             : TOOLS[k - N_MODELS].label,
                t.bits[0][k], t.bits[1][k]);
    if (out_close(&dat, e)) return 1;
    return values_write(&v, opt->out, e) ? 1 : 0;
}
