// exercise: 9.3
// what: charges f1's probability for both values, a 0 too
// replace:
    uint32_t f = x ? f1 : CODER_ONE - f1;
// with:
    uint32_t f = f1;
