// exercise: 3.2
// what: sign of the bias gradient: subtracts g from db
// block: b
// replace:
        vec_add(dp.b, g, d);
// with:
        vec_sub(dp.b, g, d);
