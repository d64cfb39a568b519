// exercise: 6.4
// what: samples from position 0, overwriting the given pixels
// replace:
        for (int k = given; k < d; k++) { /* the rest, in order */
// with:
        for (int k = 0; k < d; k++) {
