// exercise: 9.2
// what: splits at f1's share instead of 2^P - f1
// replace:
    uint32_t bound = (dc->range >> CODER_P) * (CODER_ONE - f1);
// with:
    uint32_t bound = (dc->range >> CODER_P) * f1;
