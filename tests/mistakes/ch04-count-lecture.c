// exercise: 4.3
// what: gives the lecture's count, in which the first conditional is one parameter, not this model's, whose first conditional keeps its hidden layer
// replace:
    return (size_t)h * (size_t)d * (size_t)(d - 1) / 2 +
           2 * (size_t)h * (size_t)d + (size_t)d;
// with:
    return (size_t)h * (size_t)d * (size_t)(d - 1) / 2 +
           (2 * (size_t)h + 1) * (size_t)(d - 1) + 1;
