/* runner.h - one Check suite per test file, one readable line per test.
 *
 * A test file lists its tests in a TestSpec table and defines
 *     const TestSuiteSpec SUITE = { "ch01", tests, N_TESTS(tests) };
 * runner.c supplies main(): every test runs in its own forked process
 * (Check's CK_FORK), so a crash or an unimplemented exercise fails that
 * test alone. Each test gets its own TCase named by its description, so
 * the report reads "ch01 <description>: OK". */
#ifndef RUNNER_H
#define RUNNER_H

#include <check.h>

typedef struct {
    const char *description;
    const TTest *const *test; /* &name from START_TEST(name) */
} TestSpec;

typedef struct {
    const char *name;
    const TestSpec *tests;
    int n;
} TestSuiteSpec;

#define N_TESTS(a) ((int)(sizeof(a) / sizeof((a)[0])))

extern const TestSuiteSpec SUITE;

/* Helpers shared by the suites. */
/* |a - b| <= tol * max(1, |a|, |b|) */
int close_rel(double a, double b, double tol);

/* A fresh directory under /tmp (in buf), and its recursive removal. */
const char *tmpdir_make(char buf[64]);
void tmpdir_remove(const char *dir);
/* Write len bytes to dir/name (asserting success); returns the path. */
const char *write_test_file(char path[512], const char *dir,
                            const char *name, const void *buf, size_t len);

#endif
