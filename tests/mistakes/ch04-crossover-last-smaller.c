// exercise: 4.4
// what: returns the last d at which the table is still smaller, one before the crossover
// replace:
    return d;
// with:
    return d - 1;
