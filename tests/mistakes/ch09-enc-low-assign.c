// exercise: 9.1
// what: sets low to the bound instead of moving it up by the bound
// replace:
        e->low += bound;
// with:
        e->low = bound;
