// exercise: 5.2
// what: the old hint read literally: rebuilds a from columns 0..d-2, then walks down subtracting column i (not i-1) when x_i = 1, so the gradient is wrong whenever the last pixel is on
// block: W
// replace:
            if (i > 0 && xn[i - 1]) {
// with:
            if (i > 0 && xn[i]) {
// replace:
                vec_add(dp.W + (size_t)(i - 1) * h, s, h);
                vec_sub(a, p.W + (size_t)(i - 1) * h, h); /* a_{i-1} */
// with:
                vec_add(dp.W + (size_t)i * h, s, h);
                vec_sub(a, p.W + (size_t)i * h, h);
