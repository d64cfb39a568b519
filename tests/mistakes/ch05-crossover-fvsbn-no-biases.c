// exercise: 5.5
// what: counts the FVSBN's weights d(d-1)/2 but not its d biases
// replace:
    while ((size_t)d * (d + 1) / 2 <= nade_num_params(d, h)) d++;
// with:
    while ((size_t)d * (d - 1) / 2 <= nade_num_params(d, h)) d++;
