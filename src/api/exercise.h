/* exercise.h - the stub that replaces every exercise region.
 *
 * `make exercises` copies solutions/ to exercises/ and replaces each
 *     BEGIN SOLUTION n.m ... END SOLUTION
 * region with EXERCISE_TODO("n.m"); which reports
 *     exercise n.m is not implemented yet (exercises/chNN/file.c:LINE);
 *     hint: chapters/NN-name.md, section Exercises
 * and never returns. Under the Check test runner the report becomes a
 * clean test failure; anywhere else it is printed and the program exits
 * with status 1. */
#ifndef EXERCISE_H
#define EXERCISE_H

#define EXERCISE_TODO(id) exercise_todo((id), __FILE__, __LINE__)

_Noreturn void exercise_todo(const char *id, const char *file,
                             int line);

/* Route the report elsewhere (the test runner turns it into a failure).
 * The handler must not return. */
typedef void (*ExerciseHandler)(const char *message);
void exercise_set_handler(ExerciseHandler handler);

#endif
