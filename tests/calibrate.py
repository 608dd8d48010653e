#!/usr/bin/env python3
"""Calibrate benchmark thresholds: are the verdicts stable?

The spec's rule: with the other core busy, the reference solution passes
every benchmark 10 runs of 10, and each catalogue variant that expects a
benchmark to fail (`bench = NAME` in its expect.conf) fails it 10 of 10.
This grades them RUNS times each under that load and prints, per
benchmark, the verdict count and the median, spread and range of the
metric over the runs.

Usage: tests/calibrate.py [--lab 01] [--runs 10] [--no-load]
Also: make calibrate LAB=01 RUNS=10
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as selftest  # noqa: E402  (shares grade() and overlay())


def bench_results(report):
    for kind, pid, t in selftest.tests_of(report, "bench"):
        yield pid, t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lab", default=None)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--no-load", action="store_true")
    a = ap.parse_args()
    labs = [l for l in selftest.labs() if not a.lab or l.startswith(a.lab)]
    load = None if a.no_load else subprocess.Popen(
        [sys.executable, "-c", "while True: pass"])
    try:
        for lab in labs:
            cases = [("solution", None, None)]
            base = os.path.join(selftest.ROOT, "tests", "wrong", lab)
            for v in sorted(os.listdir(base)) if os.path.isdir(base) else []:
                conf = selftest.read_conf(os.path.join(base, v, "expect.conf"))
                # Only the correct-but-slow variants: one that fails a
                # test never reaches its benchmark.
                if conf.get("bench") and not conf.get("fail"):
                    cases.append((v, os.path.join(base, v), set(conf["bench"].split())))
            for name, vdir, must_fail in cases:
                figures = {}
                for i in range(a.runs):
                    case = f"calibrate-{lab}-{name}"
                    if vdir:
                        src = selftest.overlay(case, lab, vdir)
                        r = selftest.grade(case, lab, src=src)
                    else:
                        r = selftest.grade(case, lab, solutions=True)
                    if not r:
                        continue
                    for pid, t in bench_results(r):
                        figures.setdefault(pid, []).append(t)
                report(lab, name, figures, must_fail, a.runs)
    finally:
        if load:
            load.kill()
    if selftest.failures:
        sys.exit(1)


def report(lab, name, figures, must_fail, runs):
    for pid, ts in sorted(figures.items()):
        values = [t["metric"] for t in ts if "metric" in t]
        passed = sum(t["verdict"] == "pass" for t in ts)
        skipped = sum(t["verdict"] == "skip" for t in ts)
        want_fail = must_fail is not None and pid in must_fail
        if must_fail is not None and not want_fail:
            continue  # this variant is not about this benchmark
        stable = (passed == 0 if want_fail else passed + skipped == runs)
        if values:
            q = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
            fig = (f"median {statistics.median(values):.2f}, middle half "
                   f"{q[0]:.2f}..{q[2]:.2f}, range {min(values):.2f}..{max(values):.2f}")
        else:
            fig = "no figures (" + ", ".join(t["reason"] for t in ts[:1]) + ")"
        verdict = f"failed {runs - passed - skipped}/{runs}" if want_fail else \
            f"passed {passed}/{runs}" + (f" (skipped {skipped})" if skipped else "")
        print(f"{lab} {name:28} bench {pid:10} {verdict:18} {fig}"
              + ("" if stable else "   <-- UNSTABLE"), flush=True)
        if not stable:
            selftest.failures.append(f"{lab} {name} bench {pid} unstable")


if __name__ == "__main__":
    main()
