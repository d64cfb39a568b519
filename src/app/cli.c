/* cli.c - see cli.h. */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "image.h"

FILE *cli_errors;
const char *cli_program = "autoreg";

int cli_usage_error(const char *cmd, const char *what,
                    const char *arg) {
    FILE *f = cli_errors ? cli_errors : stderr;
    if (arg) fprintf(f, "autoreg %s: %s '%s'\n", cmd, what, arg);
    else fprintf(f, "autoreg %s: %s\n", cmd, what);
    fprintf(f, "Try 'autoreg %s --help'.\n", cmd);
    return 2;
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

int cli_image_out(const char *cmd, const char *path, int maxval,
                  int *fmt) {
    ImageFormat f = image_format_of(path);
    if (f == IMG_PBM && maxval > 1)
        return cli_usage_error(cmd,
                               "--out: a .pbm holds only black and "
                               "white; use .pgm or a matrix file, not",
                               path);
    *fmt = (int)f;
    return 0;
}

/* "train, valid or test" (conj "or") */
static void join(char *buf, size_t n, const char *const *w, int k,
                 const char *conj) {
    buf[0] = 0;
    for (int i = 0; i < k; i++)
        snprintf(buf + strlen(buf), n - strlen(buf), "%s%s%s%s",
                 i == 0       ? ""
                 : i == k - 1 ? " "
                              : ", ",
                 i > 0 && i == k - 1 ? conj : "",
                 i > 0 && i == k - 1 ? " " : "", w[i]);
}

/* The value v of option o into its place; 0, or a usage error (2). */
static int take_value(const char *cmd, const CliOpt *o, const char *v) {
    char what[256];
    unsigned long long u;
    char *end;
    switch (o->type) {
    case CLI_STR:
        if (o->max && strlen(v) > o->max) {
            snprintf(what, sizeof what, "%s is longer than %zu bytes",
                     o->name, o->max);
            return cli_usage_error(cmd, what, NULL);
        }
        *o->str = v;
        return 0;
    case CLI_LONG:
        if (cli_parse_u64(v, &u) || u < (unsigned long long)o->lo ||
            u > (unsigned long long)o->hi) {
            snprintf(what, sizeof what,
                     "%s expects an integer in "
                     "%ld..%ld, got",
                     o->name, o->lo, o->hi);
            return cli_usage_error(cmd, what, v);
        }
        *o->num = (long)u;
        return 0;
    case CLI_LONGS: { /* N or N,N2 */
        char one[32];
        const char *comma = strchr(v, ',');
        size_t n1 = comma ? (size_t)(comma - v) : strlen(v);
        unsigned long long u2 = 0;
        int bad = n1 >= sizeof one;
        if (!bad) {
            memcpy(one, v, n1);
            one[n1] = 0;
            bad = cli_parse_u64(one, &u) ||
                  u < (unsigned long long)o->lo ||
                  u > (unsigned long long)o->hi;
        }
        if (!bad && comma)
            bad = cli_parse_u64(comma + 1, &u2) ||
                  u2 < (unsigned long long)o->lo ||
                  u2 > (unsigned long long)o->hi;
        if (bad) {
            snprintf(what, sizeof what,
                     "%s expects an integer in %ld..%ld "
                     "or two (N,N2), got",
                     o->name, o->lo, o->hi);
            return cli_usage_error(cmd, what, v);
        }
        *o->num = (long)u;
        *o->num2 = (long)u2;
        return 0;
    }
    case CLI_SEED:
        if (cli_parse_u64(v, o->u64)) {
            snprintf(what, sizeof what,
                     "%s expects a non-negative "
                     "integer, got",
                     o->name);
            return cli_usage_error(cmd, what, v);
        }
        return 0;
    case CLI_REAL:
        *o->real = strtod(v, &end);
        if (*end || !(*o->real > 0) || !isfinite(*o->real)) {
            snprintf(what, sizeof what,
                     "%s expects a positive number, "
                     "got",
                     o->name);
            return cli_usage_error(cmd, what, v);
        }
        return 0;
    case CLI_CHOICE:
        for (int k = 0; k < o->n_choices; k++)
            if (!strcmp(v, o->choices[k])) {
                *o->index = k;
                if (o->str) *o->str = o->choices[k];
                return 0;
            }
        char names[160];
        join(names, sizeof names, o->choices, o->n_choices, "or");
        snprintf(what, sizeof what, "%s expects %s, got", o->name,
                 names);
        return cli_usage_error(cmd, what, v);
    case CLI_FLAG: break;
    }
    return 0;
}

int cli_parse(CliSpec *s, int argc, char **argv) {
    enum { MAX_OPTS = 32 };
    int given[MAX_OPTS] = {0}, n_opts = 0;
    while (s->opts[n_opts].name) n_opts++;
    if (n_opts > MAX_OPTS) abort(); /* a table too long: a bug */
    s->n_pos = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            if (s->help) s->help(stdout);
            else fputs(s->usage, stdout);
            return 1;
        }
        if (a[0] != '-' || !a[1]) { /* positional ("-" is one too) */
            if (s->n_pos == s->max_pos)
                return cli_usage_error(s->cmd, "unexpected argument",
                                       a);
            s->pos[s->n_pos++] = a;
            continue;
        }
        int k = 0;
        while (k < n_opts && strcmp(a, s->opts[k].name)) k++;
        if (k == n_opts)
            return cli_usage_error(s->cmd, "unknown option", a);
        const CliOpt *o = &s->opts[k];
        given[k] = 1;
        if (o->type == CLI_FLAG) {
            *o->flag = 1;
            continue;
        }
        if (i + 1 >= argc)
            return cli_usage_error(s->cmd, "missing value after", a);
        const char *v = argv[++i];
        if (!*v) return cli_usage_error(s->cmd, "empty value for", a);
        if (take_value(s->cmd, o, v)) return 2;
    }
    const char *missing[MAX_OPTS];
    int n_missing = 0;
    for (int k = 0; k < n_opts; k++)
        if (s->opts[k].required && !given[k])
            missing[n_missing++] = s->opts[k].name;
    if (n_missing) {
        char names[200],
            what[220]; /* "missing --checkpoint and --out" */
        join(names, sizeof names, missing, n_missing, "and");
        snprintf(what, sizeof what, "missing %s", names);
        return cli_usage_error(s->cmd, what, NULL);
    }
    return 0;
}
