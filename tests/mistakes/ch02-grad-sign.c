// exercise: 2.3
// what: sign of the gradient: sigma(a_i) - x_i (the gradient of the NLL) instead of x_i - sigma(a_i)
// replace:
        double g = x[i] - sigmoid(fvsbn3_logit(m, i, x));
// with:
        double g = sigmoid(fvsbn3_logit(m, i, x)) - x[i];
