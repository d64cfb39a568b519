/* cmd_train.c - `autoreg train`, `autoreg eval`, `autoreg sample`. */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checkpoint.h"
#include "cli.h"
#include "data.h"
#include "image.h"
#include "model.h"
#include "out.h"
#include "train.h"


static int parse_opts(const char *cmd, int argc, char **argv, CmdOpts *o,
                      const char *usage) {
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            return 1;
        }
        if (!strcmp(a, "--quiet")) {
            o->quiet = 1;
            continue;
        }
        if (!strcmp(a, "--resume") && !strcmp(cmd, "train")) {
            o->resume = 1;
            continue;
        }
        if (a[0] != '-' || a[1] != '-')
            return cli_usage_error(cmd, "unexpected argument", a);
        static const char *const VALUED[] = {
            "--model", "--data",   "--data-dir", "--out", "--checkpoint",
            "--split", "--epochs", "--batch",    "--hidden", "--n",
            "--seed",  "--lr"};
        int known = 0;
        for (size_t k = 0; k < sizeof VALUED / sizeof VALUED[0]; k++)
            known |= !strcmp(a, VALUED[k]);
        if (!strcmp(a, "--kernel") && !strcmp(cmd, "train")) known = 1;
        if (!known) return cli_usage_error(cmd, "unknown option", a);
        const char *v = cli_value(argc, argv, &i, cmd);
        if (!v) return 2;
        int rc = 0;
        if (!strcmp(a, "--model")) o->model = v;
        else if (!strcmp(a, "--data")) o->data = v;
        else if (!strcmp(a, "--data-dir")) o->data_dir = v;
        else if (!strcmp(a, "--out")) o->out = v;
        else if (!strcmp(a, "--checkpoint")) o->checkpoint = v;
        else if (!strcmp(a, "--split")) o->split = v;
        else if (!strcmp(a, "--kernel")) o->kernel = v;
        else if (!strcmp(a, "--epochs"))
            rc = cli_parse_long(cmd, a, v, 1, 100000, &o->epochs);
        else if (!strcmp(a, "--batch"))
            rc = cli_parse_long(cmd, a, v, 1, 100000, &o->batch);
        else if (!strcmp(a, "--hidden"))
            rc = cli_parse_long(cmd, a, v, 1, 100000, &o->hidden);
        else if (!strcmp(a, "--n"))
            rc = cli_parse_long(cmd, a, v, 1, 100000, &o->n);
        else if (!strcmp(a, "--seed")) {
            if (cli_parse_u64(v, &o->seed))
                return cli_usage_error(cmd, "--seed expects a non-negative "
                                            "integer, got", v);
        } else if (!strcmp(a, "--lr")) {
            char *end;
            o->lr = strtod(v, &end);
            if (*end || !(o->lr > 0) || !isfinite(o->lr))
                return cli_usage_error(cmd, "--lr expects a positive "
                                            "number, got", v);
        } else {
            return cli_usage_error(cmd, "unknown option", a);
        }
        if (rc) return rc;
    }
    return 0;
}

static const char *TRAIN_USAGE =
    "usage: autoreg train --model NAME --data SET [options]\n\n"
    "Trains with Adam on minibatches, keeps the parameters with the best\n"
    "validation NLL, writes OUT/train.tsv (one line per epoch),\n"
    "OUT/time.tsv (seconds per epoch), OUT/model.ckpt and\n"
    "OUT/train.state (everything needed to continue).\n\n"
    "  --model NAME     fvsbn, mlp, nade\n"
    "  --hidden H       hidden units (mlp: default 8, chapter 4; nade:\n"
    "                   default 500, chapter 5)\n"
    "  --data SET       mnist, fashion, mnist:threshold, fashion:threshold,\n"
    "                   amat:DIR\n"
    "  --data-dir DIR   prepared data sets (default data)\n"
    "  --epochs N       default 15\n"
    "  --batch B        default 100\n"
    "  --lr LR          Adam step size, default 0.01 (chapter 5 trains\n"
    "                   NADE with --lr 0.003)\n"
    "  --seed S         default 1; the same seed gives the same bits\n"
    "  --out DIR        default build/train\n"
    "  --kernel K       plain (default: chapter 3's fvsbn_forward and\n"
    "                   fvsbn_backward, your code in a lab) or tiled\n"
    "                   (fvsbn only: the cache-tiled step of\n"
    "                   src/training/fvsbn_tiled.c, what make bench times)\n"
    "  --resume         continue the run whose state is OUT/train.state\n"
    "                   (written after every epoch; same options)\n"
    "  --quiet          no progress on stderr\n\n"
    "Ctrl-C (SIGINT) or SIGTERM stops at the next minibatch and prints\n"
    "the command that continues from the last completed epoch.\n";

