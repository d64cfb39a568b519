/* cli.h - small helpers shared by the driver's subcommands. */
#ifndef CLI_H
#define CLI_H

#include "err.h"

/* Print "autoreg CMD: WHAT 'ARG'" and a --help hint; returns 2. */
int cli_usage_error(const char *cmd, const char *what, const char *arg);
/* The value after option argv[*i]; NULL (after an error) if missing. */
const char *cli_value(int argc, char **argv, int *i, const char *cmd);
/* Print e's message as "autoreg: MSG"; returns 2 (bad input). */
int cli_fail(const Err *e);
/* Strict non-negative integer; 0 or -1. */
int cli_parse_u64(const char *s, unsigned long long *out);

int cmd_data(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_sample(int argc, char **argv);
int cmd_complete(int argc, char **argv);
int cmd_experiment(int argc, char **argv);

#endif
