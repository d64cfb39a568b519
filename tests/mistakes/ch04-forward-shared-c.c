// exercise: 4.1
// what: uses conditional 1's hidden biases c_1 for every conditional
// replace:
            memcpy(hi, p.c + (size_t)i * h, (size_t)h * sizeof *hi);
// with:
            memcpy(hi, p.c, (size_t)h * sizeof *hi);
