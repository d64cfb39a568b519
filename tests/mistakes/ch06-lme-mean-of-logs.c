// exercise: 6.1
// what: averages the log-probabilities (the log of a geometric mean) instead of the log of the mean probability
// replace:
    return mx + log(s / K);
// with:
    s = 0;
    for (int k = 0; k < K; k++) s += lp[k];
    return s / K;
