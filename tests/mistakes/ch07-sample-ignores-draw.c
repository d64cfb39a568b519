// exercise: 7.4
// what: adds the column of every pixel whatever was drawn
// replace:
            if (xs[i]) {
// with:
            {
