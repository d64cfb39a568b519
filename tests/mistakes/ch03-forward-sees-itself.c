// exercise: 3.1
// what: off-by-one context: column j is added from a_j on, so pixel j feeds its own logit (and the loop reads one float past the column)
// sanitizer: heap-buffer-overflow
// replace:
            vec_add(a + j + 1, p.w + fvsbn_col(j, d), d - 1 - j);
// with:
            vec_add(a + j, p.w + fvsbn_col(j, d), d - j);
