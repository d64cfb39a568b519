// exercise: 2.4
// what: sums the gradients of the configurations without their frequencies pdata(x)
// replace:
        fvsbn3_grad_log_prob(m, x, gx);
        for (int p = 0; p < FVSBN3_NPARAMS; p++)
            g[p] += pdata[k] * gx[p];
    }
// with:
        fvsbn3_grad_log_prob(m, x, gx);
        for (int p = 0; p < FVSBN3_NPARAMS; p++) g[p] += gx[p];
    }
