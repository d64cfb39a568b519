// exercise: 4.2
// what: uses the pre-activation instead of h_i in the gradient of w^(i): forgets that the scratch holds sigma(pre)
// block: w
// replace:
            dp.b[i] += g[i];
            vec_axpy(dp.w + (size_t)i * h, g[i], hi, h);
            /* forward was: h_i = sigma(pre_i), so
// with:
            dp.b[i] += g[i];
            for (int k = 0; k < h; k++)
                dp.w[(size_t)i * h + k] += g[i] * wi[k];
            /* forward was: h_i = sigma(pre_i), so
