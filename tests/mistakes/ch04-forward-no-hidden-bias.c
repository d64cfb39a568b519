// exercise: 4.1
// what: leaves out the hidden biases c_i: the pre-activation starts at 0
// replace:
            memcpy(hi, p.c + (size_t)i * h, (size_t)h * sizeof *hi);
// with:
            memset(hi, 0, (size_t)h * sizeof *hi);
