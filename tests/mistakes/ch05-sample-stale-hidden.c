// exercise: 5.3
// what: sampling that reuses a stale hidden state: h = sigma(c) is computed once, never after a pixel is drawn
// replace:
        memcpy(a, p.c, (size_t)h * sizeof *a);
        for (int i = 0; i < d; i++) {
            vec_sigmoid(hid, a, h);
// with:
        memcpy(a, p.c, (size_t)h * sizeof *a);
        vec_sigmoid(hid, a, h);
        for (int i = 0; i < d; i++) {
