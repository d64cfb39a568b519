// exercise: 6.1
// what: log-mean-exp without the max shift: exp(-1000) underflows to 0 and exp(800) overflows
// replace:
    for (int k = 0; k < K; k++) s += exp(lp[k] - mx); /* each <= 1 */
// with:
    for (int k = 0; k < K; k++) s += exp(lp[k]); /* each <= 1 */
// replace:
    return mx + log(s / K);
// with:
    return log(s / K);
