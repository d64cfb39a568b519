// exercise: 4.2
// what: clears dparams before the first image, as if backward owned the buffer
// block: b
// replace:
        int on[4096], n_on = 0; /* the active pixels before i */
// with:
        if (n == 0)
            memset(dparams, 0, mlp_num_params(d, h) * sizeof *dparams);
        int on[4096], n_on = 0; /* the active pixels before i */
