// exercise: 6.1
// what: log-sum-exp instead of log-mean-exp: forgets the 1/K
// replace:
    return mx + log(s / K);
// with:
    return mx + log(s);
