// exercise: 1.6
// what: divides by se instead of se^2 when solving sqrt(p (1 - p) / N) <= se for N
// replace:
    double n = ceil(p * (1 - p) / (se * se) * (1 - 1e-12));
// with:
    double n = ceil(p * (1 - p) / se * (1 - 1e-12));
