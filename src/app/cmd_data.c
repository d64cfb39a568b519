/* cmd_data.c - `autoreg data`: prepare the data sets, describe them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "data.h"
#include "image.h"
#include "out.h"
#include "values.h"

static const char *USAGE =
    "usage: autoreg data prepare mnist --json DIR [--data-dir DIR]\n"
    "       autoreg data prepare fashion [--idx DIR] [--data-dir DIR]\n"
    "       autoreg data info NAME [--data-dir DIR] [--out DIR]\n\n"
    "prepare  convert a source into "
    "DATA_DIR/NAME/{train,valid,test}-*\n"
    "         (grey IDX, labels, stochastically binarized pixels)\n"
    "         --json DIR  the package's src/digits/ (0.json .. "
    "9.json)\n"
    "         --idx DIR   Fashion-MNIST .gz files (default\n"
    "                     /usr/share/datasets/fashion-mnist)\n"
    "info     sizes, split counts, pixel density, a few images as "
    "text;\n"
    "         with --out, also values.tsv and image grids for the "
    "book\n"
    "NAME     mnist, fashion, mnist:threshold, fashion:threshold, "
    "amat:DIR\n"
    "--data-dir DIR  where prepared data sets live (default data)\n";

static int info(const char *name, const char *data_dir,
                const char *out) {
    Dataset ds;
    Err e;
    if (data_load(&ds, name, data_dir, &e)) return cli_fail(&e);
    printf("data set %s: %d x %d images, d = %d\n", ds.name, ds.rows,
           ds.cols, ds.rows * ds.cols);
    printf("%-6s %8s %7s %8s\n", "split", "images", "labels",
           "density");
    Values v = {0};
    values_add(&v, "rows", "%d", ds.rows);
    values_add(&v, "cols", "%d", ds.cols);
    for (int s = 0; s < N_SPLITS; s++) {
        const Split *sp = &ds.split[s];
        double dens = data_density(sp);
        printf("%-6s %8zu %7s %8.4f\n", SPLIT_NAMES[s], sp->n,
               sp->y ? "yes" : "no", dens);
        char key[32];
        snprintf(key, sizeof key, "n_%s", SPLIT_NAMES[s]);
        values_add(&v, key, "%zu", sp->n);
        snprintf(key, sizeof key, "density_%s", SPLIT_NAMES[s]);
        values_add(&v, key, "%.3f", dens);
    }
    const Split *train = &ds.split[SPLIT_TRAIN];
    if (train->y) {
        size_t count[10] = {0};
        for (size_t i = 0; i < train->n; i++)
            if (train->y[i] < 10) count[train->y[i]]++;
        printf("train labels:");
        size_t lo = count[0], hi = count[0];
        for (int k = 0; k < 10; k++) {
            printf(" %d:%zu", k, count[k]);
            if (count[k] < lo) lo = count[k];
            if (count[k] > hi) hi = count[k];
        }
        printf("\n");
        values_add(&v, "train_class_min", "%zu", lo);
        values_add(&v, "train_class_max", "%zu", hi);
    }
    const Split *test = &ds.split[SPLIT_TEST];
    size_t show = test->n < 3 ? test->n : 3;
    printf("first %zu test images:\n", show);
    image_ascii(test->x, show, ds.rows, ds.cols, 1);
    int rc = 0;
    if (out) {
        char path[1024];
        size_t grid = test->n < 50 ? test->n : 50;
        snprintf(path, sizeof path, "%s/test-grid.dat", out);
        if (make_dirs(out, &e) ||
            image_grid_write(path, IMG_MATRIX, test->x, grid, ds.rows,
                             ds.cols, 10, 1, &e) ||
            values_write(&v, out, &e)) {
            rc = cli_fail(&e);
        }
    }
    data_free(&ds);
    return rc;
}

int data_parse(int argc, char **argv, DataOpts *o) {
    *o = (DataOpts){.idx = "/usr/share/datasets/fashion-mnist",
                    .data_dir = "data"};
    const char *pos[2];
    const CliOpt opts[] = {
        {"--json", CLI_STR, .str = &o->json},
        {"--idx", CLI_STR, .str = &o->idx},
        {"--data-dir", CLI_STR, .str = &o->data_dir, .max = 900},
        {"--out", CLI_STR, .str = &o->out, .max = 900},
        {NULL}};
    CliSpec spec = {.cmd = "data",
                    .usage = USAGE,
                    .opts = opts,
                    .pos = pos,
                    .max_pos = 2};
    int rc = cli_parse(&spec, argc, argv), npos = spec.n_pos;
    if (rc) return rc;
    if (npos != 2 ||
        (strcmp(pos[0], "info") && strcmp(pos[0], "prepare")))
        return cli_usage_error(
            "data", "expected 'prepare NAME' or 'info NAME'", NULL);
    o->action = pos[0];
    o->name = pos[1];
    if (!strcmp(o->action, "info")) return 0;
    if (strcmp(o->name, "mnist") && strcmp(o->name, "fashion"))
        return cli_usage_error("data", "cannot prepare", o->name);
    if (!strcmp(o->name, "mnist") && !o->json)
        return cli_usage_error("data", "prepare mnist needs --json DIR",
                               NULL);
    return 0;
}

int cmd_data(int argc, char **argv) {
    DataOpts o;
    int rc = data_parse(argc, argv, &o);
    if (rc) return rc == 1 ? 0 : rc;
    if (!strcmp(o.action, "info"))
        return info(o.name, o.data_dir, o.out);
    char dir[1024];
    Err e;
    if ((size_t)snprintf(dir, sizeof dir, "%s/%s", o.data_dir,
                         o.name) >=
        sizeof dir) { /* cannot happen: --data-dir has 900 bytes at most
                       */
        fprintf(stderr, "autoreg data: --data-dir is too long\n");
        return 2;
    }
    if (!strcmp(o.name, "mnist"))
        rc = data_prepare_mnist(o.json, dir, &e);
    else rc = data_prepare_fashion(o.idx, dir, &e);
    if (rc) return cli_fail(&e);
    printf("prepared %s: train, valid and test splits\n", o.name);
    return 0;
}
