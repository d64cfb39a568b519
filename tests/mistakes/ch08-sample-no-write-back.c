// exercise: 8.4
// what: never writes the drawn pixel into the input plane, so later pixels see zeros
// replace:
            q.x[at] = xs[i]; /* what the later pixels' taps read */
// with:
