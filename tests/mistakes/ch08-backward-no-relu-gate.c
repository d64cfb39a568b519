// exercise: 8.3
// what: passes dh through to dz where the unit was off (no ReLU derivative)
// block: W_l
// replace:
            float *dz = q->dz + (size_t)c * PS;
            for (size_t k = 0; k < PS; k++)
                dz[k] = z[k] > 0 ? dh[k] : 0;
        }
// with:
            float *dz = q->dz + (size_t)c * PS;
            for (size_t k = 0; k < PS; k++) dz[k] = dh[k];
        }
