// exercise: 5.3
// what: adds W_{:,i} whatever x_i was drawn
// replace:
            if (xs[i]) vec_add(a, p.W + (size_t)i * h, h);
// with:
            vec_add(a, p.W + (size_t)i * h, h);
