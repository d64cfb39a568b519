// exercise: 8.2
// what: drops the residual connection: h_l = relu(z_l) instead of h_{l-1} + relu(z_l)
// replace:
                h[k] = prev ? prev[k] + r : r;
// with:
                h[k] = r;
