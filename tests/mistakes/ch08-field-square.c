// exercise: 8.5
// what: counts the whole square of the reach in the rows above, blind spot included
// replace:
        n += reach + 1 + 3 + (r - 1 < L ? r - 1 : L);
// with:
        n += 2 * reach + 1;
