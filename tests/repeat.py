#!/usr/bin/env python3
"""Grade known-wrong variants again and again: a concurrency bug caught
once may be luck.  Each variant of the lab (or those named) is graded
RUNS times on the tasks it touches, and every run must fail exactly the
tests its expect.conf lists.  Not part of `make test` (it takes
minutes); issue-level proof for the labs whose bugs are races.

Usage: tests/repeat.py --lab 03 [--runs 10] [VARIANT ...]
   or: make repeat LAB=03 [RUNS=10]
"""
import argparse
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("selftest", os.path.join(HERE, "run.py"))
selftest = importlib.util.module_from_spec(spec)
sys.argv, argv = sys.argv[:1], sys.argv[1:]
spec.loader.exec_module(selftest)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lab", required=True)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("variants", nargs="*")
    a = ap.parse_args(argv)
    labs = [l for l in selftest.labs() if l.startswith(a.lab)]
    if len(labs) != 1:
        sys.exit(f"--lab {a.lab}: no such lab, or more than one")
    lab = labs[0]
    base = os.path.join(selftest.ROOT, "tests", "wrong", lab)
    bad = 0
    for v in a.variants or sorted(os.listdir(base)):
        vdir = os.path.join(base, v)
        conf = selftest.read_conf(os.path.join(vdir, "expect.conf"))
        src = selftest.overlay(f"repeat-{v}", lab, vdir)
        tasks = ",".join(selftest.affected_tasks(lab, vdir))
        good = 0
        for i in range(a.runs):
            before = len(selftest.failures)
            r = selftest.grade(f"repeat-{v}", lab, src=src, extra=(
                *selftest.bench_flags(conf), "--task", tasks))
            if r and selftest.compare_failures(f"{v} run {i + 1}", r, conf) \
                    and len(selftest.failures) == before:
                good += 1
        bad += good != a.runs
        print(f"{lab}/{v}: {good}/{a.runs} runs failed exactly as expected",
              flush=True)
    for f in selftest.failures:
        print(f"  {f}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
