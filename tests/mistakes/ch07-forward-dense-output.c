// exercise: 7.2
// what: reads all h units for every output (no output mask): an output sees units fed by pixels at or after its place
// replace:
        for (int i = 0; i < d; i++)
            logit[i] = p.b[i] + (float)vec_dot(p.V + (size_t)i * h, u,
                                               mk->cut[i]);
        nll[n] = bernoulli_nll(logit, logit, xn, d);
// with:
        for (int i = 0; i < d; i++)
            logit[i] =
                p.b[i] + (float)vec_dot(p.V + (size_t)i * h, u, h);
        nll[n] = bernoulli_nll(logit, logit, xn, d);
