// exercise: 5.1
// what: leaves out the output bias b_i
// replace:
            logit[i] = p.b[i] + (float)vec_dot(Vi, hid, h);
// with:
            logit[i] = (float)vec_dot(Vi, hid, h);
