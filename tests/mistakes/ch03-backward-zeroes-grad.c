// exercise: 3.2
// what: an accumulator zeroed at the wrong place: clears dparams for the first image, wiping what the caller had added
// block: b
// replace:
        /* forward was: a_i = b_i + ..., so dnll/db_i = g_i */
// with:
        if (n == 0)
            memset(dparams, 0, fvsbn_num_params(d) * sizeof *dparams);
        /* forward was: a_i = b_i + ..., so dnll/db_i = g_i */
