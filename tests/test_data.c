/* test_data.c - the data layer: IDX, JSON and .amat parsers on good and
 * bad files, splits, binarization, prepared data sets, image grids.
 * Every file is generated here; no network, no real data needed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "data.h"
#include "idx.h"
#include "image.h"
#include "out.h"
#include "readfile.h"
#include "runner.h"
#include "textfmt.h"

/* An IDX image file of n images rows x cols, pixel (k, p) = (k + p) %
 * 256. */
static size_t make_idx(uint8_t *buf, uint32_t magic, uint32_t n,
                       uint32_t rows, uint32_t cols) {
    uint32_t w[4] = {magic, n, rows, cols};
    int nw = (magic & 0xff) == 3 ? 4 : 2;
    size_t k = 0;
    for (int i = 0; i < nw; i++)
        for (int b = 3; b >= 0; b--)
            buf[k++] = (uint8_t)(w[i] >> (8 * b));
    size_t body = (size_t)n * (nw == 4 ? rows * cols : 1);
    for (size_t i = 0; i < body; i++) buf[k++] = (uint8_t)(i % 256);
    return k;
}

/* Assert that reading `path` fails and the message names it and `what`.
 */
static void expect_idx_error(const char *path, int ndim,
                             const char *what) {
    Idx idx;
    Err e = {""};
    ck_assert_int_eq(idx_read(path, ndim, &idx, &e), -1);
    ck_assert_msg(strstr(e.msg, path) != NULL,
                  "message '%s' lacks the file", e.msg);
    ck_assert_msg(strstr(e.msg, what) != NULL,
                  "message '%s' lacks '%s'", e.msg, what);
    ck_assert_ptr_null(strchr(e.msg, '\n'));
}

START_TEST(test_idx_round_trip) {
    char dir[64], path[512];
    tmpdir_make(dir);
    uint8_t px[2 * 3 * 4];
    for (int i = 0; i < 24; i++) px[i] = (uint8_t)(i * 10);
    Idx out = {3, {2, 3, 4}, 24, px};
    snprintf(path, sizeof path, "%s/im", dir);
    Err e;
    ck_assert_int_eq(idx_write(path, &out, &e), 0);
    Idx in;
    ck_assert_int_eq(idx_read(path, 3, &in, &e), 0);
    ck_assert_int_eq(in.ndim, 3);
    ck_assert_uint_eq(in.dims[0], 2);
    ck_assert_uint_eq(in.dims[1], 3);
    ck_assert_uint_eq(in.dims[2], 4);
    ck_assert_int_eq(memcmp(in.data, px, 24), 0);
    idx_free(&in);
    uint8_t lab[5] = {9, 8, 7, 6, 5};
    Idx lo = {1, {5, 0, 0}, 5, lab};
    snprintf(path, sizeof path, "%s/lb", dir);
    ck_assert_int_eq(idx_write(path, &lo, &e), 0);
    ck_assert_int_eq(idx_read(path, 1, &in, &e), 0);
    ck_assert_uint_eq(in.dims[0], 5);
    ck_assert_int_eq(memcmp(in.data, lab, 5), 0);
    idx_free(&in);
    tmpdir_remove(dir);
}
END_TEST

START_TEST(test_idx_gzip) {
    char dir[64], path[512];
    tmpdir_make(dir);
    uint8_t buf[64];
    size_t len = make_idx(buf, IDX_MAGIC_IMAGES, 2, 4, 4);
    snprintf(path, sizeof path, "%s/im.gz", dir);
    gzFile g = gzopen(path, "wb");
    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq(gzwrite(g, buf, (unsigned)len), (int)len);
    ck_assert_int_eq(gzclose(g), Z_OK);
    Idx in;
    Err e;
    ck_assert_int_eq(idx_read(path, 3, &in, &e), 0);
    ck_assert_uint_eq(in.size, 32);
    ck_assert_int_eq(memcmp(in.data, buf + 16, 32), 0);
    idx_free(&in);
    /* a gzip file cut in half is reported, not read short */
    FILE *f = fopen(path, "rb");
    uint8_t z[256];
    size_t zl = fread(z, 1, sizeof z, f);
    fclose(f);
    write_test_file(path, dir, "cut.gz", z, zl / 2);
    expect_idx_error(path, 3, "end of file");
    tmpdir_remove(dir);
}
END_TEST

