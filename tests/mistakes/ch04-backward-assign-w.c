// exercise: 4.2
// what: assigns the gradient of w^(i) instead of adding it
// block: w
// replace:
            dp.b[i] += g[i];
            vec_axpy(dp.w + (size_t)i * h, g[i], hi, h);
            /* forward was: h_i = sigma(pre_i), so
// with:
            dp.b[i] += g[i];
            for (int k = 0; k < h; k++)
                dp.w[(size_t)i * h + k] = g[i] * hi[k];
            /* forward was: h_i = sigma(pre_i), so
