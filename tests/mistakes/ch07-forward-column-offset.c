// exercise: 7.2
// what: adds column j from its start into a from cut[j]: the weights of units 0.. land on units cut[j]..
// replace:
                vec_add(a + k0, p.W + (size_t)j * h + k0, h - k0);
            }
        for (int k = 0; k < h; k++) u[k] = a[k] > 0 ? a[k] : 0;
// with:
                vec_add(a + k0, p.W + (size_t)j * h, h - k0);
            }
        for (int k = 0; k < h; k++) u[k] = a[k] > 0 ? a[k] : 0;
