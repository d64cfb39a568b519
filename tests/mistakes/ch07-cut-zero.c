// exercise: 7.1
// what: no mask: every cut is 0, so every input feeds every unit and no output reads any unit
// replace:
        while (k < h && mk->deg[k] < mk->pos[j]) k++;
// with:
