// exercise: 2.2
// what: scores every x_i as if it were 1: log p instead of log (1 - p) for x = 0
// replace:
        lp += log_bernoulli_logit(x[i], fvsbn3_logit(m, i, x));
// with:
        lp += log_bernoulli_logit(1, fvsbn3_logit(m, i, x));
