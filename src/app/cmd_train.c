/* cmd_train.c - `autoreg train`, `autoreg eval`, `autoreg sample`. */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checkpoint.h"
#include "cli.h"
#include "clock.h"
#include "data.h"
#include "image.h"
#include "model.h"
#include "nade_tiled.h"
#include "out.h"
#include "parallel.h"
#include "pixelcnn.h"
#include "train.h"
#include "vec.h"

/* The registry's model names, "fvsbn" .. (kinds count from 1). */
static int model_names(const char *names[], int max) {
    int n = 0;
    for (const ModelOps *m; n < max && (m = model_ops_by_kind(n + 1));
         n++)
        names[n] = m->name;
    return n;
}

static const char *TRAIN_USAGE =
    "usage: autoreg train --model NAME --data SET [options]\n\n"
    "Trains with Adam on minibatches, keeps the parameters with the "
    "best\n"
    "validation NLL, writes OUT/train.tsv (one line per epoch),\n"
    "OUT/time.tsv (seconds per epoch), OUT/model.ckpt and\n"
    "OUT/train.state (everything needed to continue).\n\n"
    "  --model NAME     %s\n"
    "  --hidden H       hidden units (mlp: default 8, chapter 4; nade\n"
    "                   and made: default 500, chapters 5 and 7); "
    "made\n"
    "                   takes H,H2 too: two hidden layers\n"
    "  --data SET       mnist, fashion, mnist:threshold, "
    "fashion:threshold,\n"
    "                   amat:DIR\n"
    "  --data-dir DIR   prepared data sets (default data)\n"
    "  --epochs N       default 15\n"
    "  --batch B        default 100\n"
    "  --lr LR          Adam step size, default 0.01 (chapters 5 and "
    "7\n"
    "                   train NADE and MADE with --lr 0.003)\n"
    "  --seed S         default 1; the same seed gives the same bits\n"
    "  --out DIR        default build/train\n"
    "  --channels C     pixelcnn: channels (default 16)\n"
    "  --layers L       pixelcnn: 3 x 3 residual layers after the 7 x "
    "7\n"
    "                   one (default 4)\n"
    "  --masks K        made: train K masks, one per minibatch, and\n"
    "                   evaluate their ensemble (default 1, chapter "
    "7)\n"
    "  --order O        made: raster (default) or random orders\n"
    "  --kernel K       plain (default: chapter 3's fvsbn_forward and\n"
    "                   fvsbn_backward, your code in a lab) or tiled\n"
    "                   (fvsbn: the cache-tiled step of\n"
    "                   src/training/fvsbn_tiled.c; nade: the blocked\n"
    "                   step of src/training/nade_tiled.c; made, one\n"
    "                   hidden layer: the minibatch kernel of\n"
    "                   src/training/made_tiled.c;\n"
    "                   pixelcnn: the register-blocked convolutions "
    "of\n"
    "                   src/training/pixelcnn_tiled.c;\n"
    "                   what make bench times)\n"
    "  --resume         continue the run whose state is "
    "OUT/train.state\n"
    "                   (written after every epoch; same options)\n"
    "  --quiet          no progress on stderr\n\n"
    "Ctrl-C (SIGINT) or SIGTERM stops at the next minibatch and "
    "prints\n"
    "the command that continues from the last completed epoch.\n";

static void train_help(FILE *f) {
    const char *names[8];
    char list[128] = "";
    for (int k = 0, n = model_names(names, 8); k < n; k++)
        snprintf(list + strlen(list), sizeof list - strlen(list),
                 "%s%s", k ? ", " : "", names[k]);
    fprintf(f, TRAIN_USAGE, list);
}

static const char *const KERNELS[] = {"plain", "tiled"};
static const char *const ORDERS[] = {"raster", "random"};

int train_parse(int argc, char **argv, CmdOpts *o) {
    *o = (CmdOpts){.data_dir = "data",
                   .out = "build/train",
                   .epochs = 15,
                   .batch = 100,
                   .lr = 1e-2,
                   .seed = 1,
                   .kernel = "plain",
                   .masks = 1};
    const char *models[8], *order = NULL;
    long masks = 0, channels = 0, layers = -1;
    int n_models = model_names(models, 8);
    const CliOpt opts[] = {
        {"--model", CLI_CHOICE, .required = 1, .index = &o->model_index,
         .str = &o->model, .choices = models, .n_choices = n_models},
        {"--data", CLI_STR, .required = 1, .str = &o->data},
        {"--data-dir", CLI_STR, .str = &o->data_dir},
        {"--out", CLI_STR, .str = &o->out, .max = 900},
        {"--epochs", CLI_LONG, .num = &o->epochs, .lo = 1,
         .hi = 100000},
        {"--batch", CLI_LONG, .num = &o->batch, .lo = 1, .hi = 100000},
        {"--hidden", CLI_LONGS, .num = &o->hidden, .num2 = &o->hidden2,
         .lo = 1, .hi = 100000},
        {"--lr", CLI_REAL, .real = &o->lr},
        {"--seed", CLI_SEED, .u64 = &o->seed},
        {"--kernel", CLI_CHOICE, .index = &o->kernel_index,
         .str = &o->kernel, .choices = KERNELS, .n_choices = 2},
        {"--masks", CLI_LONG, .num = &masks, .lo = 1,
         .hi = MODEL_MAX_MASKS},
        {"--channels", CLI_LONG, .num = &channels, .lo = 1, .hi = 64},
        {"--layers", CLI_LONG, .num = &layers, .lo = 0, .hi = 32},
        {"--order", CLI_CHOICE, .index = &o->order_index, .str = &order,
         .choices = ORDERS, .n_choices = 2},
        {"--resume", CLI_FLAG, .flag = &o->resume},
        {"--quiet", CLI_FLAG, .flag = &o->quiet},
        {NULL}};
    CliSpec spec = {.cmd = "train", .help = train_help, .opts = opts};
    int rc = cli_parse(&spec, argc, argv);
    if (rc) return rc;
    o->ops = model_ops_by_name(o->model);
    if (o->kernel_index == 1 && !trainstep_tiled_for(o->ops)) {
        /* the registry's models that have one: "fvsbn, made or ..." */
        char what[160] = "--kernel tiled is for --model ";
        int n = 0, k;
        for (k = 1; model_ops_by_kind(k); k++)
            n += trainstep_tiled_for(model_ops_by_kind(k)) != NULL;
        for (int seen = 0, i = 1; model_ops_by_kind(i); i++) {
            const ModelOps *ops = model_ops_by_kind(i);
            if (!trainstep_tiled_for(ops)) continue;
            size_t at = strlen(what);
            snprintf(what + at, sizeof what - at, "%s%s",
                     seen == 0       ? ""
                     : seen == n - 1 ? " or "
                                     : ", ",
                     ops->name);
            seen++;
        }
        strncat(what, " only, not", sizeof what - strlen(what) - 1);
        return cli_usage_error("train", what, o->model);
    }
    if ((masks || order) && !o->ops->has_masks)
        return cli_usage_error("train",
                               "--masks and --order are for "
                               "--model made only, not",
                               o->model);
    if (masks) o->masks = masks;
    int pcnn = o->ops->kind == MODEL_PIXELCNN;
    if ((channels || layers >= 0) && !pcnn)
        return cli_usage_error("train",
                               "--channels and --layers are for "
                               "--model pixelcnn only, not",
                               o->model);
    if (pcnn && o->hidden)
        return cli_usage_error("train",
                               "--model pixelcnn takes --channels "
                               "and --layers, not",
                               "--hidden");
    if (pcnn) { /* C channels, L 3 x 3 layers: h and h2 of the model */
        o->hidden = channels ? channels : o->ops->default_hidden;
        o->hidden2 = layers >= 0 ? layers : PIXELCNN_DEFAULT_LAYERS;
    }
    if (o->hidden2 && o->kernel_index == 1 && !pcnn)
        return cli_usage_error("train",
                               "--kernel tiled trains a made with "
                               "one hidden layer, not",
                               "--hidden H,H2");
    if (o->hidden2 && !o->ops->has_layer2)
        return cli_usage_error("train",
                               "--hidden H,H2 (two hidden layers) "
                               "is for --model made only, not",
                               o->model);
    /* chapter 4's MLP has d(d-1)/2 h first-layer weights: h = 8 is
     * already 2.5 million parameters; NADE's O(d h) affords 500 */
    if (o->ops->needs_hidden && o->hidden == 0)
        o->hidden = o->ops->default_hidden;
    if (!o->ops->needs_hidden) o->hidden = 0;
    return 0;
}

