/* exp_util.c - paths of the experiments' outputs, and the plain and
 * tiled kernels side by side (experiments.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "experiments.h"

const char *exp_path(char *buf, size_t size, const char *dir,
                     const char *name) {
    /* cmd_experiment limits --out to EXP_MAX_DIR, so this fits; if it
     * ever did not, "" makes the caller's open fail with its error */
    if ((size_t)snprintf(buf, size, "%s/%s", dir, name) >= size) buf[0] = 0;
    return buf;
}

const char *exp_sibling(char *buf, size_t size, const char *dir,
                        const char *name) {
    const char *slash = strrchr(dir, '/');
    int len = slash ? (int)(slash - dir) + 1 : 0;
    snprintf(buf, size, "%.*s%s", len, dir, name);
    return buf;
}

int exp_kernels(const ExpOptions *opt, const ExpTrainSpec *spec,
                const ExpRun *plain, const char *plain_code,
                const char *tiled_code, ExpRun *tiled, Values *v, Err *e) {
    char dir[1100], path[1100];
    ExpOptions o = *opt;
    o.out = exp_path(dir, sizeof dir, opt->out, "tiled");
    ExpTrainSpec s = *spec;
    s.tiled = 1;
    int rc = exp_train(&o, &s, tiled, e);
    if (rc) return rc;
    const ExpRun *r[2] = {plain, tiled};
    OutFile f;
    if (out_open(&f, exp_path(path, sizeof path, opt->out, "kernels.tsv"),
                 e)) {
        exp_run_free(tiled);
        return 1;
    }
    fprintf(f.f, "kernel\tcode\ts/epoch\timages/s\tbest epoch\t"
                 "test NLL\n");
    for (int k = 0; k < 2; k++)
        fprintf(f.f, "%s\t%s\t%.3f\t%.0f\t%d\t%.3f\n",
                k ? "tiled" : "plain", k ? tiled_code : plain_code,
                r[k]->r.seconds / spec->epochs, r[k]->r.examples_per_s,
                r[k]->r.best_epoch, r[k]->test_nll);
    if (out_close(&f, e)) {
        exp_run_free(tiled);
        return 1;
    }
    double ps = plain->r.seconds, ts = tiled->r.seconds;
    values_add(v, "tiled_s_per_epoch", "%.3f", ts / spec->epochs);
    values_add(v, "plain_s_per_epoch", "%.3f", ps / spec->epochs);
    values_add(v, "tiled_speedup", "%.1f", ps / (ts > 0 ? ts : 1e-9));
    double diff = fabs(tiled->test_nll - plain->test_nll);
    if (diff < 0.001)
        values_add(v, "tiled_nll_diff", "%s", "less than 0.001");
    else
        values_add(v, "tiled_nll_diff", "%.3f", diff);
    return 0;
}
