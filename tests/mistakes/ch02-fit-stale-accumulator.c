// exercise: 2.4
// what: an accumulator not zeroed: gx is declared once outside the loop, so each configuration adds the gradients of all before it
// replace:
    double g[FVSBN3_NPARAMS] = {0};
// with:
    double g[FVSBN3_NPARAMS] = {0}, gx[FVSBN3_NPARAMS] = {0};
// replace:
        double gx[FVSBN3_NPARAMS] = {0};
// with:
