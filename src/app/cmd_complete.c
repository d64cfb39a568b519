/* cmd_complete.c - `autoreg complete`: conditional completion of
 * images by a NADE (chapter 6) or MADE (chapter 7) checkpoint. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "cli.h"
#include "completion.h"
#include "data.h"
#include "image.h"

static const char *COMPLETE_USAGE =
    "usage: autoreg complete --checkpoint FILE --out FILE [options]\n\n"
    "Keeps the top rows of the first N images of a split (default "
    "test)\n"
    "and samples the rest from a NADE, a one-mask MADE or a PixelCNN "
    "in\n"
    "the raster order: p(bottom | top), exactly. Writes a grid with "
    "one\n"
    "image per row: the image, its given rows, then the completions "
    "(given ink\n"
    "black, sampled ink grey). FILE.pgm: a greymap; otherwise gnuplot\n"
    "matrix text (not .pbm, which has no grey).\n\n"
    "  --checkpoint FILE  a nade or made checkpoint (autoreg train)\n"
    "  --out FILE         the grid, .pgm or matrix text\n"
    "  --data SET         mnist (default), fashion, ... as in train\n"
    "  --data-dir DIR     prepared data sets (default data)\n"
    "  --split NAME       train, valid, test (default test)\n"
    "  --n N              images, the first N of the split (default "
    "10)\n"
    "  --samples S        completions per image (default 5)\n"
    "  --rows R           given rows (default: half the image)\n"
    "  --seed S           default 1\n";

typedef struct {
    const char *ckpt, *out, *data, *data_dir, *split;
    long n, samples, rows; /* rows -1: half the image */
    unsigned long long seed;
    int split_index;
} CompleteOpts;

static int parse(int argc, char **argv, CompleteOpts *o) {
    *o = (CompleteOpts){.data = "mnist",
                        .data_dir = "data",
                        .split = "test",
                        .split_index = SPLIT_TEST,
                        .n = 10,
                        .samples = 5,
                        .rows = -1,
                        .seed = 1};
    const CliOpt opts[] = {
        {"--checkpoint", CLI_STR, .required = 1, .str = &o->ckpt},
        {"--out", CLI_STR, .required = 1, .str = &o->out},
        {"--data", CLI_STR, .str = &o->data},
        {"--data-dir", CLI_STR, .str = &o->data_dir},
        {"--split", CLI_CHOICE, .index = &o->split_index,
         .str = &o->split, .choices = SPLIT_NAMES,
         .n_choices = N_SPLITS},
        {"--n", CLI_LONG, .num = &o->n, .lo = 1, .hi = 1000},
        {"--samples", CLI_LONG, .num = &o->samples, .lo = 1,
         .hi = 1000},
        {"--rows", CLI_LONG, .num = &o->rows, .lo = 0, .hi = 4096},
        {"--seed", CLI_SEED, .u64 = &o->seed},
        {NULL}};
    CliSpec spec = {
        .cmd = "complete", .usage = COMPLETE_USAGE, .opts = opts};
    int rc = cli_parse(&spec, argc, argv), fmt;
    return rc ? rc : cli_image_out("complete", o->out, 4, &fmt);
}

int complete_parse_only(int argc, char **argv) {
    CompleteOpts o;
    return parse(argc, argv, &o);
}

int cmd_complete(int argc, char **argv) {
    CompleteOpts o;
    int rc = parse(argc, argv, &o), s = o.split_index;
    if (rc) return rc == 1 ? 0 : rc;
    Model m;
    Dataset ds;
    Err e;
    if (checkpoint_load(o.ckpt, 0, 1, &m, &e)) return cli_fail(&e);
    if (completion_check(&m, o.ckpt, &e)) {
        model_free(&m);
        return cli_fail(&e);
    }
    if (data_load(&ds, o.data, o.data_dir, &e)) {
        model_free(&m);
        return cli_fail(&e);
    }
    const Split *sp = &ds.split[s];
    int d = m.d, rows = o.rows >= 0 ? (int)o.rows : ds.rows / 2;
    rc = 2;
    if (sp->d != d)
        fprintf(stderr,
                "autoreg complete: %s has %d pixels per image, the "
                "model %d\n",
                o.data, sp->d, d);
    else if (rows > ds.rows)
        fprintf(stderr,
                "autoreg complete: --rows %d, but the images have "
                "%d rows\n",
                rows, ds.rows);
    else if ((size_t)o.n > sp->n)
        fprintf(stderr,
                "autoreg complete: --n %ld, but the %s split has "
                "%zu images\n",
                o.n, o.split, sp->n);
    else rc = 0;
    size_t per = 2 + (size_t)o.samples;
    uint8_t *panel = rc ? NULL : malloc((size_t)o.n * per * d);
    if (!rc && !panel) {
        fprintf(stderr, "autoreg complete: out of memory\n");
        rc = 1;
    }
    if (!rc) {
        Rng rng;
        rng_seed(&rng, o.seed);
        if (completion_panel(panel, sp->x, (int)o.n, rows * ds.cols,
                             (int)o.samples, &m, &rng, &e))
            rc = cli_fail(&e);
    }
    if (!rc) {
        if (image_grid_write(o.out, image_format_of(o.out), panel,
                             o.n * per, ds.rows, ds.cols, (int)per, 4,
                             &e))
            rc = cli_fail(&e);
        else
            printf(
                "wrote %ld image%s with %ld completion%s each (%d rows "
                "given) to %s\n",
                o.n, o.n == 1 ? "" : "s", o.samples,
                o.samples == 1 ? "" : "s", rows, o.out);
    }
    free(panel);
    model_free(&m);
    data_free(&ds);
    return rc;
}
