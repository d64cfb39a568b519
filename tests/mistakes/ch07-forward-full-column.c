// exercise: 7.2
// what: adds the whole column of W for a pixel that is on, ignoring its cut: units of low degree see inputs after their place
// replace:
                vec_add(a + k0, p.W + (size_t)j * h + k0, h - k0);
            }
        for (int k = 0; k < h; k++) u[k] = a[k] > 0 ? a[k] : 0;
// with:
                (void)k0;
                vec_add(a, p.W + (size_t)j * h, h);
            }
        for (int k = 0; k < h; k++) u[k] = a[k] > 0 ? a[k] : 0;