START_TEST(test_idx_bad_files) {
    char dir[64], path[512];
    tmpdir_make(dir);
    uint8_t buf[256];
    snprintf(path, sizeof path, "%s/missing", dir);
    expect_idx_error(path, 3, "No such file");

    size_t len = make_idx(buf, IDX_MAGIC_IMAGES, 2, 3, 3);
    write_test_file(path, dir, "labels-as-images", buf, len);
    expect_idx_error(path, 1,
                     "wrong magic 0x00000803, expected 0x00000801");
    uint8_t junk[8] = {0x1f, 0x8c, 0, 0, 0, 0, 0, 0};
    write_test_file(path, dir, "junk", junk, sizeof junk);
    expect_idx_error(path, 3, "wrong magic");
    write_test_file(path, dir, "short-magic", buf, 3);
    expect_idx_error(path, 3, "truncated header");
    write_test_file(path, dir, "short-header", buf, 10);
    expect_idx_error(path, 3, "truncated header");
    write_test_file(path, dir, "short-body", buf, len - 1);
    expect_idx_error(path, 3, "truncated body");
    buf[len] = 0;
    write_test_file(path, dir, "long-body", buf, len + 1);
    expect_idx_error(path, 3, "unexpected bytes");
    /* sizes whose product overflows 32 and 64 bits */
    len = make_idx(buf, IDX_MAGIC_IMAGES, 0, 0, 0);
    uint8_t huge[16] = {0,    0,    8,    3,    0xff, 0xff, 0xff, 0xff,
                        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    write_test_file(path, dir, "huge", huge, sizeof huge);
    expect_idx_error(path, 3, "exceed");
    /* sizes that fit in memory but not in the file */
    uint8_t big[16] = {0, 0, 8, 3,  0, 0, 0x27, 0x10,
                       0, 0, 0, 28, 0, 0, 0,    28};
    write_test_file(path, dir, "big", big, sizeof big);
    expect_idx_error(path, 3, "truncated body");
    uint8_t zero[16] = {0, 0, 8, 3, 0, 0, 0, 1,
                        0, 0, 0, 0, 0, 0, 0, 28};
    write_test_file(path, dir, "zero", zero, sizeof zero);
    expect_idx_error(path, 3, "size 2 is 0");
    tmpdir_remove(dir);
}
END_TEST

START_TEST(test_json_good) {
    const char *s =
        " { \"data\" : [0, 1, 0.5,\n 0.2, 1e-1, 0.0, 1.0, 0.498] } \n";
    uint8_t *g;
    size_t n;
    Err e;
    ck_assert_int_eq(
        mnist_json_parse(s, strlen(s), 4, "t.json", &g, &n, &e), 0);
    ck_assert_uint_eq(n, 8);
    const uint8_t want[8] = {0, 255, 128, 51, 26, 0, 255, 127};
    for (int i = 0; i < 8; i++) ck_assert_int_eq(g[i], want[i]);
    free(g);
}
END_TEST

static void expect_json_error(const char *s, const char *what) {
    uint8_t *g;
    size_t n;
    Err e = {""};
    ck_assert_int_eq(
        mnist_json_parse(s, strlen(s), 2, "7.json", &g, &n, &e), -1);
    ck_assert_ptr_null(g);
    ck_assert_msg(strstr(e.msg, "7.json") && strstr(e.msg, what),
                  "input '%s': message '%s' lacks '%s'", s, e.msg,
                  what);
}

START_TEST(test_json_bad) {
    expect_json_error("", "unexpected end");
    expect_json_error("[0, 1]", "expected '{'");
    expect_json_error("{\"dat\": [0, 1]}", "key \"data\"");
    expect_json_error("{\"data\": [0, 1}", "expected ',' or ']'");
    expect_json_error("{\"data\": [0, 1,]}", "expected a number");
    expect_json_error("{\"data\": [0, 1.5]}", "outside [0, 1]");
    expect_json_error("{\"data\": [0, -0.5]}", "outside [0, 1]");
    expect_json_error("{\"data\": [0, 1.]}", "digits expected");
    expect_json_error("{\"data\": [0, 1, 1]}", "multiple of 2");
    expect_json_error("{\"data\": []}", "multiple of 2");
    expect_json_error("{\"data\": [0, 1]} x", "after the object");
    expect_json_error("{\"data\": [0, nan]}", "expected a number");
}
END_TEST

START_TEST(test_amat) {
    const char *good = "0 1 1 0\n1 1 1 1 \r\n0 0 0 0\n";
    uint8_t *x;
    size_t n;
    Err e = {""};
    ck_assert_int_eq(
        amat_parse(good, strlen(good), 4, "a.amat", &x, &n, &e), 0);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(x[1], 1);
    ck_assert_int_eq(x[4], 1);
    ck_assert_int_eq(x[11], 0);
    free(x);
    const char *bad[][2] = {
        {"0 1 1 0\n1 1 2 1\n", "a.amat:2: value 3 is '2'"},
        {"0 1 1 0\n1 1 1\n", "a.amat:2: 3 values, expected 4"},
        {"0 1 1 0 1\n", "a.amat:1: 5 values, expected 4"},
        {"0 1 1 0.5\n", "value 4 is '0.5'"},
        {"", "no images"},
        {"0 1 1 0\n\n0 1 1 0\n", "a.amat:2: 0 values"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(amat_parse(bad[i][0], strlen(bad[i][0]), 4,
                                    "a.amat", &x, &n, &e),
                         -1);
        ck_assert_msg(strstr(e.msg, bad[i][1]),
                      "message '%s' lacks '%s'", e.msg, bad[i][1]);
    }
}
END_TEST

START_TEST(test_permutation) {
    enum { N = 1000 };
    size_t a[N], b[N], c[N];
    data_permutation(a, N, 1);
    data_permutation(b, N, 1);
    data_permutation(c, N, 2);
    ck_assert_int_eq(memcmp(a, b, sizeof a), 0);
    ck_assert_int_ne(memcmp(a, c, sizeof a), 0);
    int seen[N] = {0};
    for (int i = 0; i < N; i++) seen[a[i]]++;
    for (int i = 0; i < N; i++) ck_assert_int_eq(seen[i], 1);
}
END_TEST

START_TEST(test_binarization) {
    enum { N = 200000 };
    uint8_t *g = malloc(N), *x = malloc(N), *y = malloc(N);
    double mean = 0;
    for (int i = 0; i < N; i++) {
        g[i] = (uint8_t)((i * 37) % 256);
        mean += g[i] / 255.0 / N;
    }
    data_binarize(x, g, N, BIN_STOCHASTIC, 5);
    double dens = 0;
    for (int i = 0; i < N; i++) dens += x[i] / (double)N;
    /* sd of the mean of N Bernoullis is at most 0.5 / sqrt(N) = 0.0011
     */
    ck_assert_double_eq_tol(dens, mean, 0.006);
    data_binarize(y, g, N, BIN_STOCHASTIC, 5);
    ck_assert_int_eq(memcmp(x, y, N), 0); /* same seed, same bits */
    data_binarize(y, g, N, BIN_STOCHASTIC, 6);
    ck_assert_int_ne(memcmp(x, y, N), 0);
    data_binarize(y, g, N, BIN_THRESHOLD, 0);
    for (int i = 0; i < N; i++)
        ck_assert_int_eq(y[i], g[i] / 255.0 > 0.5);
    /* grey 0 never turns on, grey 255 always does */
    const uint8_t ends[2] = {0, 255};
    uint8_t out[2];
    for (int s = 0; s < 100; s++) {
        data_binarize(out, ends, 2, BIN_STOCHASTIC, (uint64_t)s);
        ck_assert_int_eq(out[0], 0);
        ck_assert_int_eq(out[1], 1);
    }
    free(g);
    free(x);
    free(y);
}
END_TEST

/* 10 generated JSON files, 1000 digits each: digit k's images are all
 * grey k/9 in the first pixel, 0.5 elsewhere. */
static void make_json_digits(const char *dir) {
    for (int k = 0; k < 10; k++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%d.json", dir, k);
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fprintf(f, "{\"data\":[");
        for (int i = 0; i < 1000; i++)
            for (int p = 0; p < 784; p++)
                fprintf(f, "%s%s", i || p ? "," : "",
                        p == 0 ? (k < 5 ? "0" : "1") : "0.5");
        fprintf(f, "]}");
        ck_assert_int_eq(fclose(f), 0);
    }
}

static char *slurp(const char *path, size_t *len) {
    uint8_t *b;
    Err e;
    ck_assert_msg(file_read_all(path, 1 << 26, &b, len, &e) == 0, "%s",
                  e.msg);
    return (char *)b;
}

START_TEST(test_prepare_mnist) {
    char dir[64], out1[512], out2[512];
    tmpdir_make(dir);
    make_json_digits(dir);
    snprintf(out1, sizeof out1, "%s/data1/mnist", dir);
    snprintf(out2, sizeof out2, "%s/data2/mnist", dir);
    Err e;
    ck_assert_msg(data_prepare_mnist(dir, out1, &e) == 0, "%s", e.msg);
    ck_assert_msg(data_prepare_mnist(dir, out2, &e) == 0, "%s", e.msg);
    /* identical bytes from two runs */
    const char *files[] = {"train-binarized-idx3-ubyte",
                           "test-labels-idx1-ubyte",
                           "valid-images-idx3-ubyte"};
    for (int i = 0; i < 3; i++) {
        char p1[600], p2[600];
        size_t l1, l2;
        snprintf(p1, sizeof p1, "%s/%s", out1, files[i]);
        snprintf(p2, sizeof p2, "%s/%s", out2, files[i]);
        char *a = slurp(p1, &l1), *b = slurp(p2, &l2);
        ck_assert_uint_eq(l1, l2);
        ck_assert_int_eq(memcmp(a, b, l1), 0);
        free(a);
        free(b);
    }
    Dataset ds;
    char data_dir[600];
    snprintf(data_dir, sizeof data_dir, "%s/data1", dir);
    ck_assert_msg(data_load(&ds, "mnist", data_dir, &e) == 0, "%s",
                  e.msg);
    ck_assert_uint_eq(ds.split[SPLIT_TRAIN].n, 8000);
    ck_assert_uint_eq(ds.split[SPLIT_VALID].n, 1000);
    ck_assert_uint_eq(ds.split[SPLIT_TEST].n, 1000);
    size_t count[10] = {0};
    for (int s = 0; s < N_SPLITS; s++) {
        const Split *sp = &ds.split[s];
        ck_assert_int_eq(sp->d, 784);
        for (size_t i = 0; i < sp->n; i++) {
            count[sp->y[i]]++;
            /* labels travel with their images through the shuffle */
            ck_assert_int_eq(sp->x[i * 784], sp->y[i] >= 5);
        }
        ck_assert_double_eq_tol(data_density(sp), 0.5, 0.01);
    }
    for (int k = 0; k < 10; k++) ck_assert_uint_eq(count[k], 1000);
    /* the shuffle mixes the classes: no split is one digit */
    ck_assert_int_ne(ds.split[SPLIT_TEST].y[0],
                     ds.split[SPLIT_TEST].y[999]);
    data_free(&ds);
    /* threshold: grey 0.5 (byte 128) is above 127, so on everywhere but
     * the first pixel, which is on exactly for digits 5..9 */
    ck_assert_int_eq(data_load(&ds, "mnist:threshold", data_dir, &e),
                     0);
    const Split *tr = &ds.split[SPLIT_TRAIN];
    for (size_t i = 0; i < tr->n; i++) {
        ck_assert_int_eq(tr->x[i * 784], tr->y[i] >= 5);
        /* no ck_assert per pixel: each one that holds costs a mark */
        for (int p = 1; p < 784; p++)
            if (tr->x[i * 784 + p] != 1)
                ck_abort_msg("mnist:threshold, train image %zu, pixel "
                             "%d: %d, not 1 (grey 0.5 is above 127)",
                             i, p, tr->x[i * 784 + p]);
    }
    data_free(&ds);
    tmpdir_remove(dir);
}
END_TEST

START_TEST(test_prepare_mnist_bad) {
    char dir[64], path[512], out[512];
    tmpdir_make(dir);
    Err e = {""};
    snprintf(out, sizeof out, "%s/out", dir);
    ck_assert_int_eq(data_prepare_mnist(dir, out, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "0.json: No such file"));
    write_test_file(path, dir, "0.json", "{\"data\":[0.1,", 13);
    ck_assert_int_eq(data_prepare_mnist(dir, out, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "0.json: unexpected end"));
    /* nothing was written */
    FILE *f = fopen(out, "r");
    ck_assert_ptr_null(f);
    tmpdir_remove(dir);
}
END_TEST

START_TEST(test_load_errors) {
    char dir[64], path[512];
    tmpdir_make(dir);
    Dataset ds;
    Err e = {""};
    ck_assert_int_eq(data_load(&ds, "cifar", dir, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "unknown data set 'cifar'"));
    ck_assert_int_eq(data_load(&ds, "mnist:otsu", dir, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "unknown binarization 'otsu'"));
    ck_assert_int_eq(data_load(&ds, "mnist", dir, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "run 'make data' first"));
    /* label count differs from image count */
    char sub[128];
    snprintf(sub, sizeof sub, "%s/fashion", dir);
    ck_assert_int_eq(make_dirs(sub, &e), 0);
    uint8_t buf[4096];
    size_t len = make_idx(buf, IDX_MAGIC_IMAGES, 3, 28, 28);
    for (size_t i = 16; i < len; i++) buf[i] &= 1;
    write_test_file(path, sub, "train-binarized-idx3-ubyte", buf, len);
    len = make_idx(buf, IDX_MAGIC_LABELS, 2, 0, 0);
    write_test_file(path, sub, "train-labels-idx1-ubyte", buf, len);
    ck_assert_int_eq(data_load(&ds, "fashion", dir, &e), -1);
    ck_assert_ptr_nonnull(
        strstr(e.msg, "3 images of 28x28 with 2 labels"));
    /* amat with a bad line */
    write_test_file(path, dir, "binarized_mnist_train.amat", "0 1\n",
                    4);
    char spec[128];
    snprintf(spec, sizeof spec, "amat:%s", dir);
    ck_assert_int_eq(data_load(&ds, spec, dir, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg,
                                 "binarized_mnist_train.amat:1: 2 "
                                 "values, expected 784"));
    tmpdir_remove(dir);
}
END_TEST

START_TEST(test_image_grid) {
    char dir[64], path[512];
    tmpdir_make(dir);
    /* three 2x2 images in a 2-column grid: 5 x 5 pixels with gaps */
    const uint8_t x[12] = {1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 1};
    Err e;
    snprintf(path, sizeof path, "%s/g.pbm", dir);
    ck_assert_int_eq(
        image_grid_write(path, IMG_PBM, x, 3, 2, 2, 2, 1, &e), 0);
    size_t len;
    char *s = slurp(path, &len);
    const char *want = "P1\n5 5\n1 0 0 1 1\n0 1 0 0 0\n0 0 0 0 0\n"
                       "0 0 0 0 0\n1 1 0 0 0\n";
    ck_assert_str_eq(s, want);
    free(s);
    snprintf(path, sizeof path, "%s/g.dat", dir);
    ck_assert_int_eq(
        image_grid_write(path, IMG_MATRIX, x, 3, 2, 2, 2, 1, &e), 0);
    s = slurp(path, &len);
    ck_assert(strncmp(s, "1 0 0.5 1 1\n", 12) == 0);
    free(s);
    ck_assert_int_eq(
        image_grid_write(path, IMG_PBM, x, 3, 2, 2, 2, 255, &e), -1);
    tmpdir_remove(dir);
}
END_TEST

static const TestSpec tests[] = {
    {"IDX write then read gives the same bytes", &test_idx_round_trip},
    {"IDX through gzip; a cut gzip stream is an error", &test_idx_gzip},
    {"IDX: missing, wrong magic, truncated, oversized files rejected",
     &test_idx_bad_files},
    {"MNIST JSON: grey levels parsed and rounded to bytes",
     &test_json_good},
    {"MNIST JSON: malformed files rejected with their position",
     &test_json_bad},
    {".amat: good file parsed; bad values and counts rejected",
     &test_amat},
    {"split permutation: same seed same, other seed other",
     &test_permutation},
    {"binarization: density matches grey mean; seeded; threshold",
     &test_binarization},
    {"prepare mnist: 8000/1000/1000, labels kept, identical reruns",
     &test_prepare_mnist},
    {"prepare mnist: bad sources rejected, nothing written",
     &test_prepare_mnist_bad},
    {"loading: unknown names, missing data, label mismatch, bad amat",
     &test_load_errors},
    {"image grids as PBM and gnuplot matrix", &test_image_grid},
};

const TestSuiteSpec SUITE = {"data", tests, N_TESTS(tests)};
