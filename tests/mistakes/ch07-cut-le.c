// exercise: 7.1
// what: the input rule written m_k > pos_j (counts degrees <= pos_j): every cut moves past the units of degree pos_j, so the input at place d-1 feeds no unit and its dependence is lost
// replace:
        while (k < h && mk->deg[k] < mk->pos[j]) k++;
// with:
        while (k < h && mk->deg[k] <= mk->pos[j]) k++;
