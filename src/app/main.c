/* main.c - the command-line driver, build/autoreg: one subcommand per
 * cmd_*.c (cli.h).
 *
 *   autoreg data|train|eval|sample|complete|compress|decompress|
 *           experiment ... [--help]
 *
 * Exit status: 0 ok, 1 internal failure, 2 bad input or command line.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *f) {
    fprintf(f,
            "usage: autoreg <command> [options]\n\n"
            "commands:\n"
            "  data           prepare the data sets, describe them\n"
            "  train          train a model, keep the best validation "
            "checkpoint\n"
            "  eval           NLL of a checkpoint on a split\n"
            "  sample         draw images from a checkpoint\n"
            "  complete       complete the bottom of images (NADE)\n"
            "  compress       code images with a model's conditionals\n"
            "  decompress     decode them with the same checkpoint\n"
            "  experiment N   run chapter N's experiment\n\n"
            "Run 'autoreg <command> --help' for the options of a "
            "command.\n");
}

int main(int argc, char **argv) {
    cli_program = argv[0] ? argv[0] : "autoreg";
    if (argc < 2) {
        fprintf(stderr, "autoreg: missing command\n");
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "experiment"))
        return cmd_experiment(argc - 2, argv + 2);
    if (!strcmp(argv[1], "data")) return cmd_data(argc - 2, argv + 2);
    if (!strcmp(argv[1], "train")) return cmd_train(argc - 2, argv + 2);
    if (!strcmp(argv[1], "eval")) return cmd_eval(argc - 2, argv + 2);
    if (!strcmp(argv[1], "sample"))
        return cmd_sample(argc - 2, argv + 2);
    if (!strcmp(argv[1], "complete"))
        return cmd_complete(argc - 2, argv + 2);
    if (!strcmp(argv[1], "compress"))
        return cmd_compress(argc - 2, argv + 2);
    if (!strcmp(argv[1], "decompress"))
        return cmd_decompress(argc - 2, argv + 2);
    fprintf(stderr, "autoreg: unknown command '%s'\n", argv[1]);
    fprintf(stderr, "Try 'autoreg --help'.\n");
    return 2;
}
