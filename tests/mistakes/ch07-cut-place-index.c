// exercise: 7.1
// what: compares the degrees with the pixel index j + 1 instead of its place pos_j: right for the raster order only
// replace:
        while (k < h && mk->deg[k] < mk->pos[j]) k++;
// with:
        while (k < h && mk->deg[k] < j + 1) k++;
