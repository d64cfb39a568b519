/* fuzz_cli.c - libFuzzer target: the argument parser of every
 * subcommand, in-process, without running anything.
 *
 * The input is split on newlines (or NUL bytes) into argv[1..]; argv[0]
 * is "autoreg". autoreg_parse_only must return 0, 1 (help) or 2 (usage
 * error) and never exit; a parsed train command's values must be in
 * their documented ranges. Usage errors and help text go to /dev/null.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { MAX_ARGS = 64 };

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    cli_errors = fopen("/dev/null", "w");
    if (!cli_errors || !freopen("/dev/null", "w", stdout)) abort();
    return 0;
}

/* A parsed train command stays within what its --help promises. */
static void check_train(int argc, char **argv) {
    CmdOpts o;
    if (train_parse(argc, argv, &o) != 0) return;
    if (!o.model || !o.data || !o.ops || !o.out) abort();
    if (o.epochs < 1 || o.epochs > 100000 || o.batch < 1 ||
        o.batch > 100000 || !(o.lr > 0) || strlen(o.out) > 900)
        abort();
    if (o.ops->needs_hidden ? o.hidden < 1 : o.hidden != 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *buf = malloc(size + 1);
    if (!buf) return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *argv[MAX_ARGS + 2] = {"autoreg"};
    int argc = 1;
    for (size_t i = 0, start = 0; i <= size && argc <= MAX_ARGS; i++) {
        if (i < size && buf[i] != '\n' && buf[i] != '\0') continue;
        buf[i] = '\0';
        argv[argc++] = buf + start;
        start = i + 1;
    }
    argv[argc] = NULL;
    int rc = autoreg_parse_only(argc, argv);
    if (rc < 0 || rc > 2) abort();
    if (argc >= 2 && !strcmp(argv[1], "train"))
        check_train(argc - 2, argv + 2);
    free(buf);
    return 0;
}
