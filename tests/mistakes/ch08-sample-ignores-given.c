// exercise: 8.4
// what: draws every pixel, the given ones too
// replace:
            if (i >= given) { /* a given pixel stays */
// with:
            {
