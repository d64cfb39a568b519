/* cmd_experiment.c - `autoreg experiment N`: the table of the
 * chapters' experiments, and autoreg_parse_only, every command's
 * parser on its own (the CLI fuzzer's entry point).
 *
 *   autoreg experiment N [--out DIR] [--seed S] [--quick] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "experiments.h"

/* 0, or the exit status with the error in e (experiments.h). */
typedef int (*ExperimentFn)(const ExpOptions *, Err *);

static const struct {
    const char *chapter; /* "1" .. "9", "B", "C" (appendices) */
    ExperimentFn run;
    const char *what;
} EXPERIMENTS[] = {
    {"1", exp_ch01,
     "chain-rule tables and ancestral sampling of a 3-variable joint"},
    {"2", exp_ch02,
     "fit the 3-variable FVSBN to FVSBN samples and to XOR"},
    {"3", exp_ch03,
     "train FVSBN on binarized MNIST, sample, weight map"},
    {"4", exp_ch04,
     "train MLP conditionals (h = 8) on MNIST; parameter counts"},
    {"5", exp_ch05,
     "train NADE (h = 500) on binarized MNIST; O(dh) vs O(d^2h)"},
    {"6", exp_ch06,
     "compare the models on mnist and fashion; orders, "
     "ensembles, completion, representations"},
    {"7", exp_ch07,
     "train MADE (h = 500) on binarized MNIST; masks, "
     "ensembles of 1-16 masks, two layers, fashion"},
    {"8", exp_ch08,
     "train a PixelCNN (16 channels, 4 layers) on binarized "
     "MNIST; the centre pixel's field"},
    {"9", exp_ch09,
     "compress the test sets with the models of chapters "
     "3-8; gzip, bzip2, xz, PNG"},
    {"B", exp_appb,
     "appendix B: finite-difference steps, float and double "
     "sums"},
    {"C", exp_appc,
     "appendix C: the machine's multiply-add peak and each "
     "kernel's share of it (after chapters 3, 5, 7, 8)"},
};
#define N_EXPERIMENTS                                                  \
    ((int)(sizeof EXPERIMENTS / sizeof EXPERIMENTS[0]))

static void usage_experiment(FILE *f) {
    fprintf(
        f,
        "usage: autoreg experiment N [--out DIR] [--seed S] "
        "[--quick]\n\n"
        "Runs chapter N's experiment and writes its TSV outputs and\n"
        "values.tsv into DIR (default build/chNN).\n\n"
        "  --out DIR   output directory (created if missing)\n"
        "  --seed S    random seed, a non-negative integer "
        "(default 1)\n"
        "  --quick     the fast preset\n\nchapters:\n");
    for (int i = 0; i < N_EXPERIMENTS; i++)
        fprintf(f, "  %s  %s\n", EXPERIMENTS[i].chapter,
                EXPERIMENTS[i].what);
}

typedef struct {
    ExpOptions opt;
    int index;    /* into EXPERIMENTS */
    char out[64]; /* the default output directory, build/chNN */
} ExpArgs;

static int experiment_parse(int argc, char **argv, ExpArgs *x) {
    *x = (ExpArgs){.opt = {.seed = 1}};
    const char *chapter = NULL;
    unsigned long long seed = 1;
    const CliOpt opts[] = {
        {"--out", CLI_STR, .str = &x->opt.out, .max = EXP_MAX_DIR},
        {"--seed", CLI_SEED, .u64 = &seed},
        {"--quick", CLI_FLAG, .flag = &x->opt.quick},
        {NULL}};
    CliSpec spec = {.cmd = "experiment",
                    .help = usage_experiment,
                    .opts = opts,
                    .pos = &chapter,
                    .max_pos = 1};
    int rc = cli_parse(&spec, argc, argv);
    if (rc) return rc;
    x->opt.seed = seed;
    if (!chapter)
        return cli_usage_error("experiment", "missing chapter number",
                               NULL);
    const char *c = chapter; /* "03" is chapter 3, "b" appendix B */
    while (c[0] == '0' && c[1]) c++;
    for (x->index = 0; x->index < N_EXPERIMENTS; x->index++)
        if (!strcasecmp(EXPERIMENTS[x->index].chapter, c)) break;
    if (x->index == N_EXPERIMENTS) {
        char have[128] = "";
        for (int i = 0; i < N_EXPERIMENTS; i++)
            snprintf(have + strlen(have), sizeof have - strlen(have),
                     " %s", EXPERIMENTS[i].chapter);
        fprintf(cli_errors ? cli_errors : stderr,
                "autoreg experiment: no "
                "experiment for chapter '%s' (chapters:%s)\n",
                chapter, have);
        return 2;
    }
    if (!x->opt.out) { /* build/ch03, build/chB */
        const char *name = EXPERIMENTS[x->index].chapter;
        snprintf(x->out, sizeof x->out, "build/ch%s%s",
                 name[1] || name[0] > '9' ? "" : "0", name);
        x->opt.out = x->out;
    }
    return 0;
}

int cmd_experiment(int argc, char **argv) {
    ExpArgs x;
    int rc = experiment_parse(argc, argv, &x);
    if (rc) return rc == 1 ? 0 : rc;
    const char *chapter = EXPERIMENTS[x.index].chapter;
    Err e; /* an experiment that forgot its message still says one */
    err_set(&e,
            "chapter %s's experiment failed without saying why "
            "(internal error)",
            chapter);
    rc = EXPERIMENTS[x.index].run(&x.opt, &e);
    if (rc) {
        cli_fail(&e); /* its status, not cli_fail's 2 (experiments.h) */
        return rc;
    }
    printf("chapter %s: wrote %s/\n", chapter, x.opt.out);
    return 0;
}

int autoreg_parse_only(int argc, char **argv) {
    if (argc < 2) return 2;
    const char *cmd = argv[1];
    int n = argc - 2;
    char **a = argv + 2;
    CmdOpts o;
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) return 1;
    if (!strcmp(cmd, "experiment")) {
        ExpArgs x;
        return experiment_parse(n, a, &x);
    }
    if (!strcmp(cmd, "data")) {
        DataOpts d;
        return data_parse(n, a, &d);
    }
    if (!strcmp(cmd, "train")) return train_parse(n, a, &o);
    if (!strcmp(cmd, "eval")) return eval_parse(n, a, &o);
    if (!strcmp(cmd, "sample")) return sample_parse(n, a, &o);
    if (!strcmp(cmd, "complete")) return complete_parse_only(n, a);
    if (!strcmp(cmd, "compress")) return compress_parse_only(n, a, 0);
    if (!strcmp(cmd, "decompress")) return compress_parse_only(n, a, 1);
    return 2;
}
