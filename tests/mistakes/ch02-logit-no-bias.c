// exercise: 2.1
// what: leaves out the bias: a_i = sum_j w_ij x_j
// replace:
    double a = b[0];
// with:
    double a = 0;
