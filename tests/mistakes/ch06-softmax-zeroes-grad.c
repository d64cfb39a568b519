// exercise: 6.5
// what: clears dparams before the first example: the caller's sum is lost
// replace:
        int best = 0;
// with:
        if (n == 0 && dparams)
            memset(dparams, 0,
                   softmax_num_params(D, C) * sizeof *dparams);
        int best = 0;
