// exercise: 2.2
// what: takes log(sigmoid(a)) and log(1 - sigmoid(a)) directly: -inf once sigma underflows
// replace:
    double lp = 0.0;
    for (int i = 0; i < 3; i++)
        lp += log_bernoulli_logit(x[i], fvsbn3_logit(m, i, x));
    return lp;
// with:
    double lp = 0.0;
    for (int i = 0; i < 3; i++) {
        double mu = sigmoid(fvsbn3_logit(m, i, x));
        lp += x[i] ? log(mu) : log(1 - mu);
    }
    return lp;
