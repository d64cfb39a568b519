// exercise: 2.4
// what: sums the gradients of the configurations without their frequencies pdata(x)
// replace:
            g[p] += pdata[k] * gx[p];
// with:
            g[p] += gx[p];
