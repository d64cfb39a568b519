/* exp_ch02.c - chapter 2's experiment: fit the 3-variable FVSBN by
 * gradient ascent to samples of a known FVSBN and to x3 = x1 XOR x2,
 * and fit chapter 1's table to the same XOR samples. */
#include <math.h>
#include <stdio.h>

#include "experiments.h"
#include "fvsbn3.h"
#include "mathx.h"
#include "out.h"
#include "rng.h"
#include "tabular.h"

/* The FVSBN that generates the first data set. */
static const Fvsbn3 TRUTH = {{0.4, -1.0, 2.0, 0.5, -1.5, 1.0}};
static const char *NAMES[FVSBN3_NPARAMS] = {"b_1", "b_2",    "w_{21}",
                                            "b_3", "w_{31}", "w_{32}"};

/* Frequencies of the 8 configurations in n draws of `draw`. */
static void sample_freqs(Rng *rng, long n, int xor_target,
                         double f[8]) {
    for (int k = 0; k < 8; k++) f[k] = 0;
    for (long s = 0; s < n; s++) {
        int x[3];
        if (xor_target) {
            x[0] = rng_bernoulli(rng, 0.5);
            x[1] = rng_bernoulli(rng, 0.5);
            x[2] = x[0] ^ x[1];
        } else {
            fvsbn3_sample(&TRUTH, rng, x);
        }
        f[4 * x[0] + 2 * x[1] + x[2]] += 1.0 / (double)n;
    }
}

int exp_ch02(const ExpOptions *opt, Err *e) {
    if (make_dirs(opt->out, e)) return 1;
    const long n = 10000;
    const int steps = opt->quick ? 500 : 2000;
    const double lr = 2.0;
    Rng rng;
    rng_seed(&rng, opt->seed);
    double data_a[8], data_x[8];
    sample_freqs(&rng, n, 0, data_a);
    sample_freqs(&rng, n, 1, data_x);

    /* Gradient ascent from theta = 0 on both data sets. */
    Fvsbn3 fit_a = {{0}}, fit_x = {{0}};
    char path[1024];
    OutFile o;
    if (out_open(&o,
                 exp_path(path, sizeof path, opt->out, "training.tsv"),
                 e))
        return 1;
    fprintf(o.f, "# step\tnll_fvsbn_data\tnll_xor_data\n");
    for (int s = 0; s <= steps; s++) {
        double nll_a = s < steps ? fvsbn3_fit_step(&fit_a, data_a, lr)
                                 : fvsbn3_nll(&fit_a, data_a);
        double nll_x = s < steps ? fvsbn3_fit_step(&fit_x, data_x, lr)
                                 : fvsbn3_nll(&fit_x, data_x);
        fprintf(o.f, "%d\t%.9f\t%.9f\n", s, nll_a, nll_x);
    }
    if (out_close(&o, e)) return 1;

    /* Chapter 1's table fitted to the XOR data: maximum likelihood for
     * a table is the data's own frequencies. */
    Table t;
    ChainRule c;
    TableStatus st = table_init(&t, 3, data_x);
    if (st == TABLE_OK) st = chain_from_table(&c, &t);
    if (st != TABLE_OK) {
        err_set(e, "chapter 2 table fit: %s", table_status_str(st));
        return 1;
    }
    double truth_a[8], model_a[8], model_x[8], table_x[8];
    const double truth_x[8] = {0.25, 0, 0, 0.25, 0, 0.25, 0.25, 0};
    fvsbn3_probs(&TRUTH, truth_a);
    fvsbn3_probs(&fit_a, model_a);
    fvsbn3_probs(&fit_x, model_x);
    for (int k = 0; k < 8; k++) {
        int x[3] = {(k >> 2) & 1, (k >> 1) & 1, k & 1};
        table_x[k] = chain_prob(&c, x);
    }
    chain_free(&c);
    table_free(&t);

    if (out_open(
            &o, exp_path(path, sizeof path, opt->out, "fitted.tsv"), e))
        return 1;
    fprintf(o.f, "# config\ttrue_fvsbn\tfit_fvsbn\ttrue_xor\tfvsbn_xor"
                 "\ttable_xor\n");
    for (int k = 0; k < 8; k++)
        fprintf(o.f, "%d%d%d\t%.6f\t%.6f\t%.6f\t%.6f\t%.6f\n",
                (k >> 2) & 1, (k >> 1) & 1, k & 1, truth_a[k],
                model_a[k], truth_x[k], model_x[k], table_x[k]);
    if (out_close(&o, e)) return 1;

    if (out_open(
            &o, exp_path(path, sizeof path, opt->out, "params.tsv"), e))
        return 1;
    fprintf(o.f,
            "parameter\ttrue value\tfitted to %ld,%03ld samples\t"
            "fitted to XOR\n",
            n / 1000, n % 1000);
    for (int p = 0; p < FVSBN3_NPARAMS; p++)
        fprintf(o.f, "$%s$\t%.2f\t%.2f\t%.2f\n", NAMES[p],
                TRUTH.theta[p], fit_a.theta[p], fit_x.theta[p]);
    if (out_close(&o, e)) return 1;

    Values v = {0};
    char buf[64];
    values_add(&v, "seed", "%llu", (unsigned long long)opt->seed);
    values_add(&v, "n_samples", "%ld", n);
    values_add(&v, "steps", "%d", steps);
    values_add(&v, "lr", "%.1f", lr);
    values_add(&v, "entropy_a", "%.4f", entropy(data_a, 8));
    values_add(&v, "nll_a", "%.4f", fvsbn3_nll(&fit_a, data_a));
    values_add(
        &v, "kl_a", "%s",
        latex_sci(buf, sizeof buf, kl_divergence(truth_a, model_a, 8)));
    values_add(&v, "entropy_x", "%.4f", entropy(data_x, 8));
    values_add(&v, "nll_x", "%.4f", fvsbn3_nll(&fit_x, data_x));
    values_add(&v, "kl_x", "%.4f", kl_divergence(data_x, model_x, 8));
    /* zero up to rounding, which may leave it a hair below zero */
    values_add(&v, "kl_table_x_abs", "%s",
               latex_sci(buf, sizeof buf,
                         fabs(kl_divergence(data_x, table_x, 8))));
    values_add(&v, "log2", "%.4f", log(2.0));
    const Fvsbn3 worked = fvsbn3_worked_example();
    const int x101[3] = {1, 0, 1};
    values_add(&v, "worked_logp", "%.4f",
               fvsbn3_log_prob(&worked, x101));
    values_add(&v, "worked_p", "%.4f",
               exp(fvsbn3_log_prob(&worked, x101)));
    if (values_write(&v, opt->out, e)) return 1;
    return 0;
}
