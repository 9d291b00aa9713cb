#!/usr/bin/env python3
"""Reliability trials for jfindd: kill -9 at random moments, hostile trees, load.

Run through bench/reliability.sh (which builds first); see bench/README.md. Every part
starts the real daemon through deploy/bin/jfindd on trees in --work and compares what it
serves with find(1). Prints one JSON object per part on stdout (the shell script turns
them into the table); progress goes to stderr.
"""
import argparse
import json
import os
import random
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JFINDD = os.path.join(REPO, "deploy/bin/jfindd")
CLIENT = os.path.join(REPO, "deploy/bin/jfind-client")


def say(msg):
    print("reliability: " + msg, file=sys.stderr, flush=True)


class Daemon:
    """One jfindd process; its log is kept (appended) in the state directory's parent."""

    def __init__(self, root, state, sock, log, extra=(), java_opts=None):
        env = dict(os.environ)
        if java_opts:
            env["JFINDD_JAVA_OPTS"] = java_opts
        self.sock = sock
        self.log_path = log
        self.log = open(log, "ab")
        self.proc = subprocess.Popen([JFINDD, "--root", root, "--state-dir", state, "--socket", sock, *extra],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env)
        self.peak_kib = 0

    def sample_memory(self):
        """Peak RSS so far (VmHWM), read from /proc while the process lives."""
        try:
            with open("/proc/%d/status" % self.proc.pid) as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        self.peak_kib = max(self.peak_kib, int(line.split()[1]))
        except (FileNotFoundError, ProcessLookupError):
            pass
        return self.peak_kib

    def kill9(self):
        self.sample_memory()
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.log.close()

    def stop(self):
        if self.proc.poll() is None:
            self.sample_memory()
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


LIVE = []  # every daemon started, so that a failure or Ctrl-C never leaves one running


def start(*args, **kwargs):
    d = Daemon(*args, **kwargs)
    LIVE.append(d)
    return d


