// exercise: 9.1
// what: multiplies before shifting: range * (2^P - f1) overflows 32 bits
// replace:
    uint32_t bound = (e->range >> CODER_P) * (CODER_ONE - f1);
// with:
    uint32_t bound = e->range * (CODER_ONE - f1) >> CODER_P;