/* "stopped ...; to continue: COMMAND --resume" on one line. */
static void print_stopped(const Err *e, const TrainConfig *c, int argc,
                          char **argv) {
    const char *threads = getenv("AUTOREG_THREADS");
    if (!c->quiet && isatty(2)) fputc('\n', stderr); /* end the bar */
    fprintf(stderr,
            "autoreg train: %s; state saved in %s; to continue: ",
            e->msg, c->state_path);
    if (threads && *threads) {
        fputs("AUTOREG_THREADS=", stderr);
        cli_print_quoted(stderr, threads);
        fputc(' ', stderr);
    }
    cli_print_quoted(stderr, cli_program);
    fputs(" train", stderr);
    int resume = 0;
    for (int i = 0; i < argc; i++) {
        fputc(' ', stderr);
        cli_print_quoted(stderr, argv[i]);
        resume |= !strcmp(argv[i], "--resume");
    }
    fputs(resume ? "\n" : " --resume\n", stderr);
}

/* Initialise (or resume) and train; the exit status. */
static int run_training(const CmdOpts *o, Dataset *ds, Model *m,
                        const TrainConfig *c, int argc, char **argv) {
    Err e;
    TrainResult r;
    if (!c->resume) {
        Rng rng;
        rng_seed(&rng, o->seed);
        if (model_init_from_data(m, ds->split[SPLIT_TRAIN].x,
                                 ds->split[SPLIT_TRAIN].n, &rng, &e)) {
            fprintf(stderr, "autoreg: %s\n", e.msg); /* internal: 1 */
            return 1;
        }
    }
    train_catch_signals();
    if (train_model(m, &ds->split[SPLIT_TRAIN], &ds->split[SPLIT_VALID],
                    c, &r, &e)) {
        if (!r.stopped) return cli_fail(&e);
        print_stopped(&e, c, argc, argv);
        return 128 + r.stopped;
    }
    if (c->resume && r.epochs_done > c->epochs)
        fprintf(stderr,
                "autoreg train: %s already has %d epochs, more "
                "than --epochs %d: nothing to train\n",
                c->state_path, r.epochs_done, c->epochs);
    printf("best validation NLL %.2f nats at epoch %d; %.0f "
           "examples/s\nwrote %s, %s and %s\n",
           r.best_valid_nll, r.best_epoch, r.examples_per_s,
           c->log_path, c->time_path, c->ckpt_path);
    return 0;
}

