// exercise: 2.5
// what: adds w_31 into a_3 although x_1 = 0, so mu_3 = sigma(log 21) = 21/22
// replace:
    return (1.0 / 2) * (3.0 / 4) * (7.0 / 8);
// with:
    return (1.0 / 2) * (3.0 / 4) * (21.0 / 22);
