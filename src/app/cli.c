/* cli.c - see cli.h. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "image.h"

FILE *cli_errors;
const char *cli_program = "autoreg";

int cli_usage_error(const char *cmd, const char *what, const char *arg) {
    FILE *f = cli_errors ? cli_errors : stderr;
    if (arg) fprintf(f, "autoreg %s: %s '%s'\n", cmd, what, arg);
    else fprintf(f, "autoreg %s: %s\n", cmd, what);
    fprintf(f, "Try 'autoreg %s --help'.\n", cmd);
    return 2;
}

const char *cli_value(int argc, char **argv, int *i, const char *cmd) {
    const char *opt = argv[*i];
    if (*i + 1 >= argc) {
        cli_usage_error(cmd, "missing value after", opt);
        return NULL;
    }
    const char *v = argv[++*i];
    if (!*v) {
        cli_usage_error(cmd, "empty value for", opt);
        return NULL;
    }
    return v;
}

int cli_fail(const Err *e) {
    fprintf(stderr, "autoreg: %s\n", e->msg);
    return 2;
}

int cli_parse_u64(const char *s, unsigned long long *out) {
    if (!s || !*s || strspn(s, "0123456789") != strlen(s)) return -1;
    errno = 0;
    *out = strtoull(s, NULL, 10);
    return errno ? -1 : 0;
}

void cli_print_quoted(FILE *f, const char *s) {
    static const char SAFE[] = "abcdefghijklmnopqrstuvwxyz"
                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                               "_-+=/.,:@%";
    if (*s && strspn(s, SAFE) == strlen(s)) {
        fputs(s, f);
        return;
    }
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'') fputs("'\\''", f);
        else fputc(*s, f);
    }
    fputc('\'', f);
}

int cli_parse_long(const char *cmd, const char *opt, const char *v,
                   long lo, long hi, long *out) {
    unsigned long long u;
    if (cli_parse_u64(v, &u) || u < (unsigned long long)lo ||
        u > (unsigned long long)hi) {
        char what[160];
        snprintf(what, sizeof what, "%s expects an integer in %ld..%ld, got",
                 opt, lo, hi);
        return cli_usage_error(cmd, what, v);
    }
    *out = (long)u;
    return 0;
}

int cli_parse_split(const char *cmd, const char *v, int *out) {
    int s = data_split_index(v);
    if (s < 0)
        return cli_usage_error(cmd, "--split expects train, valid or test, "
                                    "got", v);
    *out = s;
    return 0;
}

int cli_image_out(const char *cmd, const char *path, int maxval, int *fmt) {
    ImageFormat f = image_format_of(path);
    if (f == IMG_PBM && maxval > 1)
        return cli_usage_error(cmd, "--out: a .pbm holds only black and "
                                    "white; use .pgm or a matrix file, not",
                               path);
    *fmt = (int)f;
    return 0;
}
