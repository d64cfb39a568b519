// exercise: 3.2
// what: forgets the condition x_j = 1: every column gets the gradients, as if every pixel were on
// block: W
// replace:
            if (xn[j])
// with:
// replace:
                vec_add(dp.w + fvsbn_col(j, d), g + j + 1, d - 1 - j);
// with:
            vec_add(dp.w + fvsbn_col(j, d), g + j + 1, d - 1 - j);
