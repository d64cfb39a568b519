// exercise: 6.2
// what: stores logit_i at position k instead of at pixel i, so the NLL pairs logits with the wrong pixels
// replace:
            logit[i] = p.b[i] + (float)vec_dot(p.V + (size_t)i * h,
// with:
            logit[k] = p.b[i] + (float)vec_dot(p.V + (size_t)i * h,
