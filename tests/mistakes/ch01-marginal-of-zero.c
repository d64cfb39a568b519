// exercise: 1.1
// what: sums the configurations where x_i = 0: p(x_i = 0) instead of p(x_i = 1)
// replace:
        if ((k >> bit) & 1) m += t->p[k];
// with:
        if (!((k >> bit) & 1)) m += t->p[k];
