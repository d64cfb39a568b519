// exercise: 5.2
// what: clears dparams before each image: only the last image of a batch keeps its gradient
// block: W
// replace:
        /* rebuild a = c + sum_{j <= d-2} W[:, j] x_j (0-based j): the
// with:
        memset(dparams, 0, nade_num_params(d, h) * sizeof *dparams);
        /* rebuild a = c + sum_{j <= d-2} W[:, j] x_j (0-based j): the
