// exercise: 8.3
// what: assigns the bias gradient instead of adding it (the batch's images overwrite each other)
// replace:
            db[c] += (float)sb;
// with:
            db[c] = (float)sb;
