// exercise: 3.2
// what: off by one: column j receives the gradients of logits j.. instead of j+1..
// block: W
// replace:
                vec_add(dp.w + fvsbn_col(j, d), g + j + 1, d - 1 - j);
// with:
                vec_add(dp.w + fvsbn_col(j, d), g + j, d - 1 - j);
