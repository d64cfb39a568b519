// exercise: 6.6
// what: says a mixture never falls below its best member (Jensen bounds it by the members' average, not their best)
// replace:
    return log((double)K);
// with:
    return 0;
