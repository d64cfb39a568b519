// exercise: 6.3
// what: the wrong pixel of an ordering: the pixel before position k taken as k - 1 in raster order, not order[k - 1]
// block: W
// replace:
            int j = k > 0 ? order[k - 1] : -1; /* the pixel before */
// with:
            int j = k > 0 ? k - 1 : -1; /* the pixel before */
