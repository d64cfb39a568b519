// exercise: 8.3
// what: passes dh through to dz where the unit was off (no ReLU derivative)
// block: W_l
// replace:
                dz[k] = z[k] > 0 ? dh[k] : 0;
// with:
                dz[k] = dh[k];
