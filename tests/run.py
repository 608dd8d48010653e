#!/usr/bin/env python3
"""The workbook's own tests: does the kit grade what it should?

For every lab: the reference solution scores full marks; the skeleton
scores zero and every test says "not implemented"; each known-wrong
variant in tests/wrong/ fails exactly the tests its expect.conf lists.
Then the hostile submissions in tests/hostile/ get their verdicts without
the grader hanging, and every report format is valid.

Usage: tests/run.py [--only NAME]  (NAME: a substring of the case names)
"""
import json
import os
import shutil
import subprocess
import sys
import time
import xml.dom.minidom

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GRADER = os.path.join(ROOT, "build", "grader")
WORK = os.path.join(ROOT, "build", "selftest")
GRADER_TIMEOUT = 600  # the grader must never take this long on one lab

failures = []
only = sys.argv[2] if len(sys.argv) > 2 and sys.argv[1] == "--only" else None


def say(msg):
    print(msg, flush=True)


def fail(case, msg):
    failures.append(f"{case}: {msg}")
    say(f"  FAIL {case}: {msg}")


def read_conf(path):
    """expect.conf: key = value lines, '#' comments."""
    conf = {}
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                key, _, value = line.partition("=")
                conf[key.strip()] = value.strip()
    return conf


def grade(case, lab, src=None, solutions=False, fmt="json", extra=()):
    """Run the grader on one lab; return the parsed JSON report."""
    out = os.path.join(WORK, "reports", f"{case}.{fmt}")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    cmd = [GRADER, "--root", ROOT, "--lab", lab, "--format", fmt, "--out", out,
           "--build-dir", os.path.join(WORK, "build", case), *extra]
    if src:
        cmd += ["--src", src]
    if solutions:
        cmd += ["--solutions"]
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=GRADER_TIMEOUT)
    except subprocess.TimeoutExpired:
        fail(case, f"the grader ran for more than {GRADER_TIMEOUT} s")
        return None
    took = time.monotonic() - start
    last = p.stdout.decode(errors="replace").rstrip("\n").split("\n")[-1]
    if p.returncode != 0 or not last.endswith(" failed"):
        fail(case, f"grader exit {p.returncode}, last line {last!r}; "
             f"stderr: {p.stderr.decode(errors='replace')[-500:]}")
        return None
    if fmt != "json":
        return out
    with open(out, encoding="utf-8") as f:
        report = json.load(f)
    report["_seconds"] = took
    return report


def tests_of(report, kind=None, part=None):
    """(part kind, part id, test) for every test in a one-lab report."""
    for lab in report["labs"]:
        for p in lab["parts"]:
            if (kind is None or p["kind"] == kind) and (part is None or p["id"] == part):
                for t in p["tests"]:
                    yield p["kind"], p["id"], t


def labs():
    d = os.path.join(ROOT, "labs")
    return sorted(x for x in os.listdir(d)
                  if os.path.isfile(os.path.join(d, x, "lab.conf")))


def check_solution(lab):
    case = f"{lab}/solution"
    r = grade(case.replace("/", "-"), lab, solutions=True)
    if not r:
        return
    l = r["labs"][0]
    if l["error"]:
        fail(case, l["error"])
    bad = [f"{k} {pid}: {t['name']}: {t['reason']}" for k, pid, t in tests_of(r)
           if t["verdict"] == "fail"]
    skips = [f"{pid}: {t['reason']}" for k, pid, t in tests_of(r) if t["verdict"] == "skip"]
    full = l["max_score"] + l.get("bonus_max", 0)  # the solution does the bonus too
    if bad or l["score"] < full - 1e-9:
        fail(case, f"score {l['score']}/{l['max_score']}; failing: {bad}")
    else:
        say(f"  ok   {case}: {l['score']}/{l['max_score']}"
            + (" (bonus included)" if l.get("bonus_max") else "")
            + f" in {r['_seconds']:.1f} s"
            + (f" (skipped: {skips})" if skips else ""))
    for k, pid, t in tests_of(r, "bench"):
        say(f"       bench {pid}: {t['reason']}")


