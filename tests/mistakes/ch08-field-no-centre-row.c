// exercise: 8.5
// what: counts only the rows above, forgetting the pixels to the left in the centre's own row
// replace:
    int reach = 3 + L, n = reach;
// with:
    int reach = 3 + L, n = 0;
