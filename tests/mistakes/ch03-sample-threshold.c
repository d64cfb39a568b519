// exercise: 3.3
// what: thresholds at 1/2 instead of drawing: x_i = [sigma(a_i) > 1/2]
// replace:
            xs[i] = (uint8_t)rng_bernoulli(rng, sigmoid_f(a[i]));
// with:
            xs[i] = (uint8_t)(sigmoid_f(a[i]) > 0.5f);
