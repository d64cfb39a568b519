// exercise: 7.3
// what: backpropagates every output into all h units, including those the output mask cuts
// block: c
// replace:
            vec_axpy(du, g[i], p.V + (size_t)i * h, s);
// with:
            vec_axpy(du, g[i], p.V + (size_t)i * h, h);