def client(sock, *args, timeout=120):
    return subprocess.run([CLIENT, "--socket", sock, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=timeout)


def status(sock):
    r = client(sock, "status", "--json", timeout=30)
    if r.returncode != 0:
        return None
    return json.loads(r.stdout)


def wait_answering(daemon, deadline_s):
    """Seconds from now until the daemon answers a search (exit 0 or 1, not 2), or None."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < deadline_s:
        if daemon.proc.poll() is not None:
            return None
        if os.path.exists(daemon.sock) and client(daemon.sock, "-c", "quokka").returncode in (0, 1):
            return time.monotonic() - t0
        time.sleep(0.05)
    return None


def find_paths(root):
    out = subprocess.run(["find", root, "-print0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    return set(p for p in out.split(b"\0") if p)


def served_paths(sock):
    r = client(sock, "-0", "", timeout=300)
    if r.returncode not in (0, 1):
        raise RuntimeError("search failed: " + r.stderr.decode(errors="replace"))
    return set(p for p in r.stdout.split(b"\0") if p)


def converge(daemon, root, deadline_s):
    """Waits (with a deadline) until the daemon is ready, idle and serves exactly what find lists.

    Returns (seconds or None, paths find lists that are missing, paths served that find does not list).
    """
    t0 = time.monotonic()
    missing, extra = set(), set()
    while time.monotonic() - t0 < deadline_s:
        daemon.sample_memory()
        s = status(daemon.sock)
        idle = (s is not None and s["state"] == "ready" and not s["crawl_running"]
                and s.get("pending_events", 0) == 0)
        if idle:
            truth = find_paths(root)
            served = served_paths(daemon.sock)
            missing, extra = truth - served, served - truth
            if not missing and not extra:
                return time.monotonic() - t0, missing, extra
        time.sleep(0.5)
    return None, missing, extra


def moved_aside(log_path):
    with open(log_path, "rb") as f:
        return b"moved it to" in f.read()


# ---------------------------------------------------------------- crash trials

class Burst(threading.Thread):
    """Changes the tree as fast as it can: a new directory of files, the one before renamed,
    the one before that deleted, a directory replaced by a file."""

    def __init__(self, root, trial, files):
        super().__init__(daemon=True)
        self.root, self.trial, self.files = root, trial, files

    def run(self):
        base = os.path.join(self.root, "burst")
        os.makedirs(base, exist_ok=True)
        new = os.path.join(base, "b%d" % self.trial)
        for d in range(20):
            os.makedirs(os.path.join(new, "d%02d" % d), exist_ok=True)
        for i in range(self.files):
            open(os.path.join(new, "d%02d" % (i % 20), "f%06d.txt" % i), "wb").close()
        prev = os.path.join(base, "b%d" % (self.trial - 1))
        if os.path.isdir(prev):
            os.rename(prev, prev + "-moved")
            victim = os.path.join(prev + "-moved", "d00")
            shutil.rmtree(victim)
            open(victim, "wb").close()  # a directory replaced by a file
        older = os.path.join(base, "b%d-moved" % (self.trial - 2))
        if os.path.isdir(older):
            shutil.rmtree(older)


def crash_trials(args, work, tree):
    rng = random.Random(args.seed)
    state = os.path.join(work, "crash-state")
    sock = os.path.join(work, "crash.sock")
    log = os.path.join(work, "crash-jfindd.log")
    shutil.rmtree(state, ignore_errors=True)
    if os.path.exists(log):
        os.remove(log)

    # Calibrate: how long a first crawl of this tree takes, so kills land inside it.
    t0 = time.monotonic()
    d = start(tree, state, sock, log)
    took, _, _ = converge(d, tree, args.deadline)
    first_crawl = time.monotonic() - t0
    d.stop()
    if took is None:
        raise SystemExit("reliability: the calibration run did not converge to find")
    say("calibration: start to converged in %.1f s" % first_crawl)

    results = []
    peak = d.peak_kib
    for trial in range(args.trials):
        kind = "first-crawl" if trial % 2 == 0 else "live-burst"
        if kind == "first-crawl":
            shutil.rmtree(state, ignore_errors=True)
            d = start(tree, state, sock, log)
            delay = rng.uniform(0.3, max(0.5, first_crawl))
            time.sleep(delay)
            d.kill9()
        else:
            d = start(tree, state, sock, log)
            if wait_answering(d, 60) is None:
                raise SystemExit("reliability: daemon did not answer before the burst")
            burst = Burst(tree, trial, args.burst_files)
            burst.start()
            delay = rng.uniform(0.0, 3.0)
            time.sleep(delay)
            d.kill9()
            burst.join()
        peak = max(peak, d.peak_kib)
        # Restart on what the killed daemon left, as a service manager would.
        d = start(tree, state, sock, log)
        answer = wait_answering(d, 30)
        took, missing, extra = converge(d, tree, args.deadline)
        peak = max(peak, d.sample_memory())
        d.stop()
        failure = []
        if answer is None or answer > args.answer_within:
            failure.append("no answer within %.0f s" % args.answer_within)
        if took is None:
            failure.append("did not converge in %d s (%d missing, %d stale)" % (args.deadline, len(missing), len(extra)))
        if moved_aside(log):
            failure.append("index was moved aside")
        results.append({"trial": trial, "kind": kind, "kill_after_s": round(delay, 2),
                        "answer_s": None if answer is None else round(answer, 2),
                        "converge_s": None if took is None else round(took, 1),
                        "lost": len(missing), "stale": len(extra), "failure": "; ".join(failure)})
        say("trial %d (%s, kill after %.2f s): answered in %s s, converged in %s s%s" % (
            trial, kind, delay, results[-1]["answer_s"], results[-1]["converge_s"],
            " FAILED: " + results[-1]["failure"] if failure else ""))
    return {"part": "crash", "trials": len(results),
            "failures": sum(1 for r in results if r["failure"]),
            "lost": sum(r["lost"] for r in results), "stale": sum(r["stale"] for r in results),
            "peak_mib": round(peak / 1024, 1),
            "max_answer_s": max((r["answer_s"] or 0) for r in results),
            "max_converge_s": max((r["converge_s"] or 0) for r in results),
            "first_crawl_s": round(first_crawl, 1), "details": results}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--files", type=int, default=50_000, help="files in the crash-trial tree")
    ap.add_argument("--trials", type=int, default=24)
    ap.add_argument("--burst-files", type=int, default=20_000)
    ap.add_argument("--deadline", type=int, default=180, help="seconds a restart has to converge to find")
    ap.add_argument("--answer-within", type=float, default=5.0, help="seconds a restart has to answer a search")
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--parts", default="crash")
    args = ap.parse_args()
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    try:
        if "crash" in args.parts:
            tree = os.path.join(work, "crash-tree")
            shutil.rmtree(tree, ignore_errors=True)
            subprocess.run([sys.executable, os.path.join(REPO, "bench/gentree.py"), "--root", tree,
                            "--files", str(args.files)], check=True, stdout=subprocess.DEVNULL)
            print(json.dumps(crash_trials(args, work, tree)), flush=True)
    finally:
        for d in LIVE:
            if d.proc.poll() is None:
                d.proc.kill()
                d.proc.wait()


if __name__ == "__main__":
    main()
