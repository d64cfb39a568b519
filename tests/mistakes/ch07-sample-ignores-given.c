// exercise: 7.4
// what: draws every pixel, the given ones too: completion overwrites the image it should complete
// replace:
            if (t >= given) { /* a given pixel stays */
// with:
            {
