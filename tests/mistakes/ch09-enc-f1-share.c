// exercise: 9.1
// what: gives x = 0 the share of x = 1: bound from f1 instead of 2^P - f1
// replace:
    uint32_t bound = (e->range >> CODER_P) * (CODER_ONE - f1);
// with:
    uint32_t bound = (e->range >> CODER_P) * f1;
