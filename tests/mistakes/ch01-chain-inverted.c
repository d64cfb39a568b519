// exercise: 1.2
// what: stores p(x_{i+1} = 0 | prefix) = p0 / prefix instead of p1 / prefix
// replace:
            c->cond[i][k] = prefix > 0 ? p1 / prefix : 0.5;
// with:
            c->cond[i][k] = prefix > 0 ? p0 / prefix : 0.5;
