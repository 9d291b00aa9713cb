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


# ---------------------------------------------------------------- hostile trees

PATH_MAX = 4096


def hostile_tree(root, big_dir_entries, depth):
    """Builds every hostile shape in one tree; returns the loop mount point, or None without root."""
    os.makedirs(root)
    big = os.path.join(root, "big")
    os.mkdir(big)
    for i in range(big_dir_entries):
        open(os.path.join(big, "entry-%06d" % i), "wb").close()
    # a chain of 2-byte names deep enough to pass PATH_MAX (os.mkdir/chdir go one step at a time)
    here = os.getcwd()
    os.chdir(root)
    for _ in range(depth):
        os.mkdir("dd")
        os.chdir("dd")
    open("bottom.txt", "wb").close()
    os.chdir(here)
    names = os.path.join(root, "bytes").encode()
    os.mkdir(names)
    every = bytes(b for b in range(1, 256) if b != ord("/"))
    for b in every:
        if b != ord("."):
            open(names + b"/" + bytes([b]), "wb").close()
    open(names + b"/" + every, "wb").close()
    special = os.path.join(root, "special")
    os.mkdir(special)
    os.mkfifo(os.path.join(special, "fifo"))
    s = socket.socket(socket.AF_UNIX)
    s.bind(os.path.join(special, "socket"))
    s.close()
    loop = None
    if os.geteuid() == 0:
        os.mknod(os.path.join(special, "null-device"), 0o600 | stat.S_IFCHR, os.makedev(1, 3))
        loop = os.path.join(root, "sub", "loop")
        os.makedirs(loop)
        if subprocess.run(["mount", "--bind", root, loop]).returncode != 0:
            loop = None
    return loop


def hostile(args, work):
    root = os.path.join(work, "hostile-tree")
    state = os.path.join(work, "hostile-state")
    sock = os.path.join(work, "hostile.sock")
    log = os.path.join(work, "hostile-jfindd.log")
    cleanup_hostile(root)
    shutil.rmtree(state, ignore_errors=True)
    loop = hostile_tree(root, args.big_dir, args.depth)
    try:
        t0 = time.monotonic()
        d = start(root, state, sock, log)
        ready = None
        while time.monotonic() - t0 < args.deadline:
            s = status(sock)
            if s is not None and s["state"] == "ready" and not s["crawl_running"]:
                ready = time.monotonic() - t0
                break
            time.sleep(0.5)
        s = status(sock)
        served = served_paths(sock) if s else set()
        d.stop()
        # What find lists, less what Java cannot open (below a directory past PATH_MAX; counted
        # as unreadable), plus the bind-mount loop's mount point (find warns and leaves it out;
        # jfind indexes it and does not enter it).
        truth = set(subprocess.run(["find", root, "-print0"], stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL).stdout.split(b"\0")) - {b""}
        beyond = {p for p in truth if len(p.rsplit(b"/", 1)[0]) >= PATH_MAX and p != root.encode()}
        expected = (truth - beyond) | ({loop.encode()} if loop else set())
        missing, extra = expected - served, served - expected
        return {"part": "hostile", "paths": len(truth), "ready_s": None if ready is None else round(ready, 1),
                "beyond_path_max": len(beyond), "unreadable_reported": s["unreadable_directories"] if s else None,
                "lost": len(missing), "stale": len(extra), "bind_loop": loop is not None,
                "failures": int(ready is None or bool(missing) or bool(extra)),
                "peak_mib": round(d.peak_kib / 1024, 1),
                "sample_missing": [p.decode(errors="replace")[-80:] for p in list(missing)[:3]]}
    finally:
        cleanup_hostile(root)


def cleanup_hostile(root):
    loop = os.path.join(root, "sub", "loop")
    if os.path.isdir(loop):  # a bind mount of the same file system: os.path.ismount cannot tell
        subprocess.run(["umount", loop], stderr=subprocess.DEVNULL)
    if os.path.exists(root):
        subprocess.run(["rm", "-rf", root])  # rm walks trees deeper than PATH_MAX


# ---------------------------------------------------------------- load

def heap_used_mib(pid):
    """Heap in use right after a full GC (jcmd), in MiB: what the daemon really holds."""
    subprocess.run(["jcmd", str(pid), "GC.run"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = subprocess.run(["jcmd", str(pid), "GC.heap_info"], stdout=subprocess.PIPE, text=True).stdout
    used = 0
    for line in out.splitlines():
        parts = line.split()
        if "used" in parts and ("generation" in line or "space" not in line):
            used += int(parts[parts.index("used") + 1].rstrip("K,"))
    return round(used / 1024, 1)


def load(args, work):
    tree = os.path.join(work, "load-tree")
    state = os.path.join(work, "load-state")
    sock = os.path.join(work, "load.sock")
    log = os.path.join(work, "load-jfindd.log")
    shutil.rmtree(tree, ignore_errors=True)
    shutil.rmtree(state, ignore_errors=True)
    if os.path.exists(log):
        os.remove(log)
    subprocess.run([sys.executable, os.path.join(REPO, "bench/gentree.py"), "--root", tree,
                    "--files", str(args.load_files)], check=True, stdout=subprocess.DEVNULL)
    d = start(tree, state, sock, log, java_opts="-Xss1m -XX:+UseSerialGC -Xmx256m")
    took, _, _ = converge(d, tree, args.deadline)
    if took is None:
        raise SystemExit("reliability: the load daemon did not converge")
    baseline = heap_used_mib(d.proc.pid)
    cp = "%s/client/target/jfind-client.jar:%s/client/target/lib/*" % (REPO, REPO)
    burst_dir = os.path.join(tree, "burst")
    os.makedirs(burst_dir)
    gen = subprocess.Popen(["java", "-Xmx1g", "-cp", cp, os.path.join(REPO, "bench/LoadTest.java"),
                            "--socket", sock, "--burst-dir", burst_dir, "--clients", str(args.clients),
                            "--results", str(args.results), "--stalled", str(args.stalled),
                            "--burst", str(args.load_burst), "--hold", "10"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    held = None
    for line in gen.stderr:
        sys.stderr.write(line)
        d.sample_memory()
        if "holding" in line:
            time.sleep(3)
            held = heap_used_mib(d.proc.pid)
    out = gen.stdout.read()
    gen.wait()
    alive = d.proc.poll() is None
    d.sample_memory()
    d.stop()
    with open(log, "rb") as f:
        oom = b"OutOfMemoryError" in f.read()
    result = json.loads(out.strip().splitlines()[-1]) if out.strip() else {}
    result.update({"part": "load", "paths": args.load_files, "heap_after_gc_idle_mib": baseline,
                   "heap_after_gc_stalled_mib": held, "oom": oom, "daemon_alive": alive,
                   "peak_mib": round(d.peak_kib / 1024, 1)})
    bad = (oom or not alive or gen.returncode != 0 or result.get("short_streams", 1) > 0
           or result.get("errors") or result.get("selective_p99_ms", 1e9) > 50)
    result["failures"] = int(bool(bad))
    shutil.rmtree(tree, ignore_errors=True)
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--files", type=int, default=50_000, help="files in the crash-trial tree")
    ap.add_argument("--trials", type=int, default=24)
    ap.add_argument("--burst-files", type=int, default=20_000)
    ap.add_argument("--deadline", type=int, default=180, help="seconds a restart has to converge to find")
    ap.add_argument("--answer-within", type=float, default=15.0,
                    help="seconds from a restart's exec to its first answer (JVM start included)")
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--parts", default="crash,hostile,load")
    ap.add_argument("--big-dir", type=int, default=200_000, help="entries in the hostile tree's big directory")
    ap.add_argument("--depth", type=int, default=2_000, help="nesting of the hostile tree's deep chain")
    ap.add_argument("--load-files", type=int, default=250_000)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--results", type=int, default=200_000)
    ap.add_argument("--stalled", type=int, default=8)
    ap.add_argument("--load-burst", type=int, default=50_000)
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
            shutil.rmtree(tree, ignore_errors=True)
        if "hostile" in args.parts:
            print(json.dumps(hostile(args, work)), flush=True)
        if "load" in args.parts:
            print(json.dumps(load(args, work)), flush=True)
    finally:
        for d in LIVE:
            if d.proc.poll() is None:
                d.proc.kill()
                d.proc.wait()


if __name__ == "__main__":
    main()
