// exercise: 7.3
// what: passes the gradient through units that were off (no ReLU derivative)
// block: c
// replace:
        for (int k = 0; k < h; k++)
            if (!(a[k] > 0)) du[k] = 0;
// with:
