// exercise: 3.1
// what: the loop stops at j < d - 2: x_{d-1} never reaches the last logit
// replace:
        for (int j = 0; j < d - 1; j++) {
// with:
        for (int j = 0; j < d - 2; j++) {
