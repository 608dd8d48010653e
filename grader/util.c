/* grader/util.c - see util.h. */
#define _GNU_SOURCE
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

_Noreturn void die(const char *fmt, ...)
{
	va_list ap;

	fputs("grader: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory");
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");

	if (!p)
		die("out of memory");
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
	return s;
}

void buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
	buf_puts(b, s);
	free(s);
}

char *buf_take(struct buf *b)
{
	char *p = b->p ? b->p : xstrdup("");

	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

char *read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct buf b = {0};
	char chunk[65536];
	ssize_t n;

	if (fd < 0)
		return NULL;
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		buf_add(&b, chunk, (size_t)n);
	close(fd);
	if (len)
		*len = b.len;
	return buf_take(&b);
}

bool file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int mkdirs(const char *path)
{
	char *p = xstrdup(path);

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return free(p), -1;
		*s = '/';
	}
	int r = mkdir(p, 0755) < 0 && errno != EEXIST ? -1 : 0;
	free(p);
	return r;
}

int remove_tree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	int r = 0;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	chmod(path, 0700); /* a test may have made its directory read-only */
	if (!(d = opendir(path)))
		return -1;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *sub = xasprintf("%s/%s", path, e->d_name);
		r |= remove_tree(sub);
		free(sub);
	}
	closedir(d);
	return rmdir(path) | r;
}

int copy_file(const char *from, const char *to)
{
	size_t n;
	char *data = read_file(from, &n), *dir = xstrdup(to), *slash;
	int fd, r = -1;
	struct stat st;

	if (!data)
		return free(dir), -1;
	if ((slash = strrchr(dir, '/'))) {
		*slash = '\0';
		mkdirs(dir);
	}
	if (stat(from, &st) < 0)
		st.st_mode = 0644;
	fd = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		  st.st_mode & 0755);
	if (fd >= 0) {
		r = write(fd, data, n) == (ssize_t)n ? 0 : -1;
		close(fd);
	}
	free(data);
	free(dir);
	return r;
}

int copy_tree(const char *from, const char *to)
{
	DIR *d = opendir(from);
	struct dirent *e;
	int r = 0;

	if (!d)
		return -1;
	mkdirs(to);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *a = xasprintf("%s/%s", from, e->d_name);
		char *b = xasprintf("%s/%s", to, e->d_name);
		r |= is_dir(a) ? copy_tree(a, b) : copy_file(a, b);
		free(a);
		free(b);
	}
	closedir(d);
	return r;
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len;
	unsigned min, cp;

	if (p[0] < 0xc2 || p[0] > 0xf4)
		return 0;
	len = p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
	if (len > n)
		return 0;
	cp = p[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

char *clean_text(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	struct buf b = {0};

	for (size_t i = 0; i < n;) {
		size_t k;
		if (p[i] == '\n' || p[i] == '\t' ||
		    (p[i] >= 0x20 && p[i] < 0x7f)) {
			buf_add(&b, p + i, 1);
			i++;
		} else if (p[i] >= 0x80 && (k = utf8_len(p + i, n - i))) {
			buf_add(&b, p + i, k);
			i += k;
		} else {
			buf_printf(&b, "\\x%02x", p[i]);
			i++;
		}
	}
	return buf_take(&b);
}

char *tail_text(const char *s, int lines, size_t bytes)
{
	size_t n = strlen(s);
	const char *p = s + n;

	while (n && s[n - 1] == '\n')
		p = s + --n;
	while (p > s && lines > 0 && (size_t)(s + n - p) < bytes)
		if (*--p == '\n')
			lines--;
	if (*p == '\n')
		p++;
	if ((size_t)(s + n - p) > bytes)
		p = s + n - bytes;
	/* Do not start in the middle of a UTF-8 sequence. */
	while (p < s + n && ((unsigned char)*p & 0xc0) == 0x80)
		p++;
	return xasprintf("%s%.*s", p > s ? "...\n" : "", (int)(s + n - p), p);
}

double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
