// exercise: 9.1
// what: swaps the parts: x = 1 keeps the bottom, x = 0 the top
// replace:
    if (x) {
// with:
    if (!x) {