def check_skeleton(lab):
    case = f"{lab}/skeleton"
    r = grade(case.replace("/", "-"), lab)
    if not r:
        return
    l = r["labs"][0]
    problems = []
    if l["error"] or l["score"] != 0:
        problems.append(f"score {l['score']}, error {l['error']}")
    if not l["next"] or "edit " not in l["next"]:
        problems.append(f"no next step: {l['next']!r}")
    for k, pid, t in tests_of(r, "task"):
        if t["reason"] != "not implemented":
            problems.append(f"{t['name']}: {t['reason']!r}, not 'not implemented'")
    for p in problems:
        fail(case, p)
    if not problems:
        say(f"  ok   {case}: 0/{l['max_score']}, every test 'not implemented'; "
            f"next: {l['next']}")


def overlay(case, lab, files_dir):
    """A submission: the solution with files_dir's files laid over it.
    A file NAME.patch is a unified diff applied to the solution's NAME:
    that is how the catalogue keeps its variants, so each one shows its
    bug and nothing else."""
    src = os.path.join(WORK, "src", case)
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(os.path.join(ROOT, "solutions", lab), os.path.join(src, lab))
    for dirpath, _, files in os.walk(files_dir):
        for name in files:
            if name in ("expect.conf", "inject.c"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, name), files_dir)
            dst = os.path.join(src, lab, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            if name.endswith(".patch"):
                dst = dst[:-len(".patch")]
                p = subprocess.run(["patch", "--quiet", "--forward", "-r", "-",
                                    dst, os.path.join(dirpath, name)],
                                   capture_output=True, text=True)
                if p.returncode != 0:
                    fail(case, f"{rel} does not apply: {p.stdout}{p.stderr}")
            else:
                shutil.copy(os.path.join(dirpath, name), dst)
    return src


HOSTILE_PREFIX = """/* Generated by tests/run.py: the reference solution, with {wrap}()
 * renamed {wrap}_solution so that inject.c can wrap it. */
#include <stdio.h>
#include <string.h>

/* True in the process that runs the named test ("BINARY --run NAME"). */
__attribute__((unused)) static int hostile_in_test(const char *name)
{{
	char args[512] = {{0}};
	FILE *f = fopen("/proc/self/cmdline", "r");
	size_t n = f ? fread(args, 1, sizeof args - 1, f) : 0;
	const char *last = args;

	if (f)
		fclose(f);
	for (size_t i = 0; i + 1 < n; i++)
		if (args[i] == '\\0')
			last = args + i + 1;
	return strcmp(last, name) == 0;
}}

#define {wrap} {wrap}_solution
"""


def wrap_solution(src, lab, conf, hostile_dir):
    """Lay solution + inject.c over conf['file'] in the submission."""
    wrap, rel = conf["wrap"], conf["file"]
    with open(os.path.join(ROOT, "solutions", lab, rel)) as f:
        solution = f.read()
    with open(os.path.join(hostile_dir, "inject.c")) as f:
        inject = f.read()
    with open(os.path.join(src, lab, rel), "w") as f:
        f.write(HOSTILE_PREFIX.format(wrap=wrap) + solution +
                f"\n#undef {wrap}\n\n" + inject)


def leftovers(marker):
    """Processes still running whose command line names marker."""
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit() and int(pid) != os.getpid():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if marker.encode() in f.read():
                        found.append(int(pid))
            except OSError:
                pass
    return found


def failing(report):
    """{part id: set of failing test names} over all parts."""
    out = {}
    for k, pid, t in tests_of(report):
        if t["verdict"] == "fail":
            out.setdefault(pid, set()).add(t["name"])
    return out


def compare_failures(case, report, conf):
    """Exactly the tests the conf lists fail; every other test passes.
    Keys: fail (task tests), a sanitizer id (its reruns), bench, and
    maybe (tests, in any part, allowed to go either way)."""
    got = failing(report)
    want = {}
    task_ids = set()
    for k, pid, t in tests_of(report, "task"):
        task_ids.add(pid)
    for key in ["fail"] + [p["id"] for p in report["labs"][0]["parts"]
                           if p["kind"] == "sanitizer"] + ["bench"]:
        names = set(conf.get(key, "").split())
        if key == "fail":
            for pid in task_ids:
                want[pid] = {n for n in names if any(
                    t["name"] == n for _, _, t in tests_of(report, "task", pid))}
            unknown = names - {t["name"] for _, _, t in tests_of(report, "task")}
            if unknown:
                fail(case, f"expect.conf names unknown tests {sorted(unknown)}")
        elif key == "bench":
            absent = names - {p["id"] for p in report["labs"][0]["parts"]}
            if absent:
                fail(case, f"benches {sorted(absent)} were not graded")
            for pid in names:
                want[pid] = {t["name"] for _, _, t in tests_of(report, "bench", pid)}
        else:
            # A test that fails without sanitizers fails with them too.
            want[key] = names | set(conf.get("fail", "").split()) & {
                t["name"] for _, _, t in tests_of(report, "sanitizer", key)}
    # Tests a concurrency bug may or may not trip, run to run (a stress
    # test hitting an ABA window by chance): either verdict is accepted.
    # The variant's deterministic tests, listed under fail, still decide.
    maybe = set(conf.get("maybe", "").split())
    ok = True
    for pid in set(got) | set(want):
        g = got.get(pid, set()) - maybe
        w = want.get(pid, set()) - maybe
        if g != w:
            ok = False
            extra = {n: reason_of(report, pid, n) for n in g - w}
            fail(case, f"{pid}: should fail {sorted(w)}, failed {sorted(g)}"
                 + (f"; unexpected: {extra}" if extra else ""))
    return ok


def kind_of(report, pid):
    for kind, p, _ in tests_of(report, part=pid):
        return kind
    return None


def reason_of(report, pid, name):
    for _, p, t in tests_of(report, part=pid):
        if t["name"] == name:
            return t["reason"]
    return None


def bench_flags(conf):
    """Benchmarks take seconds and the solution's run already proves they
    pass: run them for a variant only when it expects one to fail."""
    return () if conf.get("bench") else ("--no-bench",)


def task_files(lab):
    """{task id: set of student files} from the lab's lab.conf."""
    tasks, cur = {}, None
    with open(os.path.join(ROOT, "labs", lab, "lab.conf")) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line.startswith("["):
                kind, _, pid = line.strip("[]").partition(" ")
                cur = pid.strip() if kind == "task" else None
            elif cur and line.partition("=")[0].strip() == "files":
                tasks[cur] = set(line.partition("=")[2].split())
    return tasks


def affected_tasks(lab, vdir):
    """The tasks that build a file the variant changes: the others are
    the solution's, untouched, and need no regrading."""
    changed = set()
    for dirpath, _, files in os.walk(vdir):
        for name in files:
            if name in ("expect.conf", "inject.c"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, name), vdir)
            changed.add(rel[:-len(".patch")] if rel.endswith(".patch") else rel)
    return sorted(t for t, files in task_files(lab).items() if files & changed)


