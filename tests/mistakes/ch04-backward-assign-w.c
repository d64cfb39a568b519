// exercise: 4.2
// what: assigns the gradient of w^(i) instead of adding it
// block: w
// replace:
            vec_axpy(dp.w + (size_t)i * h, g[i], hi, h);
// with:
            for (int k = 0; k < h; k++) dp.w[(size_t)i * h + k] = g[i] * hi[k];
