// exercise: 6.2
// what: the wrong pixel of an ordering: adds W_{:,k} (the position) instead of W_{:,order[k]} (the pixel)
// replace:
                vec_add(a, p.W + (size_t)i * h, h);
// with:
                vec_add(a, p.W + (size_t)k * h, h);
