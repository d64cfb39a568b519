// exercise: 8.3
// what: sends dz back through the taps in the wrong direction (dh at k - off, not k + off)
// block: b_0
// replace:
                    vec_axpy(dh2 + off, Wl[w + t], dz, n);
// with:
                    vec_axpy(dh2 - off, Wl[w + t], dz, n);
