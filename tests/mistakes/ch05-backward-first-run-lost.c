// exercise: 5.2
// what: forgets the first run: c gets s without the delta of the conditionals before the first pixel that is on
// block: c
// replace:
        vec_sigmoid_backprop(s, 1.0f, u, hid, h); /* the first run */
// with:
