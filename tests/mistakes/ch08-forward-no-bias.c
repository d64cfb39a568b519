// exercise: 8.2
// what: forgets the bias b_l: z starts at 0
// replace:
            fill(z + a, bl[c], n);
// with:
