// exercise: 3.4
// what: counts d (k + 1): every pixel a bias and k weights, although the first k pixels have fewer than k before them
// replace:
        n += 1 + (size_t)(i - 1 < k ? i - 1 : k);
// with:
        n += 1 + (size_t)k;
