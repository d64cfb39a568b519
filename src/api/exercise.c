/* exercise.c - what an unimplemented exercise does when it is reached.
 */
#include "exercise.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>

static ExerciseHandler handler;

void exercise_set_handler(ExerciseHandler h) { handler = h; }

/* Where the hint for exercise "N.m" is: the chapter's markdown file
 * (found from the working directory, the repository's top), else just
 * "chapter N". */
static void hint_place(char *buf, size_t size, const char *id) {
    int chapter = atoi(id);
    char pattern[64];
    glob_t g;
    snprintf(pattern, sizeof pattern, "chapters/%02d-*.md", chapter);
    if (glob(pattern, 0, NULL, &g) == 0 && g.gl_pathc > 0)
        snprintf(buf, size, "%s", g.gl_pathv[0]);
    else snprintf(buf, size, "chapter %d", chapter);
    globfree(&g);
}

//> exercise-todo
_Noreturn void exercise_todo(const char *id, const char *file,
                             int line) {
    char msg[768], place[256];
    hint_place(place, sizeof place, id);
    snprintf(msg, sizeof msg,
             "exercise %s is not implemented yet (%s:%d); hint: %s, "
             "section Exercises",
             id, file, line, place);
    if (handler) handler(msg);
    fprintf(stderr, "%s\n", msg);
    exit(1);
}
//< exercise-todo
