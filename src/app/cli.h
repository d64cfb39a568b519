/* cli.h - the driver's subcommands and the helpers they share.
 *
 * Each subcommand parses its arguments in a function of its own
 * (train_parse, ...) that prints any error and returns, never exits:
 * 0 parsed, 1 --help was printed (exit 0), 2 a usage error (exit 2).
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
/* The value after option argv[*i]; NULL (after an error) if missing. */
const char *cli_value(int argc, char **argv, int *i, const char *cmd);
/* Print e's message as "autoreg: MSG"; returns 2 (bad input). */
int cli_fail(const Err *e);
/* Strict non-negative integer; 0 or -1. */
int cli_parse_u64(const char *s, unsigned long long *out);
/* Option opt's value v as an integer in lo..hi (lo >= 0) into *out;
 * else a usage error naming opt and the range (returns 2). */
int cli_parse_long(const char *cmd, const char *opt, const char *v,
                   long lo, long hi, long *out);
/* --split's value v as SPLIT_TRAIN .. SPLIT_TEST into *out; else the
 * usage error every command gives (returns 2). */
int cli_parse_split(const char *cmd, const char *v, int *out);
/* --out FILE for images: its format (image_format_of) into *fmt; a
 * greymap (maxval > 1) cannot be a .pbm, a usage error (returns 2). */
int cli_image_out(const char *cmd, const char *path, int maxval, int *fmt);
/* s as one shell word (quoted when needed). */
void cli_print_quoted(FILE *f, const char *s);

/* The options of train, eval and sample; each uses a subset. */
typedef struct {
    const char *model, *data, *data_dir, *out, *checkpoint, *split;
    const char *kernel; /* train: "plain" or "tiled" */
    long epochs, batch, hidden, n;
    double lr;
    unsigned long long seed;
    int quiet, resume;
    const ModelOps *ops; /* train: the model's operations */
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
/* argv[0] the program, argv[1] the command: its parser's status. */
int autoreg_parse_only(int argc, char **argv);

int cmd_data(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_sample(int argc, char **argv);
int cmd_complete(int argc, char **argv);
int cmd_experiment(int argc, char **argv);

#endif
