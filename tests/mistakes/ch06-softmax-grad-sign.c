// exercise: 6.5
// what: sign of the gradient: [c = y] - softmax(z)_c
// block: U
// replace:
            /* d loss_n / d z_c = softmax(z)_c - [c = y_n], over N */
            float g = (float)((exp((double)z[c] - z[best]) / sum -
                               (c == y[n])) /
                              N);
// with:
            /* d loss_n / d z_c = softmax(z)_c - [c = y_n], over N */
            float g = (float)(((c == y[n]) -
                               exp((double)z[c] - z[best]) / sum) /
                              N);
