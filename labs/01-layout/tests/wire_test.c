/*
 * wire_test.c - tests for task 2, packed wire formats.
 *
 * Expected bytes are written out by hand from the tables in wire.h, so a
 * test never trusts the host's byte order.  Inputs that must be rejected
 * sit in heap blocks of exactly their length: under AddressSanitizer a
 * read one byte too far is caught on the spot.
 */
#include "wire.h"
#include "wb/rand.h"
#include "wb/test.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers -------------------------------------------------------- */

static const char *wire_err_name(int e)
{
	switch (e) {
	case WIRE_ESHORT: return "WIRE_ESHORT";
	case WIRE_EMAGIC: return "WIRE_EMAGIC";
	case WIRE_EVERSION: return "WIRE_EVERSION";
	case WIRE_ETYPE: return "WIRE_ETYPE";
	case WIRE_ETOOBIG: return "WIRE_ETOOBIG";
	case WIRE_ETRUNC: return "WIRE_ETRUNC";
	case WIRE_ERESERVED: return "WIRE_ERESERVED";
	default: return e >= 0 ? "success" : "an unknown error";
	}
}

/* A heap copy of exactly len bytes, so ASan sees any over-read. */
static uint8_t *exact_copy(const void *src, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	CHECK(p != NULL, "out of memory");
	if (len)
		memcpy(p, src, len);
	return p;
}

struct wire_field {
	const char *name;
	size_t off, len;
};

static const struct wire_field ctrl_map[] = {
	{"dev_id", 0, 4},  {"queue_id", 4, 2},	   {"len", 6, 2},
	{"addr", 8, 8},	   {"data", 16, 8},	   {"dev_path_len", 24, 2},
	{"pad", 26, 2},	   {"reserved", 28, 4},
};

static const struct wire_field hdr_map[] = {
	{"magic", 0, 2},   {"version", 2, 1}, {"type", 3, 1},
	{"length", 4, 4},  {"seq", 8, 8},     {"status", 16, 4},
};

#define NCTRL_MAP (sizeof ctrl_map / sizeof ctrl_map[0])
#define NHDR_MAP (sizeof hdr_map / sizeof hdr_map[0])

/*
 * Compare len encoded bytes with the expected ones; on a difference, name
 * the field that holds the first wrong byte, and say so when its bytes
 * are the expected ones reversed (a host-order encode).
 */
static void check_encoded(const char *call, const struct wire_field *map,
			  size_t nmap, const char *order, const uint8_t *want,
			  const uint8_t *got, size_t len)
{
	char what[512];
	size_t i = 0;

	while (i < len && want[i] == got[i])
		i++;
	if (i == len)
		return;
	snprintf(what, sizeof what, "%s: bytes", call);
	for (size_t k = 0; k < nmap; k++) {
		const struct wire_field *f = &map[k];
		bool reversed = f->len > 1;

		if (i < f->off || i >= f->off + f->len)
			continue;
		for (size_t j = 0; j < f->len; j++)
			if (got[f->off + j] != want[f->off + f->len - 1 - j])
				reversed = false;
		snprintf(what, sizeof what,
			 "%s: field '%s' (bytes %zu..%zu, %s)%s", call, f->name,
			 f->off, f->off + f->len - 1, order,
			 reversed ? " has its bytes reversed: written in the "
				    "host's byte order?"
			 : strcmp(f->name, "pad") == 0 ||
				 strcmp(f->name, "reserved") == 0
			     ? " must be zero: did a struct's padding bytes "
			       "get copied to the wire?"
			     : " is wrong");
	}
	CHECK_MEM(what, want, got, len);
}

static void check_guard(const char *call, const uint8_t *buf, size_t from,
			size_t to, uint8_t fill)
{
	for (size_t i = from; i < to; i++)
		CHECK(buf[i] == fill,
		      "%s wrote byte %zu (0x%02x), past the end of its %zu bytes",
		      call, i, buf[i], from);
}

/* ---- the ublk control command ------------------------------------- */

struct ctrl_case {
	struct wire_ctrl c;
	uint8_t bytes[WIRE_CTRL_SIZE];
};

