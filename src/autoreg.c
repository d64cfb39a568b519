/* autoreg.c - the command-line driver.
 *
 *   autoreg experiment N [--out DIR] [--seed S] [--quick]
 *
 * Exit status: 0 ok, 1 internal failure, 2 bad command line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiments.h"

typedef int (*ExperimentFn)(const ExpOptions *);

static const struct {
    int chapter;
    ExperimentFn run;
    const char *what;
} EXPERIMENTS[] = {
    {1, exp_ch01, "chain-rule tables and ancestral sampling of a 3-variable joint"},
    {2, exp_ch02, "fit the 3-variable FVSBN to FVSBN samples and to XOR"},
};
#define N_EXPERIMENTS ((int)(sizeof EXPERIMENTS / sizeof EXPERIMENTS[0]))

const char *exp_path(char *buf, size_t size, const char *dir,
                     const char *name) {
    if ((size_t)snprintf(buf, size, "%s/%s", dir, name) >= size) {
        fprintf(stderr, "autoreg: path too long: %s/%s\n", dir, name);
        exit(1);
    }
    return buf;
}

static void usage(FILE *f) {
    fprintf(f, "usage: autoreg <command> [options]\n\n"
               "commands:\n"
               "  experiment N   run chapter N's experiment\n\n"
               "Run 'autoreg <command> --help' for the options of a "
               "command.\n");
}

static void usage_experiment(FILE *f) {
    fprintf(f, "usage: autoreg experiment N [--out DIR] [--seed S] "
               "[--quick]\n\n"
               "Runs chapter N's experiment and writes its TSV outputs and\n"
               "values.tsv into DIR (default build/chNN).\n\n"
               "  --out DIR   output directory (created if missing)\n"
               "  --seed S    random seed, a non-negative integer "
               "(default 1)\n"
               "  --quick     the fast preset\n\nchapters:\n");
    for (int i = 0; i < N_EXPERIMENTS; i++)
        fprintf(f, "  %d  %s\n", EXPERIMENTS[i].chapter, EXPERIMENTS[i].what);
}

/* Strict unsigned parse: digits only, no overflow. */
static int parse_u64(const char *s, unsigned long long *out) {
    if (!s || !*s || strspn(s, "0123456789") != strlen(s)) return -1;
    errno = 0;
    *out = strtoull(s, NULL, 10);
    return errno ? -1 : 0;
}

static int bad(const char *msg, const char *arg) {
    fprintf(stderr, "autoreg experiment: %s%s%s%s\n", msg, arg ? " '" : "",
            arg ? arg : "", arg ? "'" : "");
    fprintf(stderr, "Try 'autoreg experiment --help'.\n");
    return 2;
}

static int cmd_experiment(int argc, char **argv) {
    ExpOptions opt = {NULL, 1, 0};
    const char *chapter = NULL;
    char out[64];
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage_experiment(stdout);
            return 0;
        } else if (!strcmp(a, "--quick")) {
            opt.quick = 1;
        } else if (!strcmp(a, "--out") || !strcmp(a, "--seed")) {
            if (i + 1 >= argc) return bad("missing value after", a);
            const char *val = argv[++i];
            if (!strcmp(a, "--out")) {
                if (!*val) return bad("empty value for", a);
                opt.out = val;
            } else {
                unsigned long long s;
                if (parse_u64(val, &s))
                    return bad("--seed expects a non-negative integer, got",
                               val);
                opt.seed = s;
            }
        } else if (a[0] == '-') {
            return bad("unknown option", a);
        } else if (!chapter) {
            chapter = a;
        } else {
            return bad("unexpected argument", a);
        }
    }
    if (!chapter) return bad("missing chapter number", NULL);
    unsigned long long n;
    if (parse_u64(chapter, &n)) return bad("not a chapter number:", chapter);
    for (int i = 0; i < N_EXPERIMENTS; i++) {
        if ((unsigned long long)EXPERIMENTS[i].chapter != n) continue;
        if (!opt.out) {
            snprintf(out, sizeof out, "build/ch%02llu", n);
            opt.out = out;
        }
        return EXPERIMENTS[i].run(&opt);
    }
    return bad("no experiment for chapter", chapter);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "experiment"))
        return cmd_experiment(argc - 2, argv + 2);
    fprintf(stderr, "autoreg: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
