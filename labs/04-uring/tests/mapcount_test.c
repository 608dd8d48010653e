/*
 * mapcount_test.c - task 1: counting a file through a mapping.
 *
 * The reference counts come from a plain loop over bytes read with
 * pread(), so a test never trusts the code it checks.  The hook
 * mc_after_map lets a test look at the mapping (its permissions, its
 * advice, whether it is gone afterwards) and change the file under it.
 */
#define _GNU_SOURCE
#include "mapcount.h"
#include "testutil.h"
#include "wb/rand.h"
#include "wb/test.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* wc's rules, the slow and obvious way. */
static void reference(const unsigned char *p, size_t n, struct mc_counts *c)
{
	int in_word = 0;

	memset(c, 0, sizeof *c);
	c->bytes = n;
	for (size_t i = 0; i < n; i++) {
		int sp = p[i] == ' ' || p[i] == '\t' || p[i] == '\n' ||
			 p[i] == '\v' || p[i] == '\f' || p[i] == '\r';

		c->lines += p[i] == '\n';
		if (!sp && !in_word)
			c->words++;
		in_word = !sp;
	}
}

/* Text-like bytes: words, runs of every kind of space, some high bytes. */
static void make_text(unsigned char *p, size_t n, uint64_t seed)
{
	static const char space[] = " \t\n\v\f\r";
	struct wb_rand r;

	wb_rand_seed(&r, seed);
	for (size_t i = 0; i < n; i++) {
		uint64_t x = wb_rand_below(&r, 100);

		if (x < 15)
			p[i] = (unsigned char)space[wb_rand_below(&r, 6)];
		else if (x < 20)
			p[i] = (unsigned char)(0x80 + wb_rand_below(&r, 128));
		else if (x < 21)
			p[i] = 0;
		else
			p[i] = (unsigned char)('a' + wb_rand_below(&r, 26));
	}
}

static void write_all(const char *path, const void *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	CHECK(fd >= 0, "test setup: create %s: %s", path, strerror(errno));
	CHECK(n == 0 || write(fd, p, n) == (ssize_t)n, "test setup: write %s",
	      path);
	close(fd);
}

static void check_counts(const char *what, const struct mc_counts *want,
			 const struct mc_counts *got)
{
	char msg[200];

	snprintf(msg, sizeof msg, "%s: bytes", what);
	CHECK_UINT(msg, want->bytes, got->bytes);
	snprintf(msg, sizeof msg, "%s: lines ('\\n' bytes)", what);
	CHECK_UINT(msg, want->lines, got->lines);
	snprintf(msg, sizeof msg, "%s: words (runs of non-space bytes)", what);
	CHECK_UINT(msg, want->words, got->words);
}

TEST(mapcount_mem_matches_reference)
{
	static const char *const cases[] = {
		"", " ", "a", "a b", "  a  b  ", "one\ntwo\n", "\n\n\n",
		"tab\there", "v\vf\fr\r", "end", "x\n", "\xff\x80 \x01",
	};
	unsigned char buf[5000];
	struct mc_counts want, got;
	char what[96];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n = strlen(cases[i]);

		reference((const unsigned char *)cases[i], n, &want);
		mc_count_mem(cases[i], n, &got);
		snprintf(what, sizeof what, "mc_count_mem(\"%s\") (case %zu)",
			 cases[i], i);
		check_counts(what, &want, &got);
	}
	/* A NUL is part of a word, not its end. */
	mc_count_mem("a\0b", 3, &got);
	CHECK_UINT("mc_count_mem(\"a\\0b\", 3): words (NUL is not space)", 1,
		   got.words);
	for (int k = 0; k < 200; k++) {
		size_t n = (size_t)k * 25;

		make_text(buf, n, 0x1000 + (uint64_t)k);
		reference(buf, n, &want);
		mc_count_mem(buf, n, &got);
		snprintf(what, sizeof what, "mc_count_mem of %zu random text "
			 "bytes (seed %d)", n, 0x1000 + k);
		check_counts(what, &want, &got);
	}
}

/* The sizes around page boundaries, and the empty file. */
TEST(mapcount_file_sizes)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	const size_t sizes[] = {0, 1, 2, page - 1, page, page + 1,
				3 * page + 17, 16 * page, (1 << 20) + 5};
	const char *dir = tu_fresh_dir(".", "sizes");
	unsigned char *buf = malloc((1 << 20) + 5);
	char path[300], what[128];
	struct mc_counts want, got;

	CHECK(buf != NULL, "test setup: out of memory");
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		int ret;

		make_text(buf, sizes[i], 77 + i);
		/* The last byte a letter: a word must end at EOF. */
		if (sizes[i])
			buf[sizes[i] - 1] = 'z';
		snprintf(path, sizeof path, "%s/f%zu", dir, sizes[i]);
		write_all(path, buf, sizes[i]);
		reference(buf, sizes[i], &want);
		ret = mc_count_path(path, &got);
		snprintf(what, sizeof what, "mc_count_path() of a %zu-byte file "
			 "(page size %zu)", sizes[i], page);
		CHECK(ret == 0, "%s returned %d (%s), expected 0%s", what, ret,
		      strerror(-ret), sizes[i] == 0 ? ": an empty file cannot "
		      "be mapped (mmap of length 0 is EINVAL), so count it "
		      "without mapping" : "");
		check_counts(what, &want, &got);
	}
	free(buf);
	tu_remove_dir(dir);
}

