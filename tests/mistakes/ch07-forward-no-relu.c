// exercise: 7.2
// what: forgets the ReLU: u = a, a linear hidden layer
// replace:
        for (int k = 0; k < h; k++) u[k] = a[k] > 0 ? a[k] : 0;
// with:
        for (int k = 0; k < h; k++) u[k] = a[k];
