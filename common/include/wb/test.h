/*
 * wb/test.h - the workbook's test harness.
 *
 * A test file registers tests with TEST(name) { ... }.  The harness runs
 * exactly one test per process when the grader asks (--run NAME) and
 * reports through a descriptor the grader chose, never through stdout, so
 * nothing a student prints can pass for a result.  A test passes only when
 * its body returns and the harness writes the end-of-test record: a test
 * that exits, crashes or hangs on the way has failed.
 *
 * Every CHECK_* macro ends the test at the first failure, with a message
 * that names the property, the expected value and the value that came.
 *
 * Run by hand, a test binary runs every test (each in its own child) and
 * prints one line per test:   ./task2            all tests
 *                             ./task2 --list     names only
 *                             ./task2 --run X    just X, in this process
 */
#ifndef WB_TEST_H
#define WB_TEST_H

#include <stddef.h>
#include <stdint.h>

struct wb_test {
	const char *name;
	void (*fn)(void);
	const char *file;
	int line;
	struct wb_test *next;
};

void wb_register(struct wb_test *t);

/* The grader finds test names by looking for lines that start with
 * "TEST(", so keep one TEST per line, at the start of the line. */
#define TEST(name)                                                     \
	static void wb_fn_##name(void);                                \
	static struct wb_test wb_t_##name = {                          \
		#name, wb_fn_##name, __FILE__, __LINE__, NULL};        \
	__attribute__((constructor)) static void wb_reg_##name(void)  \
	{                                                              \
		wb_register(&wb_t_##name);                             \
	}                                                              \
	static void wb_fn_##name(void)

#define WB_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* End the test as failed; fmt says what property broke. */
_Noreturn void wb_fail(const char *file, int line, const char *fmt, ...)
	WB_PRINTF(3, 4);
/* End the test as skipped, e.g. "needs 2 CPUs", for runs by hand.  The
 * grader never believes a skip from inside a test (student code could
 * call this too) and counts it as a failure: a lab declares what a part
 * needs with `requires` in lab.conf, and the grader skips it itself. */
_Noreturn void wb_skip(const char *fmt, ...) WB_PRINTF(1, 2);
/* A line for the report, shown with the test's result. */
void wb_note(const char *fmt, ...) WB_PRINTF(1, 2);
/* A number the grader compares with a threshold from lab.conf. */
void wb_metric(const char *name, double value);

/* The name of the test running in this process. */
const char *wb_current_test(void);

/* Helpers behind the CHECK macros; they end the test on failure. */
void wb_check_int(const char *f, int l, const char *what, intmax_t want,
		  intmax_t got);
void wb_check_uint(const char *f, int l, const char *what, uintmax_t want,
		   uintmax_t got);
void wb_check_ptr(const char *f, int l, const char *what, const void *want,
		  const void *got);
void wb_check_str(const char *f, int l, const char *what, const char *want,
		  const char *got);
void wb_check_mem(const char *f, int l, const char *what, const void *want,
		  const void *got, size_t len);
void wb_check_near(const char *f, int l, const char *what, double want,
		   double got, double tol);

#define CHECK(cond, ...)                                               \
	do {                                                           \
		if (!(cond))                                           \
			wb_fail(__FILE__, __LINE__, __VA_ARGS__);      \
	} while (0)
#define CHECK_INT(what, want, got)                                     \
	wb_check_int(__FILE__, __LINE__, what, (intmax_t)(want), (intmax_t)(got))
#define CHECK_UINT(what, want, got)                                    \
	wb_check_uint(__FILE__, __LINE__, what, (uintmax_t)(want),     \
		      (uintmax_t)(got))
#define CHECK_PTR(what, want, got)                                     \
	wb_check_ptr(__FILE__, __LINE__, what, want, got)
#define CHECK_STR(what, want, got)                                     \
	wb_check_str(__FILE__, __LINE__, what, want, got)
#define CHECK_MEM(what, want, got, len)                                \
	wb_check_mem(__FILE__, __LINE__, what, want, got, len)
#define CHECK_NEAR(what, want, got, tol)                               \
	wb_check_near(__FILE__, __LINE__, what, want, got, tol)

/* Format a hexdump of len bytes of p into out (at most cap bytes),
 * marking byte `mark` (or none if mark >= len). Used by CHECK_MEM and by
 * tests that want to show bytes in a message. */
size_t wb_hexdump(char *out, size_t cap, const void *p, size_t len,
		  size_t mark);

#endif
