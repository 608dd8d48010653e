/*
 * grader/util.h - strings, buffers, files: the small things every part of
 * the grader needs.  Allocation failure ends the grader (xmalloc & co):
 * it is a short-lived tool and a half-written report is worse than none.
 */
#ifndef GRADER_UTIL_H
#define GRADER_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* A growable byte buffer, always NUL-terminated. */
struct buf {
	char *p;
	size_t len, cap;
};

void buf_add(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *buf_take(struct buf *b); /* hands over p ("" if empty) */

void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Append one element to a realloc'd array; returns its address. */
#define PUSH(arr, n)                                                   \
	(arr = xrealloc(arr, ((n) + 1) * sizeof *(arr)), &(arr)[(n)++])

char *read_file(const char *path, size_t *len); /* NULL if unreadable */
bool file_exists(const char *path);
bool is_dir(const char *path);
int mkdirs(const char *path);		/* mkdir -p; 0 or -1 */
int remove_tree(const char *path);	/* rm -rf; 0 or -1 */
int copy_file(const char *from, const char *to); /* creates dirs */
int copy_tree(const char *from, const char *to);

/* Bytes from a program we do not trust, made safe to print and to put
 * into JSON or XML: valid UTF-8 is kept, tab and newline are kept, other
 * control bytes and invalid sequences become "\xNN". */
char *clean_text(const char *p, size_t n);

/* Last `lines` lines of s, at most `bytes` bytes, for a short message. */
char *tail_text(const char *s, int lines, size_t bytes);

double now_seconds(void);

#endif
