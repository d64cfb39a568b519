// exercise: 4.1
// what: the active list as a fixed array of 8 entries: overflows it once more than 8 pixels before i are on
// sanitizer: index 8 out of bounds
// replace:
        int on[4096], n_on = 0; /* the active pixels before i */
// with:
        int on[8], n_on = 0; /* the active pixels before i */