int cmd_train(int argc, char **argv) {
    CmdOpts o;
    int rc = train_parse(argc, argv, &o);
    if (rc) return rc == 1 ? 0 : rc;
    char log[1100], ckpt[1100], tlog[1100], state[1100];
    snprintf(log, sizeof log, "%s/train.tsv", o.out);
    snprintf(tlog, sizeof tlog, "%s/time.tsv", o.out);
    snprintf(ckpt, sizeof ckpt, "%s/model.ckpt", o.out);
    snprintf(state, sizeof state, "%s/train.state", o.out);
    if (o.resume && access(state, F_OK) != 0) {
        fprintf(stderr,
                "autoreg train: %s: no training state to resume "
                "(run without --resume to start)\n",
                state);
        return 2;
    }
    Dataset ds;
    Err e;
    if (data_load(&ds, o.data, o.data_dir, &e)) return cli_fail(&e);
    TrainConfig c = {.epochs = (int)o.epochs,
                     .batch = (int)o.batch,
                     .lr = (float)o.lr,
                     .opt = OPT_ADAM,
                     .seed = o.seed,
                     .log_path = log,
                     .time_path = tlog,
                     .ckpt_path = ckpt,
                     .quiet = o.quiet,
                     .state_path = state,
                     .resume = o.resume,
                     .data_name = o.data,
                     .step = o.kernel_index != 1
                                 ? NULL
                                 : trainstep_tiled_for(o.ops)};
    Model m;
    rc = 2;
    if ((size_t)o.batch > ds.split[SPLIT_TRAIN].n) {
        fprintf(stderr,
                "autoreg train: --batch %ld exceeds the %zu "
                "training images\n",
                o.batch, ds.split[SPLIT_TRAIN].n);
    } else if (make_dirs(o.out, &e)) {
        cli_fail(&e);
    } else if (model_create2(&m, o.ops, ds.split[SPLIT_TRAIN].d,
                             (int)o.hidden, (int)o.hidden2,
                             (int)o.batch, &e)) {
        fprintf(stderr, "autoreg: %s\n", e.msg); /* out of memory */
        rc = 1;
    } else {
        /* MADE's masks come from the seed, so --resume redraws them
         * (and the state's key checks that they are the same) */
        if (o.ops->has_masks &&
            model_set_masks(&m, (int)o.masks, o.order_index, o.seed,
                            &e)) {
            fprintf(stderr, "autoreg: %s\n", e.msg); /* out of memory */
            rc = 1;
        } else {
            rc = run_training(&o, &ds, &m, &c, argc, argv);
        }
        model_free(&m);
    }
    data_free(&ds);
    return rc;
}

static const char *EVAL_USAGE =
    "usage: autoreg eval --checkpoint FILE --data SET [options]\n\n"
    "Prints the mean NLL in nats per image and in bits per "
    "dimension.\n\n"
    "  --data-dir DIR  prepared data sets (default data)\n"
    "  --split S       train, valid or test (default test)\n";

int eval_parse(int argc, char **argv, CmdOpts *o) {
    *o = (CmdOpts){
        .data_dir = "data", .split = "test", .split_index = SPLIT_TEST};
    const CliOpt opts[] = {
        {"--checkpoint", CLI_STR, .required = 1, .str = &o->checkpoint},
        {"--data", CLI_STR, .required = 1, .str = &o->data},
        {"--data-dir", CLI_STR, .str = &o->data_dir},
        {"--split", CLI_CHOICE, .index = &o->split_index,
         .str = &o->split, .choices = SPLIT_NAMES,
         .n_choices = N_SPLITS},
        {NULL}};
    CliSpec spec = {.cmd = "eval", .usage = EVAL_USAGE, .opts = opts};
    return cli_parse(&spec, argc, argv);
}

int cmd_eval(int argc, char **argv) {
    CmdOpts o;
    int rc = eval_parse(argc, argv, &o);
    if (rc) return rc == 1 ? 0 : rc;
    int s = o.split_index;
    Model m;
    Dataset ds;
    Err e;
    if (checkpoint_load(o.checkpoint, 0, 100, &m, &e))
        return cli_fail(&e);
    if (data_load(&ds, o.data, o.data_dir, &e)) {
        model_free(&m);
        return cli_fail(&e);
    }
    rc = 0;
    if (ds.split[s].d != m.d) {
        fprintf(stderr,
                "autoreg eval: %s has d = %d, the model d = %d\n",
                o.data, ds.split[s].d, m.d);
        rc = 2;
    } else {
        double nll = model_mean_nll(&m, ds.split[s].x, ds.split[s].n);
        printf("%s %s %s: NLL %.3f nats per image, %.4f bits per "
               "dimension (%zu images)\n",
               m.ops->name, o.data, o.split, nll,
               nll / (m.d * log(2.0)), ds.split[s].n);
    }
    data_free(&ds);
    model_free(&m);
    return rc;
}

static const char *SAMPLE_USAGE =
    "usage: autoreg sample --checkpoint FILE --out FILE [--n N] "
    "[--seed S]\n"
    "                      [--kernel plain|tiled]\n"
    "\n"
    "Draws N images (default 100) by ancestral sampling and writes "
    "them as\n"
    "a 10-column grid: FILE ending in .pgm or .pbm gives that format,\n"
    "anything else a gnuplot matrix; prints the samples per second.\n"
    "--kernel tiled (nade): the samples advance a pixel at a time "
    "together\n"
    "(src/training/nade_tiled.c), each from its own random stream; "
    "plain\n"
    "(default): the model's sampler, one image after another.\n";

