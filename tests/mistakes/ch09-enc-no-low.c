// exercise: 9.1
// what: x = 1 keeps the top part's width but not its place: low never moves
// replace:
        e->low += bound;
// with:

