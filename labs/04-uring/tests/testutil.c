/*
 * testutil.c - see testutil.h.
 */
#define _GNU_SOURCE
#include "testutil.h"
#include "wb/rand.h"
#include "wb/test.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

void tu_pattern(void *buf, size_t n, uint64_t seed, uint64_t offset)
{
	unsigned char *b = buf;
	size_t i = 0;

	while (i < n) {
		uint64_t word = seed ^ ((offset + i) / 8 * 0x9e3779b97f4a7c15u);
		uint64_t h = wb_splitmix64(&word);
		unsigned k = (unsigned)((offset + i) % 8);

		for (; k < 8 && i < n; k++, i++)
			b[i] = (unsigned char)(h >> (8 * k));
	}
}

enum { CHUNK = 1 << 20 };

void tu_make_file(const char *path, uint64_t size, uint64_t seed)
{
	unsigned char *buf = malloc(CHUNK);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	CHECK(buf && fd >= 0, "test setup: cannot create %s: %s", path,
	      strerror(errno));
	for (uint64_t off = 0; off < size;) {
		size_t n = size - off < CHUNK ? (size_t)(size - off) : CHUNK;
		ssize_t w;

		tu_pattern(buf, n, seed, off);
		w = pwrite(fd, buf, n, (off_t)off);
		CHECK(w == (ssize_t)n, "test setup: writing %s: %s", path,
		      w < 0 ? strerror(errno) : "short write");
		off += n;
	}
	close(fd);
	free(buf);
}

void tu_check_file(const char *path, uint64_t size, uint64_t seed,
		   const char *what)
{
	unsigned char *got = malloc(CHUNK), *want = malloc(CHUNK);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;

	CHECK(got && want, "test setup: out of memory");
	CHECK(fd >= 0, "%s: the copy %s does not exist (%s)", what, path,
	      strerror(errno));
	fstat(fd, &st);
	CHECK((uint64_t)st.st_size == size, "%s: the copy is %lld bytes long, "
	      "expected %llu", what, (long long)st.st_size,
	      (unsigned long long)size);
	for (uint64_t off = 0; off < size;) {
		size_t n = size - off < CHUNK ? (size_t)(size - off) : CHUNK;
		ssize_t r = pread(fd, got, n, (off_t)off);

		CHECK(r == (ssize_t)n, "%s: reading the copy back failed", what);
		tu_pattern(want, n, seed, off);
		if (memcmp(got, want, n) != 0) {
			size_t i = 0;
			char dump[512];

			while (got[i] == want[i])
				i++;
			wb_hexdump(dump, sizeof dump, got + (i & ~15ul),
				   n - (i & ~15ul) < 32 ? n - (i & ~15ul) : 32,
				   i & 15);
			CHECK(0, "%s: the copy differs from the source at byte "
			      "%llu (block of 4 KiB number %llu): 0x%02x, "
			      "expected 0x%02x; the copy there:\n%s", what,
			      (unsigned long long)(off + i),
			      (unsigned long long)((off + i) / 4096), got[i],
			      want[i], dump);
		}
		off += n;
	}
	close(fd);
	free(got);
	free(want);
}

int tu_fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	CHECK(d != NULL, "test setup: /proc/self/fd: %s", strerror(errno));
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1; /* the directory stream's own descriptor */
}

const char *tu_fresh_dir(const char *base, const char *name)
{
	static char path[4][256];
	static unsigned next;
	char *p = path[next++ % 4];

	snprintf(p, sizeof path[0], "%s/lab04-%s-%d", base, name, getpid());
	tu_remove_dir(p);
	CHECK(mkdir(p, 0755) == 0, "test setup: mkdir %s: %s", p,
	      strerror(errno));
	return p;
}

int tu_dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	CHECK(d != NULL, "test setup: opendir %s: %s", dir, strerror(errno));
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

void tu_remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (unlink(path) != 0)
			rmdir(path);
	}
	closedir(d);
	rmdir(dir);
}

void tu_drop_dac(void)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];

	if (geteuid() != 0)
		return;
	CHECK(syscall(SYS_capget, &h, d) == 0, "test setup: capget: %s",
	      strerror(errno));
	d[0].effective &= ~((1u << CAP_DAC_OVERRIDE) |
			    (1u << CAP_DAC_READ_SEARCH));
	CHECK(syscall(SYS_capset, &h, d) == 0, "test setup: capset: %s",
	      strerror(errno));
}

int tu_mapped(const void *addr)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *pg = (void *)((uintptr_t)addr & ~(uintptr_t)(page - 1));

	return msync(pg, page, MS_ASYNC) == 0 || errno != ENOMEM;
}
