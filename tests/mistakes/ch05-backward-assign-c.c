// exercise: 5.2
// what: assigns the gradient of c (memcpy) instead of adding it
// block: c
// replace:
        vec_add(dp.c, s, h);
// with:
        memcpy(dp.c, s, (size_t)h * sizeof *s);