int sample_parse(int argc, char **argv, CmdOpts *o) {
    *o = (CmdOpts){.n = 100, .seed = 1, .kernel = "plain"};
    const CliOpt opts[] = {
        {"--checkpoint", CLI_STR, .required = 1, .str = &o->checkpoint},
        {"--out", CLI_STR, .required = 1, .str = &o->out},
        {"--n", CLI_LONG, .num = &o->n, .lo = 1, .hi = 100000},
        {"--seed", CLI_SEED, .u64 = &o->seed},
        {"--kernel", CLI_CHOICE, .index = &o->kernel_index,
         .str = &o->kernel, .choices = KERNELS, .n_choices = 2},
        {NULL}};
    CliSpec spec = {
        .cmd = "sample", .usage = SAMPLE_USAGE, .opts = opts};
    int rc = cli_parse(&spec, argc, argv), fmt;
    return rc ? rc : cli_image_out("sample", o->out, 1, &fmt);
}

/* autoreg sample --kernel tiled: NADE's batched sampler on a packed
 * copy of the parameters, the model's order, *seconds the time it took
 * (not the packing); 0, or an exit status with a one-line error. */
static int sample_tiled(const Model *m, uint8_t *x, int n,
                        uint64_t seed, double *seconds) {
    if (m->ops->kind != MODEL_NADE) {
        fprintf(stderr,
                "autoreg sample: --kernel tiled samples a nade, not a "
                "%s\n",
                m->ops->name);
        return 2;
    }
    NadeTiled t;
    float *packed = NULL;
    int rc = 1;
    if (!nade_tiled_init(&t, m->d, m->h, 100)) {
        if ((packed = vec_alloc(t.n))) {
            nade_tiled_pack(&t, packed, m->params);
            parallel_start(parallel_threads()); /* not timed either */
            double t0 = now_seconds();          /* the sampling alone */
            rc = nade_tiled_sample(&t, x, packed, m->order, n, seed,
                                   parallel_threads())
                     ? 1
                     : 0;
            *seconds = now_seconds() - t0;
        }
        nade_tiled_free(&t);
    }
    free(packed);
    if (rc) fprintf(stderr, "autoreg sample: out of memory\n");
    return rc;
}

int cmd_sample(int argc, char **argv) {
    CmdOpts o;
    int rc = sample_parse(argc, argv, &o);
    if (rc) return rc == 1 ? 0 : rc;
    Model m;
    Err e;
    if (checkpoint_load(o.checkpoint, 0, 1, &m, &e))
        return cli_fail(&e);
    uint8_t *x = malloc((size_t)o.n * (size_t)m.d);
    if (!x) {
        model_free(&m);
        fprintf(stderr, "autoreg sample: out of memory\n");
        return 1;
    }
    memset(x, 0, (size_t)o.n * (size_t)m.d); /* its pages, untimed */
    double dt = 0;
    if (o.kernel_index == 1) { /* the batched NADE sampler */
        rc = sample_tiled(&m, x, (int)o.n, o.seed, &dt);
        if (rc) {
            free(x);
            model_free(&m);
            return rc;
        }
    } else {
        Rng rng;
        rng_seed(&rng, o.seed);
        double t0 = now_seconds();
        m.ops->sample(&m, x, (int)o.n, &rng);
        dt = now_seconds() - t0;
    }
    ImageFormat f = image_format_of(o.out);
    int side = (int)lround(sqrt((double)m.d));
    int rows = side * side == m.d ? side : 1, cols = m.d / rows;
    rc = image_grid_write(o.out, f, x, (size_t)o.n, rows, cols, 10, 1,
                          &e)
             ? cli_fail(&e)
             : 0;
    if (!rc)
        printf("wrote %ld samples to %s (%.0f samples per second, "
               "--kernel %s)\n",
               o.n, o.out, o.n / (dt > 0 ? dt : 1e-9), o.kernel);
    free(x);
    model_free(&m);
    return rc;
}