def check_variants(lab):
    base = os.path.join(ROOT, "tests", "wrong", lab)
    if not os.path.isdir(base):
        fail(f"{lab}/wrong", "no catalogue of known-wrong variants")
        return
    for v in sorted(os.listdir(base)):
        case = f"{lab}/wrong/{v}"
        if only and only not in case:
            continue
        conf = read_conf(os.path.join(base, v, "expect.conf"))
        src = overlay(case.replace("/", "-"), lab, os.path.join(base, v))
        tasks = affected_tasks(lab, os.path.join(base, v))
        r = grade(case.replace("/", "-"), lab, src=src,
                  extra=(*bench_flags(conf), "--task", ",".join(tasks)))
        if r and compare_failures(case, r, conf):
            l = r["labs"][0]
            say(f"  ok   {case}: {l['score']:.1f}/{l['max_score']} ({conf.get('why', '')})")


def check_hostile():
    """tests/hostile/NAME/: a submission (LAB/src/...) over the solution,
    expect.conf: fail/sanitizer/bench as for variants, plus
      reason    = text every failing test's reason contains
      unchanged = files (from the top) that grading must not touch
      note      = text the lab's notes must contain
      slower    = seconds the grading may take at most
      whole     = yes: grade every task, not only those the files touch"""
    base = os.path.join(ROOT, "tests", "hostile")
    for h in sorted(os.listdir(base)):
        if not os.path.isdir(os.path.join(base, h)):
            continue
        case = f"hostile/{h}"
        if only and only not in case:
            continue
        conf = read_conf(os.path.join(base, h, "expect.conf"))
        lab = conf["lab"]
        guarded = conf.get("unchanged", "").split()
        before = {p: open(os.path.join(ROOT, p), "rb").read() for p in guarded}
        src = overlay(case.replace("/", "-"), lab, os.path.join(base, h, lab))
        if "wrap" in conf:
            wrap_solution(src, lab, conf, os.path.join(base, h))
        # Grade the tasks the submission touches, unless the point is
        # what happens to the others (whole = yes).
        tasks = set(affected_tasks(lab, os.path.join(base, h, lab)))
        tasks |= {t for t, files in task_files(lab).items() if conf.get("file") in files}
        if conf.get("whole") == "yes":
            tasks = set()
        r = grade(case.replace("/", "-"), lab, src=src, extra=(
            *bench_flags(conf), *(("--task", ",".join(sorted(tasks))) if tasks else ())))
        if not r:
            continue
        ok = compare_failures(case, r, conf)
        want = conf.get("reason")
        for pid, names in failing(r).items():
            for n in names:
                reason = reason_of(r, pid, n)
                # Under a sanitizer, the sanitizer may speak first.
                if want and want not in reason and not (
                        kind_of(r, pid) == "sanitizer" and "Sanitizer" in reason):
                    ok = False
                    fail(case, f"{pid} {n}: reason {reason!r} lacks {want!r}")
        for p in guarded:
            if open(os.path.join(ROOT, p), "rb").read() != before[p]:
                ok = False
                fail(case, f"{p} was changed by the submission")
        if "note" in conf and conf["note"] not in (r["labs"][0]["notes"] or "") + \
                "".join(t["notes"] or "" for _, _, t in tests_of(r)):
            ok = False
            fail(case, f"no note {conf['note']!r}")
        left = leftovers(os.path.join(WORK, "build", case.replace("/", "-")))
        if conf.get("leftovers") == "none" and left:
            ok = False
            fail(case, f"processes left running after grading: {left}")
        if "slower" in conf and r["_seconds"] > float(conf["slower"]):
            ok = False
            fail(case, f"grading took {r['_seconds']:.1f} s > {conf['slower']} s")
        if ok:
            say(f"  ok   {case}: {conf.get('why', '')} ({r['_seconds']:.1f} s)")