static const struct ctrl_case ctrl_cases[] = {
	{{0x01020304, 0xffff, 0x0506, 0x1112131415161718ull,
	  0x2122232425262728ull, 0x0910},
	 {0x04, 0x03, 0x02, 0x01, 0xff, 0xff, 0x06, 0x05,
	  0x18, 0x17, 0x16, 0x15, 0x14, 0x13, 0x12, 0x11,
	  0x28, 0x27, 0x26, 0x25, 0x24, 0x23, 0x22, 0x21,
	  0x10, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}},
	{{0x80000001, 0x0000, 0x8001, 0xfedcba9876543210ull, 1, 0xffff},
	 {0x01, 0x00, 0x00, 0x80, 0x00, 0x00, 0x01, 0x80,
	  0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe,
	  0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	  0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}},
	{{7, 0, 4096, 0x00007f0012345000ull, 0x8000000000000000ull, 11},
	 {0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
	  0x00, 0x50, 0x34, 0x12, 0x00, 0x7f, 0x00, 0x00,
	  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80,
	  0x0b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}},
};

#define NCTRL (sizeof ctrl_cases / sizeof ctrl_cases[0])

/* Fill *c's padding with garbage first, as a stack variable would have. */
static void dirty_ctrl(struct wire_ctrl *c, const struct wire_ctrl *v)
{
	memset(c, 0xa5, sizeof *c);
	c->dev_id = v->dev_id;
	c->queue_id = v->queue_id;
	c->len = v->len;
	c->addr = v->addr;
	c->data = v->data;
	c->dev_path_len = v->dev_path_len;
}

static void show_ctrl(char *buf, size_t cap, const struct wire_ctrl *c)
{
	snprintf(buf, cap,
		 "{dev_id 0x%x, queue_id 0x%x, len 0x%x, addr 0x%llx, data "
		 "0x%llx, dev_path_len 0x%x}",
		 (unsigned)c->dev_id, (unsigned)c->queue_id, (unsigned)c->len,
		 (unsigned long long)c->addr, (unsigned long long)c->data,
		 (unsigned)c->dev_path_len);
}

