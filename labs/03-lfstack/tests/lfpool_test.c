/*
 * lfpool_test.c - task 5: a lock-free pool of nodes.
 */
#include "lfpool.h"
#include "stress.h"
#include "wb/rand.h"
#include "wb/test.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

static void init(struct lfpool *p, size_t chunk)
{
	int err = lfpool_init(p, chunk);

	CHECK(err == 0, "lfpool_init(%zu): expected 0, got %d", chunk, err);
}

static struct lf_node *get(struct lfpool *p)
{
	struct lf_node *n = lfpool_get(p);

	CHECK(n != NULL, "lfpool_get: expected a node, got NULL");
	return n;
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(void *const *)a, y = (uintptr_t)*(void *const *)b;

	return x < y ? -1 : x > y;
}

TEST(lfpool_rejects_empty_chunks)
{
	struct lfpool p;

	CHECK_INT("lfpool_init(p, 0)", EINVAL, lfpool_init(&p, 0));
}

TEST(lfpool_nodes_distinct_and_counted)
{
	static struct lf_node *held[1000];
	struct lfpool p;

	init(&p, 64);
	CHECK_UINT("lfpool_made() of a new pool (nothing allocated yet)", 0,
		   lfpool_made(&p));
	for (int i = 0; i < 1000; i++) {
		held[i] = get(&p);
		CHECK((uintptr_t)held[i] % _Alignof(struct lf_node) == 0,
		      "node %d at %p is not aligned for struct lf_node", i,
		      (void *)held[i]);
		held[i]->value = (uintptr_t)i;
	}
	CHECK_UINT("lfpool_made() after 1000 gets in chunks of 64 (16 chunks)",
		   1024, lfpool_made(&p));
	qsort(held, 1000, sizeof held[0], cmp_ptr);
	for (int i = 1; i < 1000; i++)
		CHECK(held[i] != held[i - 1], "lfpool_get handed out node %p "
		      "twice while it was held", (void *)held[i]);
	for (int i = 0; i < 1000; i++)
		lfpool_put(&p, held[i]);
	for (int i = 0; i < 1000; i++)
		held[i] = get(&p);
	CHECK_UINT("lfpool_made() after putting all 1000 back and getting "
		   "1000 again (the pool must reuse, not grow)", 1024,
		   lfpool_made(&p));
	lfpool_destroy(&p);
}

struct user {
	struct lfpool *p;
	int id;
	long rounds;
	size_t made_max;
};

/* Get up to 8 nodes, stamp them, check the stamps, put them back: a node
 * handed to two threads at once gets the other's stamp. */
static void *use_pool(void *arg)
{
	struct user *u = arg;
	struct lf_node *held[8];
	struct wb_rand r;

	wb_rand_seed(&r, 500 + (uint64_t)u->id);
	for (long i = 0; i < u->rounds; i++) {
		int k = 1 + (int)wb_rand_below(&r, 8);

		for (int j = 0; j < k; j++) {
			held[j] = get(u->p);
			held[j]->value = ((uintptr_t)u->id << 32) | (uintptr_t)j;
		}
		stress_pause(wb_rand_u64(&r));
		for (int j = k - 1; j >= 0; j--) {
			uintptr_t v = held[j]->value;

			CHECK(v == (((uintptr_t)u->id << 32) | (uintptr_t)j),
			      "thread %d's node %p was stamped 0x%lx by someone "
			      "else while it held it: the pool gave one node "
			      "to two threads at once", u->id, (void *)held[j],
			      (unsigned long)v);
			lfpool_put(u->p, held[j]);
		}
	}
	return NULL;
}

TEST(lfpool_threads_never_share_a_node)
{
	static struct lfpool p;
	struct user u[4];
	pthread_t t[4];

	init(&p, 64);
	for (int i = 0; i < 4; i++) {
		u[i] = (struct user){&p, i, stress_scaled(200000), 0};
		CHECK(pthread_create(&t[i], NULL, use_pool, &u[i]) == 0, "create");
	}
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	/* At most 32 nodes are held at once, so one chunk of 64 is always
	 * enough: growing means the fast path missed free nodes. */
	CHECK_UINT("lfpool_made() with at most 32 nodes held at a time",
		   64, lfpool_made(&p));
	lfpool_destroy(&p);
}

struct grower {
	struct lfpool *p;
	struct lf_node *got[500];
};

static void *take_500(void *arg)
{
	struct grower *g = arg;

	for (int i = 0; i < 500; i++)
		g->got[i] = get(g->p);
	return NULL;
}

TEST(lfpool_grows_under_threads)
{
	static struct lfpool p;
	static struct grower g[2];
	static struct lf_node *all[1000];
	pthread_t t[2];

	init(&p, 16);
	for (int i = 0; i < 2; i++) {
		g[i].p = &p;
		CHECK(pthread_create(&t[i], NULL, take_500, &g[i]) == 0, "create");
	}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 1000; i++)
		all[i] = g[i / 500].got[i % 500];
	qsort(all, 1000, sizeof all[0], cmp_ptr);
	for (int i = 1; i < 1000; i++)
		CHECK(all[i] != all[i - 1], "two threads growing the pool at "
		      "once were both given node %p", (void *)all[i]);
	CHECK(lfpool_made(&p) >= 1000 && lfpool_made(&p) <= 1000 + 2 * 16,
	      "lfpool_made() is %zu after two threads took 500 nodes each "
	      "from chunks of 16: expected 1000..1032 (a thread that waited "
	      "for the grow lock should use the nodes the other just made)",
	      lfpool_made(&p));
	lfpool_destroy(&p);
}
