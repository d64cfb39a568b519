// exercise: 8.2
// what: applies the ReLU after the residual sum, relu(h_{l-1} + z_l)
// replace:
                float r = z[k] > 0 ? z[k] : 0;
                h[k] = prev ? prev[k] + r : r;
// with:
                float s = prev ? prev[k] + z[k] : z[k];
                h[k] = s > 0 ? s : 0;
