// exercise: 2.6
// what: gives w_21 the bias gradient x_2 - mu_2, forgetting the factor x_1 = 0
// replace:
    g[FVSBN3_W21] = (1 - 3.0 / 4) * 0;
// with:
    g[FVSBN3_W21] = (1 - 3.0 / 4) * 1;
