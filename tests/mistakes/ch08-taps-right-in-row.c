// exercise: 8.1
// what: keeps the whole centre row (the pixels to the right too)
// replace:
            if (y < 0 || x < 0 || (x == 0 && type_b)) {
// with:
            if (y < 0 || x != 0 || type_b) {
