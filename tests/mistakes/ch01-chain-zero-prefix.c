// exercise: 1.2
// what: stores 0 instead of 1/2 for a prefix of probability 0
// replace:
            c->cond[i][k] = prefix > 0 ? p1 / prefix : 0.5;
// with:
            c->cond[i][k] = prefix > 0 ? p1 / prefix : 0.0;
