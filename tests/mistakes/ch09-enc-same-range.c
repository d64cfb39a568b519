// exercise: 9.1
// what: x = 1 moves low up but keeps the whole range
// replace:
        e->range -= bound;
// with:

