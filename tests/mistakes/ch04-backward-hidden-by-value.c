// exercise: 4.2
// what: uses the pre-activation instead of h_i in the gradient of w^(i): forgets that the scratch holds sigma(pre)
// block: w
// replace:
            vec_axpy(dp.w + (size_t)i * h, g[i], hi, h);
// with:
            for (int k = 0; k < h; k++) dp.w[(size_t)i * h + k] += g[i] * wi[k];
