// exercise: 4.2
// what: differentiates the sigmoid as h instead of h (1 - h)
// block: c
// replace:
                dpre[k] = g[i] * wi[k] * hi[k] * (1 - hi[k]);
// with:
                dpre[k] = g[i] * wi[k] * hi[k];
