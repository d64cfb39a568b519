// exercise: 7.4
// what: samples in the raster order whatever the mask's order: pixel i is drawn before pixels its conditional reads
// replace:
            int i = mk->order[t]; /* the pixel at place t + 1 */
// with:
            int i = t;
