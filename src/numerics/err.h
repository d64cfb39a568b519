/* err.h - one-line error messages that travel up to the CLI.
 *
 * The rule, for the whole program:
 * - An Err * is always given, never NULL: a function that can fail
 *   takes one, fills it with ONE line naming the file (or the value)
 *   and what was wrong, and returns -1 (or a non-zero status).
 * - Library code (src/numerics, data, models, training) never prints
 *   an error; nor do the experiments (src/experiments). A caller that
 *   adds context formats it from a local Err into its own, never
 *   e->msg into the same e.
 * - Only the program prints, once, at the top: the CLI commands in
 *   src/app/ print "autoreg: MSG" (cli_fail) and exit 2 for bad input,
 *   1 for an internal failure.
 * (Warnings about the environment, such as a bad AUTOREG_THREADS, and
 * training's progress on stderr are not errors.) */
#ifndef ERR_H
#define ERR_H

typedef struct {
    char msg[512];
} Err;

/* Format into e->msg and return -1. e must not be NULL (there is no
 * test; nonnull makes the compiler reject a literal NULL). */
int err_set(Err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), nonnull(1)));

#endif
