// exercise: 8.4
// what: keeps one pixel too many: draws from pixel given + 1 on
// replace:
            if (i >= given) { /* a given pixel stays */
// with:
            if (i > given) { /* a given pixel stays */
