/*
 * mapcount.c - task 1: count a file through a read-only mapping.
 */
#define _GNU_SOURCE
#include "mapcount.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

void (*mc_after_map)(int fd, const void *map, size_t len);

int mc_is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

void mc_count_mem(const void *p, size_t n, struct mc_counts *out)
{
	const unsigned char *c = p;
	uint64_t lines = 0, words = 0;
	int in_word = 0;

	for (size_t i = 0; i < n; i++) {
		int sp = mc_is_space(c[i]);

		lines += c[i] == '\n';
		words += !sp && !in_word; /* a word starts here */
		in_word = !sp;
	}
	out->bytes = n;
	out->lines = lines;
	out->words = words;
}

/*
 * SIGBUS while scanning means the file shrank under the mapping.  The
 * handler jumps back to scan_guarded(), which owns this buffer for the
 * duration of the scan (per thread: two threads may count at once).
 * volatile: the scan calls nothing, so without it the compiler may move
 * the stores around the loop, or drop them as dead.
 */
static __thread sigjmp_buf *volatile bus_jump;

static void on_sigbus(int sig)
{
	(void)sig;
	if (bus_jump)
		siglongjmp(*bus_jump, 1);
	/* Not ours: die of it as the default action would. */
	signal(SIGBUS, SIG_DFL);
	raise(SIGBUS);
}

/* Scan with SIGBUS caught; 0, or -EIO if a page vanished. */
static int scan_guarded(const void *map, size_t len, struct mc_counts *out)
{
	struct sigaction sa, old;
	sigjmp_buf jb;
	int ret = 0;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigbus;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, &old) != 0)
		return -errno;
	/* savemask = 1: the jump restores the signal mask, in which the
	 * kernel had blocked SIGBUS for the handler. */
	if (sigsetjmp(jb, 1) == 0) {
		bus_jump = &jb;
		mc_count_mem(map, len, out);
	} else {
		ret = -EIO;
	}
	bus_jump = NULL;
	sigaction(SIGBUS, &old, NULL);
	return ret;
}

int mc_count_fd(int fd, struct mc_counts *out)
{
	struct stat st;
	void *map;
	size_t len;
	int ret;

	memset(out, 0, sizeof *out);
	if (fstat(fd, &st) != 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if (st.st_size == 0)
		return 0; /* mmap(len 0) is EINVAL: nothing to map */
	len = (size_t)st.st_size;
	map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return -errno;
	/* Advice only: read-ahead grows, pages behind us may be dropped. */
	madvise(map, len, MADV_SEQUENTIAL);
	if (mc_after_map)
		mc_after_map(fd, map, len);
	ret = scan_guarded(map, len, out);
	munmap(map, len);
	if (ret != 0)
		memset(out, 0, sizeof *out);
	return ret;
}

int mc_count_path(const char *path, struct mc_counts *out)
{
	/* O_NONBLOCK: opening a FIFO for reading would otherwise wait for
	 * a writer; mc_count_fd() then rejects it. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	int ret;

	if (fd < 0) {
		memset(out, 0, sizeof *out);
		return -errno;
	}
	ret = mc_count_fd(fd, out);
	close(fd);
	return ret;
}
