// exercise: 2.1
// what: off-by-one context: the sum runs to j <= i, so x_i feeds its own conditional
// sanitizer: stack-buffer-overflow
// replace:
    for (int j = 0; j < i; j++)
// with:
    for (int j = 0; j <= i; j++)
