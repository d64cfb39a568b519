// exercise: 1.2
// what: never merges the pairs: m keeps the joint, so the tables of earlier variables are not ratios of marginals
// replace:
            m[k] = prefix;
// with:
