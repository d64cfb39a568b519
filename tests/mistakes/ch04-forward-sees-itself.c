// exercise: 4.1
// what: off-by-one context: pixel i joins the active list before its own conditional is computed
// replace:
        for (int i = 0; i < d; i++) {
            float *hi = hid + (size_t)i * h;
// with:
        for (int i = 0; i < d; i++) {
            if (xn[i]) on[n_on++] = i;
            float *hi = hid + (size_t)i * h;
// replace:
            if (xn[i]) on[n_on++] = i;
        }
// with:
        }
