// exercise: 3.1
// what: computes the NLL with log_bernoulli_logit but leaves the logits, not sigma(a) - x, in dlogits for backward
// replace:
        nll[n] = bernoulli_nll(a, a, xn, d);
// with:
        nll[n] = 0;
        for (int i = 0; i < d; i++)
            nll[n] -= log_bernoulli_logit(xn[i], a[i]);
