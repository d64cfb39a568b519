// exercise: 7.3
// what: forgets the hidden biases' gradient
// block: c
// replace:
        vec_add(dp.c, du, h);
// with:
