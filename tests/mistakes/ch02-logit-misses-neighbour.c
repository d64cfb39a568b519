// exercise: 2.1
// what: off-by-one context: the sum stops at j < i - 1 and misses the left neighbour x_{i-1}
// replace:
    for (int j = 0; j < i; j++)
// with:
    for (int j = 0; j < i - 1; j++)
