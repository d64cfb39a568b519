// exercise: 8.1
// what: leaves the centre out of the type-B mask as well
// replace:
            if (y < 0 || x < 0 || (x == 0 && type_b)) {
// with:
            if (y < 0 || x < 0) {
