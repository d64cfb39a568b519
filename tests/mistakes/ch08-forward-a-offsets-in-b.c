// exercise: 8.2
// what: reads the B layers' taps with the type-A offsets
// replace:
                        vec_axpy(z + a, w[t], in + a + g->offb[t], n);
// with:
                        vec_axpy(z + a, w[t], in + a + g->offa[t], n);