static const void *seen_map;
static size_t seen_len;
static char seen_perms[8];
static int seen_sequential = -1;

/* Find the mapping in /proc/self/smaps: its permissions and whether
 * VmFlags has "sr" (madvise MADV_SEQUENTIAL). */
static void look_at_mapping(int fd, const void *map, size_t len)
{
	FILE *f = fopen("/proc/self/smaps", "re");
	char line[512];
	int ours = 0;

	(void)fd;
	seen_map = map;
	seen_len = len;
	CHECK(f != NULL, "test setup: /proc/self/smaps: %s", strerror(errno));
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		char perms[8];

		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3) {
			ours = lo <= (unsigned long)map && (unsigned long)map < hi;
			if (ours)
				snprintf(seen_perms, sizeof seen_perms, "%s", perms);
		} else if (ours && !strncmp(line, "VmFlags:", 8)) {
			seen_sequential = strstr(line, " sr") != NULL;
		}
	}
	fclose(f);
}

TEST(mapcount_maps_readonly_sequential)
{
	const char *dir = tu_fresh_dir(".", "advice");
	char path[300];
	struct mc_counts got;
	int fd, ret, before;

	snprintf(path, sizeof path, "%s/f", dir);
	tu_make_file(path, 200000, 5);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	before = tu_fd_count();
	mc_after_map = look_at_mapping;
	ret = mc_count_fd(fd, &got);
	mc_after_map = NULL;
	CHECK(ret == 0, "mc_count_fd() of a 200000-byte file returned %d (%s)",
	      ret, strerror(-ret));
	CHECK(seen_map != NULL, "mc_count_fd() never called the hook "
	      "mc_after_map after mapping the file");
	CHECK_UINT("length of the mapping passed to mc_after_map", 200000,
		   seen_len);
	CHECK(seen_perms[0] == 'r' && seen_perms[1] == '-',
	      "the mapping's permissions in /proc/self/smaps are \"%s\": "
	      "expected read-only (\"r-..\", PROT_READ)", seen_perms);
	CHECK(seen_sequential == 1, "the mapping's VmFlags in /proc/self/smaps "
	      "lack \"sr\": expected madvise(MADV_SEQUENTIAL) before the scan");
	CHECK(!tu_mapped(seen_map), "the mapping at %p is still there after "
	      "mc_count_fd() returned: munmap it", seen_map);
	CHECK_INT("open descriptors after mc_count_fd() (it must not close or "
		  "leak any)", before, tu_fd_count());
	CHECK(lseek(fd, 0, SEEK_CUR) == 0, "mc_count_fd() moved the file "
	      "offset of fd: a mapping needs no read()");
	close(fd);
	tu_remove_dir(dir);
}

static long long shrink_to;

static void shrink_file(int fd, const void *map, size_t len)
{
	char path[64];
	int rw;

	seen_map = map;
	(void)len;
	/* Our fd is read-only: open the same file again for writing. */
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	rw = open(path, O_WRONLY | O_CLOEXEC);
	CHECK(rw >= 0 && ftruncate(rw, shrink_to) == 0,
	      "test setup: truncating the file under the mapping: %s",
	      strerror(errno));
	close(rw);
}

static void our_sigbus(int sig)
{
	(void)sig;
	_exit(42);
}

TEST(mapcount_truncated_file_sigbus)
{
	const char *dir = tu_fresh_dir(".", "shrink");
	long long targets[] = {0, 4096, 100000};
	char path[300];
	struct mc_counts got;
	struct sigaction mine, after;

	memset(&mine, 0, sizeof mine);
	mine.sa_handler = our_sigbus;
	sigaction(SIGBUS, &mine, NULL);
	snprintf(path, sizeof path, "%s/f", dir);
	for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
		int fd, ret, before;

		tu_make_file(path, 1 << 20, 9);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		before = tu_fd_count();
		shrink_to = targets[i];
		mc_after_map = shrink_file;
		ret = mc_count_fd(fd, &got);
		mc_after_map = NULL;
		CHECK(ret == -EIO, "mc_count_fd() of a 1 MiB file truncated to "
		      "%lld bytes after it was mapped returned %d (%s): "
		      "expected -EIO (reading a page past the new end raises "
		      "SIGBUS: catch it, jump out, return -EIO)",
		      targets[i], ret, ret ? strerror(-ret) : "success");
		sigaction(SIGBUS, NULL, &after);
		CHECK(after.sa_handler == our_sigbus, "after mc_count_fd() the "
		      "SIGBUS handler is not the one in force before the call: "
		      "restore the old action");
		CHECK_INT("open descriptors after mc_count_fd() hit SIGBUS",
			  before, tu_fd_count());
		CHECK(!tu_mapped(seen_map), "the mapping "
		      "is still there after SIGBUS: munmap it on that path too");
		close(fd);
	}
	/* And counting still works afterwards, SIGBUS and all. */
	tu_make_file(path, 10000, 3);
	CHECK(mc_count_path(path, &got) == 0 && got.bytes == 10000,
	      "mc_count_path() after a SIGBUS: expected 0 and 10000 bytes, "
	      "got %llu bytes", (unsigned long long)got.bytes);
	tu_remove_dir(dir);
}

