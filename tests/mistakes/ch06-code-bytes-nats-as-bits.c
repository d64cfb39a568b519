// exercise: 6.7
// what: treats nats as bits, forgetting the division by log 2
// replace:
    return (double)n * nll_nats / log(2.0) / 8;
// with:
    return (double)n * nll_nats / 8;