int train_parse(int argc, char **argv, CmdOpts *o) {
    *o = (CmdOpts){.data_dir = "data", .out = "build/train", .epochs = 15,
                   .batch = 100, .lr = 1e-2, .seed = 1, .kernel = "plain"};
    int rc = parse_opts("train", argc, argv, o, TRAIN_USAGE);
    if (rc) return rc;
    if (strcmp(o->kernel, "plain") && strcmp(o->kernel, "tiled"))
        return cli_usage_error("train", "--kernel expects plain or tiled, "
                                        "got", o->kernel);
    if (!o->model) return cli_usage_error("train", "missing --model", NULL);
    if (!o->data) return cli_usage_error("train", "missing --data", NULL);
    o->ops = model_ops_by_name(o->model);
    if (!o->ops)
        return cli_usage_error("train", "unknown model (fvsbn, mlp, nade):",
                               o->model);
    if (!strcmp(o->kernel, "tiled") && o->ops->kind != MODEL_FVSBN)
        return cli_usage_error("train", "--kernel tiled is for --model "
                                        "fvsbn only, not", o->model);
    if (strlen(o->out) > 900)
        return cli_usage_error("train", "--out is longer than 900 bytes:",
                               o->out);
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
    fprintf(stderr, "autoreg train: %s; state saved in %s; to continue: ",
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
    if (train_model(m, &ds->split[SPLIT_TRAIN], &ds->split[SPLIT_VALID], c,
                    &r, &e)) {
        if (!r.stopped) return cli_fail(&e);
        print_stopped(&e, c, argc, argv);
        return 128 + r.stopped;
    }
    if (c->resume && r.epochs_done > c->epochs)
        fprintf(stderr, "autoreg train: %s already has %d epochs, more "
                        "than --epochs %d: nothing to train\n",
                c->state_path, r.epochs_done, c->epochs);
    printf("best validation NLL %.2f nats at epoch %d; %.0f "
           "examples/s\nwrote %s, %s and %s\n", r.best_valid_nll,
           r.best_epoch, r.examples_per_s, c->log_path, c->time_path,
           c->ckpt_path);
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
        fprintf(stderr, "autoreg train: %s: no training state to resume "
                        "(run without --resume to start)\n", state);
        return 2;
    }
    Dataset ds;
    Err e;
    if (data_load(&ds, o.data, o.data_dir, &e)) return cli_fail(&e);
    TrainConfig c = {.epochs = (int)o.epochs, .batch = (int)o.batch,
                     .lr = (float)o.lr, .opt = OPT_ADAM, .seed = o.seed,
                     .log_path = log, .time_path = tlog, .ckpt_path = ckpt,
                     .quiet = o.quiet, .state_path = state,
                     .resume = o.resume, .data_name = o.data,
                     .step = !strcmp(o.kernel, "tiled") ? &TRAINSTEP_TILED
                                                    : NULL};
    Model m;
    rc = 2;
    if ((size_t)o.batch > ds.split[SPLIT_TRAIN].n) {
        fprintf(stderr, "autoreg train: --batch %ld exceeds the %zu "
                        "training images\n", o.batch, ds.split[SPLIT_TRAIN].n);
    } else if (make_dirs(o.out, &e)) {
        cli_fail(&e);
    } else if (model_create(&m, o.ops, ds.split[SPLIT_TRAIN].d,
                            (int)o.hidden, (int)o.batch, &e)) {
        fprintf(stderr, "autoreg: %s\n", e.msg); /* out of memory */
        rc = 1;
    } else {
        rc = run_training(&o, &ds, &m, &c, argc, argv);
        model_free(&m);
    }
    data_free(&ds);
    return rc;
}

