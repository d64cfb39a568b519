/* cli.h - the driver's subcommands and the helpers they share.
 *
 * Each subcommand describes its options in a table (CliOpt) that the
 * one parser, cli_parse, reads; its parse function (train_parse, ...)
 * prints any error and returns, never exits: 0 parsed, 1 --help was
 * printed (exit 0), 2 a usage error (exit 2).
 * autoreg_parse_only runs the parser of any command line, nothing
 * more (the CLI fuzzer's entry point). */
#ifndef CLI_H
#define CLI_H

#include <stdio.h>

#include "err.h"
#include "model.h"

/* Usage errors go here (NULL: stderr); the fuzzer silences them. */
extern FILE *cli_errors;
/* argv[0], for the commands the driver prints. */
extern const char *cli_program;

/* Print "autoreg CMD: WHAT 'ARG'" and a --help hint; returns 2. */
int cli_usage_error(const char *cmd, const char *what, const char *arg);
/* Print e's message as "autoreg: MSG"; returns 2 (bad input). */
int cli_fail(const Err *e);
/* Strict non-negative integer; 0 or -1. */
int cli_parse_u64(const char *s, unsigned long long *out);
/* --out FILE for images: its format (image_format_of) into *fmt; a
 * greymap (maxval > 1) cannot be a .pbm, a usage error (returns 2). */
int cli_image_out(const char *cmd, const char *path, int maxval,
                  int *fmt);
/* s as one shell word (quoted when needed). */
void cli_print_quoted(FILE *f, const char *s);

/* One option of a command's table, and where its value goes. Every
 * command parses with cli_parse, so the same mistake gets the same
 * message whichever command it is made in. */
typedef enum {
    CLI_FLAG,   /* --quiet: *flag = 1 */
    CLI_STR,    /* --out DIR: *str; at most max bytes (0: any) */
    CLI_LONG,   /* --epochs N: *num, an integer in lo..hi */
    CLI_LONGS,  /* --hidden N[,N2]: *num, *num2 (0 if absent), lo..hi */
    CLI_SEED,   /* --seed S: *u64, any non-negative integer */
    CLI_REAL,   /* --lr LR: *real, a positive finite number */
    CLI_CHOICE, /* --split S: *index into choices; *str the name */
} CliType;

typedef struct {
    const char *name; /* "--epochs"; NULL ends the table */
    CliType type;
    int required;
    const char **str;
    long *num, *num2;
    long lo, hi;
    unsigned long long *u64;
    double *real;
    int *flag, *index;
    const char *const *choices;
    int n_choices;
    size_t max;
} CliOpt;

typedef struct {
    const char *cmd;   /* "train", in every message */
    const char *usage; /* --help prints it, or calls help */
    void (*help)(FILE *f);
    const CliOpt *opts;
    const char **pos;   /* room for max_pos positional */
    int max_pos, n_pos; /* arguments; n_pos: how many came */
} CliSpec;

/* Parse argv by s's table: 0 parsed, 1 --help printed, 2 a usage
 * error printed (one line and a --help hint). Required options are
 * checked after the whole line: "missing --checkpoint and --out". */
int cli_parse(CliSpec *s, int argc, char **argv);

/* The options of train, eval and sample; each uses a subset. */
typedef struct {
    const char *model, *data, *data_dir, *out, *checkpoint, *split;
    const char *kernel; /* train, sample: "plain" or "tiled" */
    long epochs, batch, hidden, hidden2, n;
    double lr;
    unsigned long long seed;
    int quiet, resume;
    const ModelOps *ops; /* train: the model's operations */
    int model_index;     /* train: into the registry's names */
    int kernel_index;    /* train, sample: 0 plain, 1 tiled */
    long masks;          /* train: MADE's masks (chapter 7) */
    int order_index;     /* train: MADE's orders, 0 raster, 1 random */
    int split_index;     /* eval: SPLIT_TRAIN .. SPLIT_TEST */
} CmdOpts;

/* `autoreg data` */
typedef struct {
    const char *json, *idx, *data_dir, *out;
    const char *action, *name; /* "info" or "prepare", and the set */
} DataOpts;

int train_parse(int argc, char **argv, CmdOpts *o);
int eval_parse(int argc, char **argv, CmdOpts *o);
int sample_parse(int argc, char **argv, CmdOpts *o);
int data_parse(int argc, char **argv, DataOpts *o);
/* `autoreg complete`'s parser on its own defaults (for the fuzzer). */
int complete_parse_only(int argc, char **argv);
/* `autoreg compress` (decompress 0) or `decompress`'s parser alone. */
int compress_parse_only(int argc, char **argv, int decompress);
/* argv[0] the program, argv[1] the command: its parser's status. */
int autoreg_parse_only(int argc, char **argv);

int cmd_data(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_sample(int argc, char **argv);
int cmd_complete(int argc, char **argv);
int cmd_compress(int argc, char **argv);
int cmd_decompress(int argc, char **argv);
int cmd_experiment(int argc, char **argv);

#endif
