// exercise: 4.2
// what: never records the active pixels: A_i gets no gradient
// block: A
// replace:
            if (xn[i]) on[n_on++] = i;
// with:
