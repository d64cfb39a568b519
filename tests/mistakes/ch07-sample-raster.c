// exercise: 7.4
// what: samples in the raster order whatever the mask's order: pixel i is drawn before pixels its conditional reads
// replace:
        for (int t = 0; t < d; t++) {
            int i = mk->order[t]; /* the pixel at place t + 1 */
            if (t >= given) {     /* a given pixel stays */
                /* u = relu(a) over the units output i reads */
// with:
        for (int t = 0; t < d; t++) {
            int i = t;
            if (t >= given) { /* a given pixel stays */
                /* u = relu(a) over the units output i reads */
