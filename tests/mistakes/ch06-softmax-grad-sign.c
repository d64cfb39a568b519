// exercise: 6.5
// what: sign of the gradient: [c = y] - softmax(z)_c
// block: U
// replace:
            float g = (float)((exp((double)z[c] - z[best]) / sum -
                               (c == y[n])) / N);
// with:
            float g = (float)(((c == y[n]) -
                               exp((double)z[c] - z[best]) / sum) / N);
