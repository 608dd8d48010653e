/*
 * tests/harness/harness_test.c - the harness checked by itself.
 *
 * The tests named ok_* must pass; the tests named bad_* must fail, and
 * tests/run.sh checks the message each one prints, because a harness
 * whose failure messages are wrong teaches the wrong thing.
 */
#include "wb/rand.h"
#include "wb/test.h"

#include <stdint.h>
#include <string.h>

/* The same seed gives the same numbers on every machine: failing cases
 * must be replayable.  These are the first outputs for seed 42. */
TEST(ok_rand_is_deterministic)
{
	struct wb_rand a, b;

	wb_rand_seed(&a, 42);
	CHECK_UINT("first value for seed 42", 0x15780b2e0c2ec716u, wb_rand_u64(&a));
	CHECK_UINT("second value for seed 42", 0x6104d9866d113a7eu, wb_rand_u64(&a));
	wb_rand_seed(&a, 42);
	wb_rand_seed(&b, 42);
	for (int i = 0; i < 1000; i++)
		CHECK_UINT("same seed, same sequence", wb_rand_u64(&a), wb_rand_u64(&b));
	wb_rand_seed(&b, 43);
	CHECK(wb_rand_u64(&a) != wb_rand_u64(&b), "seeds 42 and 43 agree");
}

TEST(ok_rand_below_in_range)
{
	struct wb_rand r;
	int seen[7] = {0};

	wb_rand_seed(&r, 1);
	for (int i = 0; i < 7000; i++) {
		uint64_t v = wb_rand_below(&r, 7);
		CHECK(v < 7, "wb_rand_below(7) gave %llu", (unsigned long long)v);
		seen[v]++;
	}
	for (int i = 0; i < 7; i++)
		CHECK(seen[i] > 800 && seen[i] < 1200, "value %d seen %d times of 7000", i, seen[i]);
}

TEST(ok_checks_that_hold)
{
	char a[5] = "abcd";

	CHECK_INT("int", -3, -3);
	CHECK_UINT("uint", 7u, 7u);
	CHECK_STR("str", "abc", "abc");
	CHECK_MEM("mem", a, "abcd", 4);
	CHECK_NEAR("near", 1.0, 1.0 + 1e-12, 1e-9);
	CHECK_PTR("ptr", a, a);
	wb_note("a note for the report");
}

TEST(bad_int)
{
	CHECK_INT("sizeof(struct x)", 24, 32);
}

TEST(bad_mem)
{
	unsigned char want[40] = {0}, got[40] = {0};

	got[21] = 0xab;
	CHECK_MEM("encoded bytes", want, got, sizeof want);
}

TEST(bad_str)
{
	CHECK_STR("field", "abc", "ab\tc");
}
