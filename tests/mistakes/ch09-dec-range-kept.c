// exercise: 9.2
// what: a 0 leaves the range as it was instead of narrowing it to the bound
// replace:
        dc->range = bound;
// with:

