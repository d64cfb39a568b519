// exercise: 5.1
// what: the activation updated before the conditional: W_{:,i} x_i is added before logit_i, so pixel i sees itself
// replace:
            const float *Vi = p.V + (size_t)i * h;
            logit[i] = p.b[i] + (float)vec_dot(Vi, hid, h);
            /* a_{i+1} = a_i + W[:, i] x_i: only when pixel i is on,
             * and only then do the hidden units change */
            if (xn[i] && i + 1 < d) {
                vec_add(a, p.W + (size_t)i * h, h);
                vec_sigmoid(hid, a, h);
            }
// with:
            if (xn[i]) {
                vec_add(a, p.W + (size_t)i * h, h);
                vec_sigmoid(hid, a, h);
            }
            const float *Vi = p.V + (size_t)i * h;
            logit[i] = p.b[i] + (float)vec_dot(Vi, hid, h);
