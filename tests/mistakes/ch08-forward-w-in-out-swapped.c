// exercise: 8.2
// what: indexes the B layer's weights [in][out] instead of [out][in]
// replace:
                    const float *w = Wl + ((size_t)c * C + c2) * tb;
// with:
                    const float *w = Wl + ((size_t)c2 * C + c) * tb;
