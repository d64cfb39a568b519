// exercise: 9.3
// what: returns the model's own charge -log2 p instead of the coder's, which codes with the quantised probability
// replace:
    return -log2((double)f / CODER_ONE);
// with:
    return -log2(x ? p1 : 1 - p1);
