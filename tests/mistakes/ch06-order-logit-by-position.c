// exercise: 6.2
// what: stores logit_i at position k instead of at pixel i, so the NLL pairs logits with the wrong pixels
// replace:
            int i = order[k]; /* the pixel at position k */
            logit[i] =
                p.b[i] + (float)vec_dot(p.V + (size_t)i * h, hid, h);
// with:
            int i = order[k]; /* the pixel at position k */
            logit[k] =
                p.b[i] + (float)vec_dot(p.V + (size_t)i * h, hid, h);
