// exercise: 8.5
// what: counts the whole square of the reach in the rows above, blind spot included
// replace:
    int reach = 3 + L, n = reach;
    for (int r = 1; r <= reach; r++)
        n += reach + 1 + 3 + (r - 1 < L ? r - 1 : L);
    return n;
// with:
    int reach = 3 + L, n = reach;
    for (int r = 1; r <= reach; r++) n += 2 * reach + 1;
    return n;