static void check_ctrl_equal(const char *call, const struct wire_ctrl *want,
			     const struct wire_ctrl *got)
{
	char what[256];

#define CTRL_FIELD(f)                                                      \
	do {                                                               \
		snprintf(what, sizeof what, "%s: field '%s'", call, #f);   \
		CHECK_UINT(what, want->f, got->f);                         \
	} while (0)
	CTRL_FIELD(dev_id);
	CTRL_FIELD(queue_id);
	CTRL_FIELD(len);
	CTRL_FIELD(addr);
	CTRL_FIELD(data);
	CTRL_FIELD(dev_path_len);
#undef CTRL_FIELD
}

TEST(wire_ctrl_encode_bytes)
{
	for (size_t k = 0; k < NCTRL; k++) {
		struct wire_ctrl c;
		uint8_t out[WIRE_CTRL_SIZE + 8];
		char call[256], desc[200];

		dirty_ctrl(&c, &ctrl_cases[k].c);
		show_ctrl(desc, sizeof desc, &ctrl_cases[k].c);
		snprintf(call, sizeof call, "wire_ctrl_encode(%s)", desc);
		memset(out, 0xee, sizeof out);
		wire_ctrl_encode(&c, out);
		check_encoded(call, ctrl_map, NCTRL_MAP, "little-endian",
			      ctrl_cases[k].bytes, out, WIRE_CTRL_SIZE);
		check_guard(call, out, WIRE_CTRL_SIZE, sizeof out, 0xee);
	}
}

TEST(wire_ctrl_decode_fields)
{
	for (size_t k = 0; k < NCTRL; k++) {
		/* 5 bytes of unrelated data after the command: ignored. */
		uint8_t raw[WIRE_CTRL_SIZE + 5];
		uint8_t *buf;
		struct wire_ctrl c;
		char call[128];
		int rc;

		memcpy(raw, ctrl_cases[k].bytes, WIRE_CTRL_SIZE);
		memset(raw + WIRE_CTRL_SIZE, 0x5c, 5);
		for (size_t len = WIRE_CTRL_SIZE; len <= sizeof raw; len += 5) {
			buf = exact_copy(raw, len);
			memset(&c, 0, sizeof c);
			rc = wire_ctrl_decode(buf, len, &c);
			snprintf(call, sizeof call,
				 "wire_ctrl_decode(case %zu, len %zu)", k, len);
			CHECK(rc == WIRE_CTRL_SIZE,
			      "%s: returned %d (%s), expected %d, the bytes "
			      "consumed",
			      call, rc, wire_err_name(rc), WIRE_CTRL_SIZE);
			check_ctrl_equal(call, &ctrl_cases[k].c, &c);
			free(buf);
		}
	}
}

TEST(wire_ctrl_roundtrip)
{
	struct wb_rand r;
	uint8_t *buf = malloc(WIRE_CTRL_SIZE + 8);

	CHECK(buf != NULL, "out of memory");
	wb_rand_seed(&r, 0xc7a1u);
	for (int t = 0; t < 2000; t++) {
		size_t at = (size_t)t % 8; /* any alignment will do */
		struct wire_ctrl in, v, out;
		uint8_t raw[WIRE_CTRL_SIZE], again[WIRE_CTRL_SIZE];
		int rc;

		/* encode, then decode: the same fields */
		v.dev_id = (uint32_t)wb_rand_u64(&r);
		v.queue_id = (uint16_t)wb_rand_u64(&r);
		v.len = (uint16_t)wb_rand_u64(&r);
		v.addr = wb_rand_u64(&r);
		v.data = wb_rand_u64(&r);
		v.dev_path_len = (uint16_t)wb_rand_u64(&r);
		dirty_ctrl(&in, &v);
		wire_ctrl_encode(&in, buf + at);
		rc = wire_ctrl_decode(buf + at, WIRE_CTRL_SIZE, &out);
		CHECK(rc == WIRE_CTRL_SIZE,
		      "decode(encode(c)) at buffer offset %zu: returned %d (%s), "
		      "expected %d",
		      at, rc, wire_err_name(rc), WIRE_CTRL_SIZE);
		check_ctrl_equal("decode(encode(c))", &v, &out);

		/* decode, then encode: the same bytes */
		wb_rand_fill(&r, raw, sizeof raw);
		memset(raw + 26, 0, 6);
		memcpy(buf + at, raw, sizeof raw);
		rc = wire_ctrl_decode(buf + at, WIRE_CTRL_SIZE, &out);
		CHECK(rc == WIRE_CTRL_SIZE,
		      "decode(random bytes, pad and reserved zero): returned %d "
		      "(%s), expected %d",
		      rc, wire_err_name(rc), WIRE_CTRL_SIZE);
		wire_ctrl_encode(&out, again);
		check_encoded("encode(decode(bytes))", ctrl_map, NCTRL_MAP,
			      "little-endian", raw, again, WIRE_CTRL_SIZE);
	}
	free(buf);
}

TEST(wire_ctrl_rejects)
{
	const uint8_t *good = ctrl_cases[0].bytes;
	struct wire_ctrl c, before;
	uint8_t raw[WIRE_CTRL_SIZE];

	memset(&before, 0x77, sizeof before);
	for (size_t len = 0; len < WIRE_CTRL_SIZE; len++) {
		uint8_t *buf = exact_copy(good, len);
		int rc;

		c = before;
		rc = wire_ctrl_decode(buf, len, &c);
		CHECK(rc == WIRE_ESHORT,
		      "wire_ctrl_decode(a valid command cut to %zu bytes): "
		      "returned %d (%s), expected WIRE_ESHORT (%d)",
		      len, rc, wire_err_name(rc), WIRE_ESHORT);
		CHECK(memcmp(&c, &before, sizeof c) == 0,
		      "wire_ctrl_decode(%zu bytes): failed but changed *c; on "
		      "error *c must stay as it was",
		      len);
		free(buf);
	}
	for (size_t i = 26; i < WIRE_CTRL_SIZE; i++) {
		for (int bit = 0; bit < 8; bit += 7) {
			uint8_t *buf;
			int rc;

			memcpy(raw, good, sizeof raw);
			raw[i] = (uint8_t)(1u << bit);
			buf = exact_copy(raw, sizeof raw);
			c = before;
			rc = wire_ctrl_decode(buf, sizeof raw, &c);
			CHECK(rc == WIRE_ERESERVED,
			      "wire_ctrl_decode(byte %zu = 0x%02x, in '%s', which "
			      "must be zero): returned %d (%s), expected "
			      "WIRE_ERESERVED (%d)",
			      i, raw[i], i < 28 ? "pad" : "reserved", rc,
			      wire_err_name(rc), WIRE_ERESERVED);
			CHECK(memcmp(&c, &before, sizeof c) == 0,
			      "wire_ctrl_decode(nonzero '%s'): failed but changed "
			      "*c; on error *c must stay as it was",
			      i < 28 ? "pad" : "reserved");
			free(buf);
		}
	}
}

/* ---- the message header ------------------------------------------- */

struct hdr_case {
	struct wire_hdr h;
	uint8_t bytes[WIRE_HDR_SIZE];
};

static const struct hdr_case hdr_cases[] = {
	{{WIRE_T_REPLY, 0x00010203, 0x8899aabbccddeeffull, -5},
	 {0x57, 0x42, 0x01, 0x02, 0x00, 0x01, 0x02, 0x03, 0x88, 0x99,
	  0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0xff, 0xff, 0xff, 0xfb}},
	{{WIRE_T_REQUEST, 0, 0x0102030480000000ull, 0x7fffff80},
	 {0x57, 0x42, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02,
	  0x03, 0x04, 0x80, 0x00, 0x00, 0x00, 0x7f, 0xff, 0xff, 0x80}},
	{{WIRE_T_EVENT, WIRE_MAX_PAYLOAD, 1, INT32_MIN},
	 {0x57, 0x42, 0x01, 0x03, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00,
	  0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x80, 0x00, 0x00, 0x00}},
	{{WIRE_T_REPLY, 0x0000ff80, 0xffffffffffffffffull, -1},
	 {0x57, 0x42, 0x01, 0x02, 0x00, 0x00, 0xff, 0x80, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
	{{WIRE_T_REQUEST, 3, 0x00000000ffffff80ull, 0},
	 {0x57, 0x42, 0x01, 0x01, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00,
	  0x00, 0x00, 0xff, 0xff, 0xff, 0x80, 0x00, 0x00, 0x00, 0x00}},
};

#define NHDR (sizeof hdr_cases / sizeof hdr_cases[0])

static void show_hdr(char *buf, size_t cap, const struct wire_hdr *h)
{
	snprintf(buf, cap, "{type %u, length %lu, seq 0x%llx, status %ld}",
		 (unsigned)h->type, (unsigned long)h->length,
		 (unsigned long long)h->seq, (long)h->status);
}

TEST(wire_hdr_encode_bytes)
{
	for (size_t k = 0; k < NHDR; k++) {
		uint8_t out[WIRE_HDR_SIZE + 8];
		char call[256], desc[160];

		show_hdr(desc, sizeof desc, &hdr_cases[k].h);
		snprintf(call, sizeof call, "wire_hdr_encode(%s)", desc);
		memset(out, 0xee, sizeof out);
		wire_hdr_encode(&hdr_cases[k].h, out);
		check_encoded(call, hdr_map, NHDR_MAP, "big-endian", hdr_cases[k].bytes,
			      out, WIRE_HDR_SIZE);
		check_guard(call, out, WIRE_HDR_SIZE, sizeof out, 0xee);
	}
}

/* Parse buf, which must succeed with total bytes, and check the fields. */
static void parse_ok(const char *call, const uint8_t *buf, size_t len,
		     const struct wire_hdr *want, int total)
{
	struct wire_hdr h;
	const uint8_t *payload = NULL;
	char what[256];
	int rc;

	memset(&h, 0, sizeof h);
	rc = wire_msg_parse(buf, len, &h, &payload);
	CHECK(rc == total,
	      "%s: returned %d (%s), expected %d (header + payload bytes)",
	      call, rc, wire_err_name(rc), total);
	snprintf(what, sizeof what, "%s: field 'type'", call);
	CHECK_UINT(what, want->type, h.type);
	snprintf(what, sizeof what, "%s: field 'length'", call);
	CHECK_UINT(what, want->length, h.length);
	snprintf(what, sizeof what, "%s: field 'seq'", call);
	CHECK_UINT(what, want->seq, h.seq);
	CHECK(h.status == want->status,
	      "%s: field 'status': expected %ld, got %ld (status is signed: "
	      "the bytes are its two's complement)",
	      call, (long)want->status, (long)h.status);
	CHECK(payload == buf + WIRE_HDR_SIZE,
	      "%s: *payload should point into the buffer, %d bytes in; it is "
	      "%s",
	      call, WIRE_HDR_SIZE, payload ? "elsewhere" : "NULL");
}

TEST(wire_hdr_decode_fields)
{
	for (size_t k = 0; k < NHDR; k++) {
		const struct hdr_case *hc = &hdr_cases[k];
		size_t len = WIRE_HDR_SIZE + hc->h.length;
		uint8_t *buf = malloc(len);
		char call[256], desc[160];

		CHECK(buf != NULL, "out of memory");
		memcpy(buf, hc->bytes, WIRE_HDR_SIZE);
		memset(buf + WIRE_HDR_SIZE, 0x3c, hc->h.length);
		show_hdr(desc, sizeof desc, &hc->h);
		snprintf(call, sizeof call, "wire_msg_parse(bytes of %s)", desc);
		parse_ok(call, buf, len, &hc->h, (int)len);
		free(buf);
	}
}

struct reject_case {
	const char *what;
	size_t len;	  /* bytes given to wire_msg_parse */
	int want;
	uint8_t hdr[WIRE_HDR_SIZE];
};

#define GOOD_HDR(len3) 0x57, 0x42, 0x01, 0x01, 0x00, 0x00, 0x00, len3, \
		0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0

static const struct reject_case reject_cases[] = {
	{"magic 0x4257, byte-swapped", 20, WIRE_EMAGIC,
	 {0x42, 0x57, 0x01, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0}},
	{"magic 0x0000", 20, WIRE_EMAGIC,
	 {0x00, 0x00, 0x01, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0}},
	{"magic 0x5743", 20, WIRE_EMAGIC,
	 {0x57, 0x43, 0x01, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0}},
	{"a wrong magic and a wrong type (magic is checked first)", 20,
	 WIRE_EMAGIC,
	 {0x42, 0x57, 0x01, 0x09, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0}},
	{"version 0", 20, WIRE_EVERSION,
	 {0x57, 0x42, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0}},
	{"version 2", 20, WIRE_EVERSION,
	 {0x57, 0x42, 0x02, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0}},
	{"type 0", 20, WIRE_ETYPE,
	 {0x57, 0x42, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0}},
	{"type 4", 20, WIRE_ETYPE,
	 {0x57, 0x42, 0x01, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0}},
	{"type 255", 20, WIRE_ETYPE,
	 {0x57, 0x42, 0x01, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0}},
	{"length WIRE_MAX_PAYLOAD + 1", 20, WIRE_ETOOBIG,
	 {0x57, 0x42, 0x01, 0x01, 0x00, 0x10, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 9,
	  0, 0, 0, 0}},
	{"length 0x80000000", 20, WIRE_ETOOBIG,
	 {0x57, 0x42, 0x01, 0x01, 0x80, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 9,
	  0, 0, 0, 0}},
	{"length 0xffffffec (0xffffffec + 20 wraps to 0 in 32 bits)", 20,
	 WIRE_ETOOBIG,
	 {0x57, 0x42, 0x01, 0x01, 0xff, 0xff, 0xff, 0xec, 0, 0, 0, 0, 0, 0, 0, 9,
	  0, 0, 0, 0}},
	{"length 10, no payload bytes", 20, WIRE_ETRUNC, {GOOD_HDR(10)}},
	{"length 10, 9 payload bytes", 29, WIRE_ETRUNC, {GOOD_HDR(10)}},
	{"length 1, no payload bytes", 20, WIRE_ETRUNC, {GOOD_HDR(1)}},
};

static void expect_reject(const char *what, const uint8_t *bytes, size_t len,
			  int want)
{
	uint8_t *buf = exact_copy(bytes, len);
	struct wire_hdr h, before;
	const uint8_t *payload = (const uint8_t *)"untouched";
	const uint8_t *payload_before = payload;
	int rc;

	memset(&before, 0x77, sizeof before);
	h = before;
	rc = wire_msg_parse(buf, len, &h, &payload);
	CHECK(rc == want,
	      "wire_msg_parse(%s; %zu bytes given): returned %d (%s), expected "
	      "%s (%d)",
	      what, len, rc, wire_err_name(rc), wire_err_name(want), want);
	CHECK(memcmp(&h, &before, sizeof h) == 0 && payload == payload_before,
	      "wire_msg_parse(%s): returned %s but changed *h or *payload; on "
	      "error both must stay as they were",
	      what, wire_err_name(rc));
	free(buf);
}

TEST(wire_msg_rejects)
{
	uint8_t raw[WIRE_HDR_SIZE + 16];
	uint8_t *big;
	struct wire_hdr want = {WIRE_T_REQUEST, WIRE_MAX_PAYLOAD, 9, 0};
	char what[128];

	/* every cut of a valid header */
	memcpy(raw, hdr_cases[0].bytes, WIRE_HDR_SIZE);
	for (size_t len = 0; len < WIRE_HDR_SIZE; len++) {
		snprintf(what, sizeof what, "a valid header cut to %zu bytes",
			 len);
		expect_reject(what, raw, len, WIRE_ESHORT);
	}
	for (size_t k = 0; k < sizeof reject_cases / sizeof reject_cases[0];
	     k++) {
		const struct reject_case *c = &reject_cases[k];

		memset(raw, 0x61, sizeof raw);
		memcpy(raw, c->hdr, WIRE_HDR_SIZE);
		expect_reject(c->what, raw, c->len, c->want);
	}
	/* the largest payload there may be is accepted */
	big = malloc(WIRE_HDR_SIZE + WIRE_MAX_PAYLOAD);
	CHECK(big != NULL, "out of memory");
	wire_hdr_encode(&want, big);
	memset(big + WIRE_HDR_SIZE, 0, WIRE_MAX_PAYLOAD);
	parse_ok("wire_msg_parse(length exactly WIRE_MAX_PAYLOAD, all there)",
		 big, WIRE_HDR_SIZE + WIRE_MAX_PAYLOAD, &want,
		 (int)(WIRE_HDR_SIZE + WIRE_MAX_PAYLOAD));
	free(big);
}

TEST(wire_msg_stream)
{
	enum { NMSG = 300, MAXP = 61 };
	struct wb_rand r;
	struct wire_hdr sent[NMSG];
	size_t at[NMSG], total = 0, off = 0;
	uint8_t *buf = malloc(NMSG * (WIRE_HDR_SIZE + MAXP));
	uint8_t *copy;

	CHECK(buf != NULL, "out of memory");
	wb_rand_seed(&r, 0x5742u);
	for (int i = 0; i < NMSG; i++) {
		struct wire_hdr h;

		h.type = (uint8_t)(1 + wb_rand_below(&r, 3));
		h.length = (uint32_t)wb_rand_below(&r, MAXP + 1);
		h.seq = wb_rand_u64(&r);
		h.status = (int32_t)(wb_rand_u64(&r) >> 33) *
			   (wb_rand_below(&r, 2) ? -1 : 1);
		sent[i] = h;
		at[i] = total;
		wire_hdr_encode(&h, buf + total);
		wb_rand_fill(&r, buf + total + WIRE_HDR_SIZE, h.length);
		total += WIRE_HDR_SIZE + h.length;
	}
	/* parse from a block of exactly the stream's size */
	copy = exact_copy(buf, total);
	for (int i = 0; i < NMSG; i++) {
		struct wire_hdr h;
		const uint8_t *payload = NULL;
		char call[128], what[160];
		int rc;

		snprintf(call, sizeof call,
			 "message %d of a stream, at byte %zu", i, at[i]);
		CHECK(off == at[i],
		      "%s: the previous returns add up to offset %zu instead",
		      call, off);
		parse_ok(call, copy + off, total - off, &sent[i],
			 (int)(WIRE_HDR_SIZE + sent[i].length));
		rc = wire_msg_parse(copy + off, total - off, &h, &payload);
		snprintf(what, sizeof what, "%s: payload bytes", call);
		CHECK_MEM(what, buf + at[i] + WIRE_HDR_SIZE, payload,
			  sent[i].length);
		off += (size_t)rc;
	}
	CHECK(off == total, "the stream is %zu bytes, the messages took %zu",
	      total, off);
	expect_reject("the empty rest of a stream", copy + off, 0, WIRE_ESHORT);
	free(copy);
	free(buf);
}