static const char *EVAL_USAGE =
    "usage: autoreg eval --checkpoint FILE --data SET [--split S]\n\n"
    "Prints the mean NLL in nats per image and in bits per dimension.\n"
    "  --split S   train, valid or test (default test)\n";

int eval_parse(int argc, char **argv, CmdOpts *o) {
    *o = (CmdOpts){.data_dir = "data", .split = "test"};
    int rc = parse_opts("eval", argc, argv, o, EVAL_USAGE);
    if (rc) return rc;
    if (!o->checkpoint || !o->data)
        return cli_usage_error("eval", "needs --checkpoint and --data",
                               NULL);
    return cli_parse_split("eval", o->split, &o->split_index);
}

int cmd_eval(int argc, char **argv) {
    CmdOpts o;
    int rc = eval_parse(argc, argv, &o);
    if (rc) return rc == 1 ? 0 : rc;
    int s = o.split_index;
    Model m;
    Dataset ds;
    Err e;
    if (checkpoint_load(o.checkpoint, 0, 100, &m, &e)) return cli_fail(&e);
    if (data_load(&ds, o.data, o.data_dir, &e)) {
        model_free(&m);
        return cli_fail(&e);
    }
    rc = 0;
    if (ds.split[s].d != m.d) {
        fprintf(stderr, "autoreg eval: %s has d = %d, the model d = %d\n",
                o.data, ds.split[s].d, m.d);
        rc = 2;
    } else {
        double nll = model_mean_nll(&m, ds.split[s].x, ds.split[s].n);
        printf("%s %s %s: NLL %.3f nats per image, %.4f bits per "
               "dimension (%zu images)\n", m.ops->name, o.data, o.split,
               nll, nll / (m.d * log(2.0)), ds.split[s].n);
    }
    data_free(&ds);
    model_free(&m);
    return rc;
}

static const char *SAMPLE_USAGE =
    "usage: autoreg sample --checkpoint FILE --out FILE [--n N] [--seed S]\n"
    "\n"
    "Draws N images (default 100) by ancestral sampling and writes them as\n"
    "a 10-column grid: FILE ending in .pgm or .pbm gives that format,\n"
    "anything else a gnuplot matrix.\n";

int sample_parse(int argc, char **argv, CmdOpts *o) {
    *o = (CmdOpts){.n = 100, .seed = 1, .out = NULL};
    int rc = parse_opts("sample", argc, argv, o, SAMPLE_USAGE);
    if (rc) return rc;
    if (!o->checkpoint || !o->out)
        return cli_usage_error("sample", "needs --checkpoint and --out",
                               NULL);
    return 0;
}

int cmd_sample(int argc, char **argv) {
    CmdOpts o;
    int rc = sample_parse(argc, argv, &o);
    if (rc) return rc == 1 ? 0 : rc;
    Model m;
    Err e;
    if (checkpoint_load(o.checkpoint, 0, 1, &m, &e)) return cli_fail(&e);
    uint8_t *x = malloc((size_t)o.n * (size_t)m.d);
    if (!x) {
        model_free(&m);
        fprintf(stderr, "autoreg sample: out of memory\n");
        return 1;
    }
    Rng rng;
    rng_seed(&rng, o.seed);
    m.ops->sample(&m, x, (int)o.n, &rng);
    ImageFormat f = image_format_of(o.out);
    int side = (int)lround(sqrt((double)m.d));
    int rows = side * side == m.d ? side : 1, cols = m.d / rows;
    rc = image_grid_write(o.out, f, x, (size_t)o.n, rows, cols, 10, 1, &e)
             ? cli_fail(&e)
             : 0;
    if (!rc) printf("wrote %ld samples to %s\n", o.n, o.out);
    free(x);
    model_free(&m);
    return rc;
}
