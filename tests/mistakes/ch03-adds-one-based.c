// exercise: 3.5
// what: uses the 1-based count d - j with the 0-based code index j: one addition too many per pixel on
// replace:
        if (x[j]) n += d - 1 - j;
// with:
        if (x[j]) n += d - j;
