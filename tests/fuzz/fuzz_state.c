/* fuzz_state.c - libFuzzer target: the training-state loader
 * (state_parse on memory) for a 3-pixel FVSBN trained with Adam.
 * The seed corpus file state/fvsbn-d3 is what this target writes when
 * run with AUTOREG_FUZZ_WRITE_SEED=FILE. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trainstate.h"

static Model model;
static Optimizer opt;
static StateKey key;
static float best[6];

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    Err e;
    if (model_create(&model, model_ops_by_name("fvsbn"), 3, 0, 1, &e) ||
        optim_init(&opt, OPT_ADAM, model.n_params, 0.01f))
        abort();
    uint8_t x[6] = {0, 1, 1, 1, 0, 1};
    Split tr = {2, 3, x, NULL}, va = {1, 3, x, NULL};
    state_key(&key, "fuzz", &tr, &va, 2, OPT_ADAM, 1, 0.01f, 1);
    const char *seed = getenv("AUTOREG_FUZZ_WRITE_SEED");
    if (seed) {
        TrainProgress p = {
            .epoch = 1, .best_epoch = 1, .best_valid_nll = 2.0};
        rng_seed(&p.rng, 1);
        text_printf(&p.log, "# epoch\ttrain_nll\tvalid_nll\n1\t2\t2\n");
        text_printf(&p.tlog, "# epoch\tseconds\texamples_per_s\n");
        if (state_save(seed, &key, &model, &opt, best, &p, &e)) abort();
        text_free(&p.log);
        text_free(&p.tlog);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    TrainProgress p = {0};
    Err e;
    if (state_parse(data, size, "fuzz", &key, &model, &opt, best, &p,
                    &e) == 0) {
        if (p.best_epoch > p.epoch || p.epoch < 0) abort();
        if (p.log.len && strlen(p.log.s) != p.log.len) abort();
    }
    text_free(&p.log);
    text_free(&p.tlog);
    return 0;
}
