// exercise: 9.2
// what: decides 0 at the bound too (code <= bound): off by one
// replace:
    if (dc->code < bound) {
// with:
    if (dc->code <= bound) {