def check_formats(lab):
    """Every report format parses and carries what its consumers need."""
    case = f"{lab}/formats"
    src = overlay("formats", lab, os.path.join(ROOT, "tests", "hostile", "flood", lab))
    gs = grade("formats-gs", lab, src=src, fmt="gradescope", extra=("--no-bench",))
    ju = grade("formats-junit", lab, src=src, fmt="junit", extra=("--no-bench",))
    if not gs or not ju:
        return
    with open(gs, encoding="utf-8") as f:
        r = json.load(f)
    if not isinstance(r.get("score"), (int, float)) or not r.get("tests"):
        fail(case, "results.json lacks score or tests")
    for t in r["tests"]:
        for field in ("name", "score", "max_score", "output"):
            if field not in t:
                fail(case, f"results.json test lacks {field}: {t.get('name')}")
                return
        # Extra credit is a test with max_score 0 and a positive score.
        if t["max_score"] > 0 and t["score"] > t["max_score"] + 1e-9:
            fail(case, f"{t['name']}: score above max_score")
    extra = sum(t["score"] for t in r["tests"] if t["max_score"] == 0)
    if r["score"] > sum(t["max_score"] for t in r["tests"]) + extra + 1e-6:
        fail(case, "total above the maximum")
    p = subprocess.run(["xmllint", "--noout", ju], capture_output=True)
    if p.returncode != 0:
        fail(case, f"xmllint: {p.stderr.decode()[:300]}")
    xml.dom.minidom.parse(ju)
    say(f"  ok   {case}: results.json has score and {len(r['tests'])} tests "
        "with name/score/max_score/output; JUnit XML passes xmllint")


def main():
    if os.path.isdir(WORK):
        shutil.rmtree(WORK)
    for lab in labs():
        say(f"{lab}:")
        if not only or only in f"{lab}/solution":
            check_solution(lab)
        if not only or only in f"{lab}/skeleton":
            check_skeleton(lab)
        check_variants(lab)
        if not only or only in f"{lab}/formats":
            check_formats(lab)
    say("hostile submissions:")
    check_hostile()
    if failures:
        say(f"\n{len(failures)} problem(s):")
        for f in failures:
            say(f"  {f}")
        sys.exit(1)
    say("\nall self-tests passed")


if __name__ == "__main__":
    main()
