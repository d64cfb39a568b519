// exercise: 1.3
// what: multiplies by q whatever x_i is: p instead of 1 - p for x = 0
// replace:
        p *= x[i] ? q : 1.0 - q;
// with:
        p *= q;
