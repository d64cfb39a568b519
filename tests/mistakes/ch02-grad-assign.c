// exercise: 2.3
// what: assigns instead of adding: db[0] = g
// replace:
        db[0] += g; /* da_i/db_i = 1 */
// with:
        db[0] = g; /* da_i/db_i = 1 */
