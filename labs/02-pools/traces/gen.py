#!/usr/bin/env python3
"""Rebuild the allocation traces of lab 02 (deterministic: fixed seeds).

    python3 gen.py            writes the *.trace files next to this script

Format (7-traces.md in the handout): '#' lines are comments; every
other line is `a ID SIZE` (allocate SIZE bytes, call the block ID) or
`f ID` (free block ID).  IDs are 0, 1, 2, ... in order of allocation and
never reused; every block is freed by the end.
"""
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))


class Trace:
    def __init__(self, name, about):
        self.name, self.lines, self.next = name, ["# " + a for a in about], 0
        self.live = {}

    def a(self, size):
        i = self.next
        self.next += 1
        self.lines.append(f"a {i} {size}")
        self.live[i] = size
        return i

    def f(self, i):
        del self.live[i]
        self.lines.append(f"f {i}")

    def write(self):
        for i in sorted(self.live):
            self.f(i)
        with open(os.path.join(HERE, self.name + ".trace"), "w") as out:
            out.write("\n".join(self.lines) + "\n")


def server():
    r = random.Random(1)
    t = Trace("server", ["a server: each request holds 1-3 buffers of 1-16 KiB",
                         "for a short while; about 40 requests in flight"])
    inflight = []
    for _ in range(2400):
        bufs = [t.a(r.randint(1, 16) * 1024 - r.choice((0, 0, 16, 100)))
                for _ in range(r.randint(1, 3))]
        inflight.append(bufs)
        while len(inflight) > 40 or (inflight and r.random() < 0.3):
            done = inflight.pop(r.randrange(min(len(inflight), 8)))
            for b in done:
                t.f(b)
    t.write()


def longlived():
    r = random.Random(2)
    t = Trace("longlived", ["small objects (16-128 bytes) that mostly live to",
                            "the end, with a little short-lived churn"])
    keep = []
    for _ in range(7000):
        i = t.a(r.choice((16, 24, 32, 40, 48, 64, 96, 128)))
        if r.random() < 0.8:
            keep.append(i)
        else:
            t.f(i)
    t.write()


def bintree():
    t = Trace("bintree", ["build a binary tree of 48-byte nodes with a 24-byte",
                          "key each, depth 10, tear it down in post-order; twice"])

    def build(depth):
        node, key = t.a(48), t.a(24)
        kids = [build(depth - 1) for _ in range(2)] if depth else []
        return (node, key, kids)

    def teardown(n):
        for k in n[2]:
            teardown(k)
        t.f(n[1])
        t.f(n[0])

    for _ in range(2):
        teardown(build(10))
    t.write()


def mixed():
    r = random.Random(4)
    t = Trace("mixed", ["random sizes, log-uniform from 1 byte to 8 KiB,",
                        "freed in random order, up to 1200 live"])
    live = []
    for _ in range(9000):
        if live and (len(live) >= 1200 or r.random() < 0.45):
            t.f(live.pop(r.randrange(len(live))))
        else:
            live.append(t.a(max(1, int(2 ** r.uniform(0, 13)))))
    t.write()


def classworst():
    r = random.Random(5)
    t = Trace("classworst", ["the worst case for segregated size classes:",
                             "sizes just above a power of two, then a phase",
                             "change, so memory freed in one class cannot",
                             "serve the next"])
    for lo, hi in ((17, 33), (65, 129), (257, 513), (1025, 2049)):
        blocks = [t.a(r.choice((lo, hi))) for _ in range(1000)]
        for b in blocks:
            t.f(b)
    t.write()


if __name__ == "__main__":
    for g in (server, longlived, bintree, mixed, classworst):
        g()
