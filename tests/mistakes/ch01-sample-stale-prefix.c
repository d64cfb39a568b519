// exercise: 1.4
// what: draws every x_i from row 0 of its table: the prefix is never updated with the drawn values
// replace:
        prefix = (prefix << 1) | (size_t)x[i];
// with:
