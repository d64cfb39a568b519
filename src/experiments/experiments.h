/* experiments.h - each chapter's experiment, run by
 * `autoreg experiment N`; each writes TSV files that the chapter's
 * gnuplot scripts and the book read, plus values.tsv with the numbers
 * the prose quotes. Each returns 0, or its exit status (1; 2 when
 * the data set cannot be loaded) with a one-line error in e, which
 * cmd_experiment prints (err.h: nothing here prints an error). */
#ifndef EXPERIMENTS_H
#define EXPERIMENTS_H

#include <stdint.h>

#include "data.h"
#include "model.h"
#include "out.h"
#include "train.h"
#include "values.h"

typedef struct {
    const char *out; /* output directory, created if missing */
    uint64_t seed;
    int quick; /* fast preset for smoke runs */
} ExpOptions;

int exp_ch01(const ExpOptions *o, Err *e);
int exp_ch02(const ExpOptions *o, Err *e);
int exp_ch03(const ExpOptions *o, Err *e);
int exp_ch04(const ExpOptions *o, Err *e);
int exp_ch05(const ExpOptions *o, Err *e);
int exp_ch06(const ExpOptions *o, Err *e);
int exp_ch07(const ExpOptions *o, Err *e);
int exp_ch08(const ExpOptions *o, Err *e);
int exp_ch09(const ExpOptions *o, Err *e);
int exp_appb(const ExpOptions *o, Err *e); /* appendix B */
int exp_appc(const ExpOptions *o, Err *e); /* appendix C */
/* Chapter 6's completion and representation experiments
 * (exp_ch06_beyond.c), adding their numbers to v. */
int exp_ch06_beyond(const ExpOptions *o, Values *v, Err *e);
/* Chapter 6's timing of evaluation against sampling
 * (exp_ch06_parseq.c): parseq.tsv and the parseq_* values. */
int exp_ch06_parseq(const ExpOptions *o, Values *v, Err *e);

/* Chapter 5's NADE preset, which chapter 6 repeats under other
 * orders (QUICK=1: 2 epochs). */
#define NADE_HIDDEN 500
/* Chapter 4's MLP conditionals: h = 500 would take hours per epoch. */
#define MLP_HIDDEN 8
#define NADE_EPOCHS 20
#define NADE_LR 0.003f
/* Chapter 7's MADE: NADE's size and step, K = 1 .. MADE_KMAX masks. */
#define MADE_HIDDEN 500
#define MADE_EPOCHS 20
#define MADE_LR 0.003f
#define MADE_KMAX 16
/* chapter 6's NADE on fashion, and chapter 7's MADE beside it */
#define NADE_FASHION_EPOCHS 6
#define MADE_FASHION_EPOCHS NADE_FASHION_EPOCHS
/* Chapter 8's PixelCNN: C channels, L 3 x 3 layers, trained with the
 * kernel of src/training/pixelcnn_tiled.c (about 4 s per epoch on 2
 * cores), so that the chapter runs in about three minutes; your code
 * (exercises 8.2 and 8.3) trains PCNN_PLAIN_EPOCHS beside it, to show
 * the two agree. */
#define PCNN_CHANNELS 16
#define PCNN_LAYERS 8
/* The quick preset (make book QUICK=1) trains on at most this many
 * images of a training split: Fashion-MNIST's 50,000 cut to mnist's. */
#define QUICK_TRAIN_MAX 8000
#define PCNN_EPOCHS 20
#define PCNN_PLAIN_EPOCHS 1
#define PCNN_LR 0.003f
/* Fashion-MNIST has 50,000 training images: an epoch takes about 25 s
 */
#define PCNN_FASHION_EPOCHS 1
/* Two hidden layers: the sizes tried (each with one random mask), as
 * many as chapter 7's four minutes allow (about 1 minute in all). */
#define MADE2_SIZES                                                    \
    {500, 250}, {500, 500}, { 1000, 500 }

