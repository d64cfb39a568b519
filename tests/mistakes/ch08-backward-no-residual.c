// exercise: 8.3
// what: starts dh_{l-1} from zero, losing the residual path's gradient
// block: b_0
// replace:
        size_t lw = (size_t)(l - 1) * layer; /* layer l's W_l, b_l */
// with:
        memset(q->dh, 0, (size_t)C * PS * sizeof *q->dh);
        size_t lw = (size_t)(l - 1) * layer; /* layer l's W_l, b_l */
