// exercise: 2.2
// what: takes log(sigmoid(a)) and log(1 - sigmoid(a)) directly: -inf once sigma underflows
// replace:
        lp += log_bernoulli_logit(x[i], fvsbn3_logit(m, i, x));
// with:
        {
        double mu = sigmoid(fvsbn3_logit(m, i, x));
        lp += x[i] ? log(mu) : log(1 - mu);
    }
