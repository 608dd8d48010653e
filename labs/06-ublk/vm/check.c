// vm/check.c - the VM back end's data checker, run against a live ublk
// device served by ublk-server (server/ + the queue and target sources).
//
//   random O_DIRECT writes and reads of 512 B .. 256 KiB at 512-byte
//   boundaries through the device, from several threads on disjoint
//   slices, against a shadow copy; then BLKDISCARD and BLKZEROOUT of a
//   few ranges (both must read back as zeroes) and an fsync (a FLUSH);
//   then the whole device and the backing file against the shadow.
//
// The backing file must be all zeroes when the checker starts (the
// server creates it).  Prints "VM-RESULT: ..." and exits 0 only if every
// check held.
// Usage: check --dev /dev/ublkbN --backing FILE --size MiB [--ios N]
//              [--jobs N]
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define MAX_JOBS 16
#define MAX_IO   (256u << 10)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

// xorshift64*: reproducible and cheap under TCG.
static uint64_t rng(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dull;
}

struct job {
	int fd;
	char *shadow;
	uint64_t base, size;
	unsigned ios;
	uint64_t rng;
	char *buf;
	unsigned long done, bytes;
	int failed;
	pthread_t th;
};

static int full_io(bool wr, int fd, char *buf, size_t len, off_t off)
{
	while (len > 0) {
		ssize_t n = wr ? pwrite(fd, buf, len, off) : pread(fd, buf, len, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		buf += n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

static int check_one(struct job *j)
{
	size_t len = (size_t)(1 + rng(&j->rng) % (MAX_IO >> 9)) << 9;
	uint64_t slots = ((j->size - len) >> 9) + 1;
	uint64_t off = j->base + ((rng(&j->rng) % slots) << 9);
	bool wr = rng(&j->rng) & 1;
	int ret;

	if (wr) {
		for (size_t i = 0; i < len; i += 8) {
			uint64_t v = rng(&j->rng);

			memcpy(j->buf + i, &v, 8);
		}
		ret = full_io(true, j->fd, j->buf, len, (off_t)off);
		if (ret == 0)
			memcpy(j->shadow + off, j->buf, len);
	} else {
		ret = full_io(false, j->fd, j->buf, len, (off_t)off);
		if (ret == 0 && memcmp(j->shadow + off, j->buf, len) != 0) {
			printf("check: MISMATCH: read of %zu bytes at %" PRIu64 "\n",
			       len, off);
			return -1;
		}
	}
	if (ret < 0) {
		printf("check: %s of %zu bytes at %" PRIu64 ": %s\n",
		       wr ? "write" : "read", len, off, strerror(-ret));
		return -1;
	}
	j->done++;
	j->bytes += len;
	return 0;
}

static void *job_thread(void *arg)
{
	struct job *j = arg;

	for (unsigned i = 0; i < j->ios && !j->failed; i++)
		j->failed = check_one(j) < 0;
	return NULL;
}

static int check_whole(int fd, const char *what, const char *shadow,
		       uint64_t size, char *buf)
{
	for (uint64_t off = 0; off < size; off += MAX_IO) {
		if (full_io(false, fd, buf, MAX_IO, (off_t)off) < 0 ||
		    memcmp(buf, shadow + off, MAX_IO) != 0) {
			printf("check: MISMATCH: %s differs from the shadow in "
			       "the 256 KiB at %" PRIu64 "\n", what, off);
			return -1;
		}
	}
	return 0;
}

// A few discards and write-zeroes of 4 KiB-aligned ranges across the
// device; the shadow gets zeroes there.
static int check_zeroing(int fd, char *shadow, uint64_t size)
{
	uint64_t state = 0x1234567887654321ull;

	for (int i = 0; i < 8; i++) {
		uint64_t len = (1 + rng(&state) % 64) << 12;
		uint64_t off = (rng(&state) % (((size - len) >> 12) + 1)) << 12;
		uint64_t range[2] = { off, len };
		unsigned long req = (i & 1) ? BLKZEROOUT : BLKDISCARD;

		if (ioctl(fd, req, range) < 0) {
			printf("check: %s of %" PRIu64 " bytes at %" PRIu64
			       ": %s\n", (i & 1) ? "BLKZEROOUT" : "BLKDISCARD",
			       len, off, strerror(errno));
			return -1;
		}
		memset(shadow + off, 0, len);
	}
	return 0;
}

struct opts {
	const char *dev, *backing;
	uint64_t size;
	unsigned ios, jobs;
};

static int parse_opts(int argc, char **argv, struct opts *o)
{
	*o = (struct opts){ .ios = 2000, .jobs = 4 };
	for (int i = 1; i + 1 < argc; i += 2) {
		const char *v = argv[i + 1];

		if (!strcmp(argv[i], "--dev"))
			o->dev = v;
		else if (!strcmp(argv[i], "--backing"))
			o->backing = v;
		else if (!strcmp(argv[i], "--size"))
			o->size = strtoull(v, NULL, 0) << 20;
		else if (!strcmp(argv[i], "--ios"))
			o->ios = (unsigned)strtoul(v, NULL, 0);
		else if (!strcmp(argv[i], "--jobs"))
			o->jobs = (unsigned)strtoul(v, NULL, 0);
		else
			return -1;
	}
	return (argc % 2 == 1 && o->dev && o->backing && o->jobs >= 1 &&
		o->jobs <= MAX_JOBS && o->size >= (uint64_t)o->jobs << 20) ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct job jobs[MAX_JOBS];
	unsigned long done = 0, bytes = 0;
	unsigned started = 0, failed = 0;
	struct opts o;
	char *shadow = NULL, *buf = NULL;
	int fd = -1, bfd = -1, ret = 1;
	uint64_t slice;
	double t0 = now_s();

	if (parse_opts(argc, argv, &o) < 0) {
		fprintf(stderr, "usage: %s --dev DEV --backing FILE --size MiB "
			"[--ios N] [--jobs N]\n", argv[0]);
		return 2;
	}
	fd = open(o.dev, O_RDWR | O_DIRECT | O_CLOEXEC);
	bfd = open(o.backing, O_RDONLY | O_CLOEXEC);
	shadow = calloc(1, o.size);
	if (fd < 0 || bfd < 0 || !shadow ||
	    posix_memalign((void **)&buf, 4096, MAX_IO) != 0) {
		printf("check: setup (%s, %s): %s\n", o.dev, o.backing,
		       strerror(errno));
		goto out;
	}
	slice = (o.size / o.jobs) & ~(uint64_t)((1 << 20) - 1);
	for (; started < o.jobs; started++) {
		struct job *j = &jobs[started];

		*j = (struct job){ .fd = fd, .shadow = shadow, .size = slice,
				   .base = started * slice,
				   .ios = o.ios / o.jobs + (started < o.ios % o.jobs),
				   .rng = 0x9e3779b97f4a7c15ull * (started + 1) };
		if (posix_memalign((void **)&j->buf, 4096, MAX_IO) != 0)
			break;
		if (pthread_create(&j->th, NULL, job_thread, j) != 0) {
			free(j->buf);
			break;
		}
	}
	for (unsigned i = 0; i < started; i++) {
		pthread_join(jobs[i].th, NULL);
		failed += jobs[i].failed != 0;
		done += jobs[i].done;
		bytes += jobs[i].bytes;
		free(jobs[i].buf);
	}
	if (failed || started < o.jobs)
		goto out;
	if (check_zeroing(fd, shadow, o.size) < 0)
		goto out;
	if (fsync(fd) < 0) {
		printf("check: fsync %s: %s\n", o.dev, strerror(errno));
		goto out;
	}
	if (check_whole(fd, o.dev, shadow, o.size, buf) < 0 ||
	    check_whole(bfd, "backing file", shadow, o.size, buf) < 0)
		goto out;
	printf("VM-RESULT: data ios=%lu bytes=%lu jobs=%u, 8 discards/zeroouts, "
	       "seconds=%.2f; whole device and backing file match\n", done,
	       bytes, o.jobs, now_s() - t0);
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	if (bfd >= 0)
		close(bfd);
	free(shadow);
	free(buf);
	return ret;
}
