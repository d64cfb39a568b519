// exercise: 7.4
// what: draws every pixel, the given ones too: completion overwrites the image it should complete
// replace:
            int i = mk->order[t]; /* the pixel at place t + 1 */
            if (t >= given) {     /* a given pixel stays */
                /* u = relu(a) over the units output i reads */
// with:
            int i = mk->order[t]; /* the pixel at place t + 1 */
            {
                /* u = relu(a) over the units output i reads */