/* The training experiments of chapters 3-6 (exp_train.c). */
typedef enum { ORDER_RASTER, ORDER_RANDOM, ORDER_AGNOSTIC } ExpOrder;
typedef struct {
    const char *model; /* fvsbn, mlp, nade */
    int h, epochs, batch;
    float lr;
    const char *ckpt_name; /* checkpoint file in the output directory */
    const char *data;      /* data set, NULL for mnist */
    ExpOrder order;        /* NADE: raster, one fixed random order, or a
                            * new random order per minibatch */
    int tiled;             /* train with the model's --kernel tiled */
    int h2;                /* MADE: a second hidden layer (0: none) */
    int masks;             /* MADE: K masks (0: 1) ... */
    int random_masks;      /* ... in random orders (0: raster) */
} ExpTrainSpec;

typedef struct {
    Dataset ds;
    Model m; /* the best-validation parameters after training */
    TrainResult r;
    double start_nll; /* test NLL of the initial model */
    double test_nll;
} ExpRun;

/* Load the data set, create and initialise the model, train it with
 * logs in opt->out, evaluate it on the test split, write 100 samples to
 * samples.dat. 0 on success (free with exp_run_free), else an exit
 * status with a one-line error in e. */
int exp_train(const ExpOptions *opt, const ExpTrainSpec *spec,
              ExpRun *run, Err *e);
/* The numbers every training chapter reports. */
void exp_run_values(Values *v, const ExpOptions *opt,
                    const ExpTrainSpec *spec, const ExpRun *run);
void exp_run_free(ExpRun *run);

/* The useful FLOPs of one training image of m (forward and backward;
 * exp_util.c lists what each model counts), on the mean pixels on per
 * image. */
double exp_useful_flops(const Model *m, double on);
/* The mean number of pixels on per image of s. */
double exp_mean_on(const Split *s);

/* The training of spec again with --kernel tiled, into OUT/tiled
 * (*tiled; free it with exp_run_free), then OUT/kernels.tsv with both
 * runs (the code each ran: plain_code, tiled_code; useful GFLOP/s by
 * exp_useful_flops) and the values
 * tiled_s_per_epoch, plain_s_per_epoch, tiled_speedup, tiled_nll_diff.
 * 0, or an exit status with e set. */
int exp_kernels(const ExpOptions *opt, const ExpTrainSpec *spec,
                const ExpRun *plain, const char *plain_code,
                const char *tiled_code, ExpRun *tiled, Values *v,
                Err *e);

/* A chapter's rows of the results table: "data<TAB>model<TAB>..." */
enum { EXP_MAX_ROWS = 6 };
typedef struct {
    char line[EXP_MAX_ROWS][256];
    const char *data[EXP_MAX_ROWS];
    int n;
} ExpRows;
/* The row of a trained model (epochs as planned) for data set `data`.
 */
void exp_rows_add(ExpRows *r, const char *data, const char *model,
                  const ExpRun *run, int epochs);
/* The results.tsv of the chapter `earlier` ("ch06"; if it ran) with r's
 * rows after each data set's own, into OUT/results.tsv. */
int exp_results(const ExpOptions *opt, const char *earlier,
                const ExpRows *r, Err *e);

/* spec again on Fashion-MNIST for `epochs`, into OUT/fashion: its row
 * (labelled `label`) into r, fashion_test_nll and fashion_epochs into
 * v. 0, or an exit status with e set. */
int exp_fashion(const ExpOptions *opt, const ExpTrainSpec *spec,
                int epochs, const char *label, ExpRows *r, Values *v,
                Err *e);

/* The first test digit of each class 0..9, its top half given and
 * EXP_COMPLETIONS completions of the rest by m, as OUT/completion.dat
 * (the figure's matrix); given_rows and completions into v. m must
 * complete in the raster order (completion_check). 0, or 1 with e. */
#define EXP_COMPLETIONS 5
int exp_completion(const ExpOptions *opt, Model *m, const Dataset *ds,
                   Values *v, Err *e);

/* dir's sibling directory NAME: build/ch06, "ch05" -> build/ch05 (the
 * outputs of another chapter). */
const char *exp_sibling(char *buf, size_t size, const char *dir,
                        const char *name);

/* The longest --out an experiment accepts: every "DIR/name" it builds
 * then fits the 1100-byte path buffers of the experiments. */
#define EXP_MAX_DIR 900

/* "dir/name" into buf (experiments.h's helpers live in exp_util.c). */
const char *exp_path(char *buf, size_t size, const char *dir,
                     const char *name);

#endif
