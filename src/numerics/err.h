/* err.h - one-line error messages that travel up to the CLI.
 *
 * A function that can fail on bad input takes an Err *, fills it with a
 * message naming the file and what was wrong, and returns -1. The CLI
 * prints the message and exits 2; nothing is printed at the point of
 * failure, so library code stays quiet and testable. */
#ifndef ERR_H
#define ERR_H

typedef struct {
    char msg[512];
} Err;

/* Format into e->msg (when e is not NULL) and return -1. */
int err_set(Err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
