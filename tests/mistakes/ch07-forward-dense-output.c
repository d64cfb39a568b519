// exercise: 7.2
// what: reads all h units for every output (no output mask): an output sees units fed by pixels at or after its place
// replace:
            logit[i] = p.b[i] + (float)vec_dot(p.V + (size_t)i * h, u,
                                               mk->cut[i]);
// with:
            logit[i] = p.b[i] + (float)vec_dot(p.V + (size_t)i * h, u, h);
