// exercise: 8.3
// what: forgets the tap's shift in dW: the input at k, not at k + off
// block: W_l
// replace:
                    dW[w + t] += (float)vec_dot(dz, in + off, n);
// with:
                    dW[w + t] += (float)vec_dot(dz, in, n);
