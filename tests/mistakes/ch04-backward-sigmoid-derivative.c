// exercise: 4.2
// what: differentiates the sigmoid as h instead of h (1 - h)
// block: c
// replace:
            float *dpre = hi;
            for (int k = 0; k < h; k++)
                dpre[k] = g[i] * wi[k] * hi[k] * (1 - hi[k]);
            /* forward was: pre_i = c_i + active columns of A_i */
// with:
            float *dpre = hi;
            for (int k = 0; k < h; k++) dpre[k] = g[i] * wi[k] * hi[k];
            /* forward was: pre_i = c_i + active columns of A_i */
