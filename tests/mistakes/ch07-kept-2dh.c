// exercise: 7.5
// what: counts every weight as kept (2 d h): as if there were no masks
// replace:
    return (size_t)d * (size_t)h;
// with:
    return 2 * (size_t)d * (size_t)h;
