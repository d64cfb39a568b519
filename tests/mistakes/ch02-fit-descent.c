// exercise: 2.4
// what: steps downhill: theta -= lr g on the log-likelihood gradient
// replace:
        m->theta[p] += lr * g[p]; /* ascent: uphill in log-likelihood */
// with:
        m->theta[p] -= lr * g[p]; /* ascent: uphill in log-likelihood */
