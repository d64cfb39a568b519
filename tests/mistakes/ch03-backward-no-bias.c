// exercise: 3.2
// what: forgets the bias gradient
// block: b
// replace:
        vec_add(dp.b, g, d);
// with:
