// exercise: 5.2
// what: walks down without recomputing h = sigma(a) after subtracting a column: V and W see the hidden units of the last conditional
// block: V
// replace:
                vec_sub(a, p.W + (size_t)(i - 1) * h, h); /* a_{i-1} */
                vec_sigmoid(hid, a, h);
// with:
                vec_sub(a, p.W + (size_t)(i - 1) * h, h); /* a_{i-1} */
