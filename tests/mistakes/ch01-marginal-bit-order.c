// exercise: 1.1
// what: reads variable i from bit i of the index (x_1 least significant) instead of bit d-1-i
// replace:
    int bit = t->d - 1 - i;
// with:
    int bit = i;
