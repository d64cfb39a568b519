// exercise: 7.5
// what: d h / 2 per layer counted for one layer only
// replace:
    return (size_t)d * (size_t)h;
// with:
    return (size_t)d * (size_t)h / 2;
