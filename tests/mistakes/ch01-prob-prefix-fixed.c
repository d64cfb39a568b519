// exercise: 1.3
// what: never grows the prefix: every variable reads row 0 of its table, as if the ones before it were 0
// replace:
        prefix = (prefix << 1) | (size_t)(x[i] != 0);
// with:
