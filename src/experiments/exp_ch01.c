/* exp_ch01.c - chapter 1's experiment: the running example's table,
 * its chain-rule tables, and ancestral sampling against the exact
 * probabilities. */
#include <math.h>
#include <stdio.h>

#include "experiments.h"
#include "out.h"
#include "rng.h"
#include "tabular.h"

/* The running example of chapter 1, in percent: p(x1, x2, x3). */
static const double EXAMPLE[8] = {30, 5, 10, 15, 5, 10, 5, 20};

static void label(int k, char s[4]) {
    s[0] = (char)('0' + ((k >> 2) & 1));
    s[1] = (char)('0' + ((k >> 1) & 1));
    s[2] = (char)('0' + (k & 1));
    s[3] = '\0';
}

static int write_tables(const char *dir, const Table *t,
                        const ChainRule *c, Err *e) {
    char path[1024];
    OutFile o;
    if (out_open(&o, exp_path(path, sizeof path, dir, "joint.tsv"), e))
        return -1;
    fprintf(o.f, "$x_1$\t$x_2$\t$x_3$\t$p(x_1, x_2, x_3)$\n");
    for (int k = 0; k < 8; k++)
        fprintf(o.f, "%d\t%d\t%d\t%.2f\n", (k >> 2) & 1, (k >> 1) & 1,
                k & 1, t->p[k]);
    if (out_close(&o, e)) return -1;

    if (out_open(&o, exp_path(path, sizeof path, dir, "chain.tsv"), e))
        return -1;
    fprintf(o.f,
            "table\tcondition\tprobability that the variable is 1\n");
    static const char *given[3] = {"", "x_1", "x_1, x_2"};
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < (1 << i); k++) {
            fprintf(o.f, "$p(x_%d%s%s)$\t", i + 1, i ? " \\mid " : "",
                    given[i]);
            if (i == 0) fprintf(o.f, "(none)");
            if (i == 1) fprintf(o.f, "$x_1 = %d$", k);
            if (i == 2)
                fprintf(o.f, "$x_1 = %d, x_2 = %d$", k >> 1, k & 1);
            fprintf(o.f, "\t%.4f\n", c->cond[i][k]);
        }
    return out_close(&o, e);
}

int exp_ch01(const ExpOptions *opt, Err *e) {
    if (make_dirs(opt->out, e)) return 1;
    Table t;
    TableStatus st = table_init(&t, 3, EXAMPLE);
    ChainRule c;
    if (st == TABLE_OK) st = chain_from_table(&c, &t);
    if (st != TABLE_OK) {
        err_set(e, "chapter 1 example: %s", table_status_str(st));
        return 1;
    }
    int rc = 1;
    if (write_tables(opt->out, &t, &c, e)) goto done;

    /* Ancestral sampling, then compare frequencies with p(x). */
    long n = opt->quick ? 2000 : 10000;
    long count[8] = {0};
    Rng rng;
    rng_seed(&rng, opt->seed);
    for (long s = 0; s < n; s++) {
        int x[3];
        chain_sample(&c, &rng, x);
        count[table_index(3, x)]++;
    }
    char path[1024];
    OutFile o;
    if (out_open(&o,
                 exp_path(path, sizeof path, opt->out, "sampling.tsv"),
                 e))
        goto done;
    fprintf(o.f, "# config\texact\tsampled\ttwo_se\tchain_product\n");
    double chi2 = 0, worst = 0;
    for (int k = 0; k < 8; k++) {
        char s[4];
        int x[3];
        label(k, s);
        table_config(3, (size_t)k, x);
        double p = t.p[k], f = (double)count[k] / n;
        double se = sqrt(p * (1 - p) / n);
        chi2 += (count[k] - n * p) * (count[k] - n * p) / (n * p);
        if (fabs(f - p) / se > worst) worst = fabs(f - p) / se;
        fprintf(o.f, "%s\t%.6f\t%.6f\t%.6f\t%.6f\n", s, p, f, 2 * se,
                chain_prob(&c, x));
    }
    if (out_close(&o, e)) goto done;

    Values v = {0};
    values_add(&v, "seed", "%llu", (unsigned long long)opt->seed);
    values_add(&v, "n_samples", "%ld", n);
    values_add(&v, "chi2", "%.2f", chi2);
    values_add(&v, "worst_se", "%.2f", worst);
    values_add(&v, "p_x1", "%.2f", table_marginal(&t, 0));
    values_add(&v, "p_x2", "%.2f", table_marginal(&t, 1));
    values_add(&v, "p_x3", "%.2f", table_marginal(&t, 2));
    values_add(&v, "p_111", "%.2f", t.p[7]);
    values_add(&v, "n_params", "%ld", chain_num_params(3));
    /* the sizes of chapter 1's closing comparison, for d = 784 */
    values_add(&v, "log10_table_784", "%.0f", 784 * log10(2.0));
    values_add(&v, "fvsbn_784", "%d", 784 * 785 / 2);
    values_add(&v, "q1", "%.2f", c.cond[0][0]);
    values_add(&v, "q2_1", "%.2f", c.cond[1][1]);
    values_add(&v, "q3_11", "%.2f", c.cond[2][3]);
    if (values_write(&v, opt->out, e)) goto done;
    rc = 0;
done:
    chain_free(&c);
    table_free(&t);
    return rc;
}
