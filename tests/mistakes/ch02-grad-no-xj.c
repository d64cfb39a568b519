// exercise: 2.3
// what: forgets the factor x_j: every weight gets x_i - mu_i
// replace:
            db[1 + j] += g * x[j]; /* da_i/dw_ij = x_j */
// with:
            db[1 + j] += g; /* da_i/dw_ij = x_j */