static void grow_file(int fd, const void *map, size_t len)
{
	char path[64];
	int w;

	(void)map;
	(void)len;
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	w = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	CHECK(w >= 0 && write(w, "more words\n", 11) == 11,
	      "test setup: appending: %s", strerror(errno));
	close(w);
}

TEST(mapcount_growing_file)
{
	const char *dir = tu_fresh_dir(".", "grow");
	char path[300];
	unsigned char text[9000];
	struct mc_counts want, got;
	int ret;

	snprintf(path, sizeof path, "%s/f", dir);
	make_text(text, sizeof text, 11);
	write_all(path, text, sizeof text);
	reference(text, sizeof text, &want);
	mc_after_map = grow_file;
	ret = mc_count_path(path, &got);
	mc_after_map = NULL;
	CHECK(ret == 0, "mc_count_path() of a file that grew after it was "
	      "mapped returned %d (%s), expected 0", ret, strerror(-ret));
	check_counts("a file appended to after it was mapped (count the size "
		     "it had when the call started)", &want, &got);
	tu_remove_dir(dir);
}

TEST(mapcount_bad_input)
{
	const char *dir = tu_fresh_dir(".", "bad");
	char path[300], fifo[300];
	struct mc_counts got;
	int before = tu_fd_count(), ret, p[2], fd;

	ret = mc_count_path("/nonexistent/lab04/file", &got);
	CHECK_INT("mc_count_path() of a missing file (-ENOENT)", -ENOENT, ret);
	ret = mc_count_path(dir, &got);
	CHECK_INT("mc_count_path() of a directory (-EISDIR)", -EISDIR, ret);
	snprintf(fifo, sizeof fifo, "%s/fifo", dir);
	CHECK(mkfifo(fifo, 0600) == 0, "test setup: mkfifo: %s", strerror(errno));
	ret = mc_count_path(fifo, &got);
	CHECK_INT("mc_count_path() of a FIFO with no writer (-EINVAL, at once: "
		  "open with O_NONBLOCK)", -EINVAL, ret);
	CHECK(pipe(p) == 0, "test setup: pipe");
	ret = mc_count_fd(p[0], &got);
	CHECK_INT("mc_count_fd() of a pipe (-EINVAL)", -EINVAL, ret);
	close(p[0]);
	close(p[1]);
	ret = mc_count_fd(-1, &got);
	CHECK_INT("mc_count_fd(-1) (-EBADF from fstat)", -EBADF, ret);
	snprintf(path, sizeof path, "%s/wo", dir);
	tu_make_file(path, 5000, 1);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	ret = mc_count_fd(fd, &got);
	CHECK_INT("mc_count_fd() of a descriptor open for writing only "
		  "(-EACCES from mmap)", -EACCES, ret);
	close(fd);
	chmod(path, 0);
	tu_drop_dac();
	ret = mc_count_path(path, &got);
	CHECK_INT("mc_count_path() of a file with mode 000 (-EACCES from open)",
		  -EACCES, ret);
	CHECK_INT("open descriptors after the failing calls", before,
		  tu_fd_count());
	tu_remove_dir(dir);
}

TEST(mapcount_large_file)
{
	/* 64 MiB of text: zero copies, and the counts still exact. */
	enum { SIZE = 64 << 20 };
	const char *dir = tu_fresh_dir("/tmp", "large");
	unsigned char *buf = malloc(SIZE);
	char path[300];
	struct mc_counts want, got;
	int ret;

	CHECK(buf != NULL, "test setup: out of memory");
	make_text(buf, 1 << 20, 99);
	for (size_t i = 1; i < 64; i++)
		memcpy(buf + (i << 20), buf, 1 << 20);
	buf[SIZE - 1] = 'q';
	snprintf(path, sizeof path, "%s/big", dir);
	write_all(path, buf, SIZE);
	reference(buf, SIZE, &want);
	free(buf);
	ret = mc_count_path(path, &got);
	CHECK(ret == 0, "mc_count_path() of a 64 MiB file returned %d (%s)",
	      ret, strerror(-ret));
	check_counts("a 64 MiB file", &want, &got);
	tu_remove_dir(dir);
}
