// exercise: 1.5
// what: gives every variable k parents, d 2^k, although x_1 .. x_k have fewer than k variables before them
// replace:
        n += 1L << (i - 1 < k ? i - 1 : k);
// with:
        n += 1L << k;
