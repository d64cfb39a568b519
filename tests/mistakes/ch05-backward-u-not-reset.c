// exercise: 5.2
// what: an accumulator not zeroed: u keeps the earlier runs' sum after it is pushed into s
// block: W
// replace:
                vec_sigmoid_backprop(s, 1.0f, u, hid, h);
                memset(u, 0, (size_t)h * sizeof *u);
// with:
                vec_sigmoid_backprop(s, 1.0f, u, hid, h);
