// exercise: 5.1
// what: updates a but not h = sigma(a): every conditional sees sigma(c)
// replace:
                vec_add(a, p.W + (size_t)i * h, h);
                vec_sigmoid(hid, a, h);
// with:
                vec_add(a, p.W + (size_t)i * h, h);
