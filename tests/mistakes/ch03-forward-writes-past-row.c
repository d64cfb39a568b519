// exercise: 3.1
// what: adds one element too many: writes a[d], the first logit of the next image (past the buffer for the last one)
// sanitizer: heap-buffer-overflow
// replace:
            vec_add(a + j + 1, p.w + fvsbn_col(j, d), d - 1 - j);
// with:
            vec_add(a + j + 1, p.w + fvsbn_col(j, d), d - j);
