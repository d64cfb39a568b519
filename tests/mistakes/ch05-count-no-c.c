// exercise: 5.4
// what: forgets the shared hidden bias c (h floats)
// replace:
    return 2 * (size_t)d * (size_t)h + (size_t)h + (size_t)d;
// with:
    return 2 * (size_t)d * (size_t)h + (size_t)d;
