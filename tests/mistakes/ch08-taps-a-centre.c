// exercise: 8.1
// what: keeps the centre tap in the type-A mask too
// replace:
            if (y < 0 || x < 0 || (x == 0 && type_b)) {
// with:
            if (y < 0 || x <= 0) {
