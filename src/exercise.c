/* exercise.c - what an unimplemented exercise does when it is reached. */
#include "exercise.h"

#include <stdio.h>
#include <stdlib.h>

static ExerciseHandler handler;

void exercise_set_handler(ExerciseHandler h) { handler = h; }

_Noreturn void exercise_todo(const char *id, const char *file, int line) {
    char msg[512];
    snprintf(msg, sizeof msg,
             "exercise %s is not implemented yet (%s:%d)", id, file, line);
    if (handler) handler(msg);
    fprintf(stderr, "%s\n", msg);
    exit(1);
}
