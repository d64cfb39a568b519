// exercise: 9.2
// what: a 1 takes the bound off the range but not off the code
// replace:
        dc->code -= bound;
// with:

