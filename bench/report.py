#!/usr/bin/env python3
"""Renders the results of bench/run.sh as a table; optionally writes it to docs/benchmarks.md.

Usage: report.py RUN_DIR [--docs FILE]
RUN_DIR holds results.txt (key=value lines), tree.json, updatedb.json and e2e.json
(hyperfine exports). The docs file keeps the latest section of each benchmark between
BEGIN/END markers; this replaces the section of bench/run.sh or appends it.
"""
import argparse
import json
import os
import re
import sys

BEGIN = "<!-- BEGIN bench/run.sh -->"
END = "<!-- END bench/run.sh -->"
DOCS_HEADER = """# Benchmarks

The latest figures of each benchmark under `bench/` (see `bench/README.md`). Each section is
rewritten by the benchmark that produces it; older figures live in git history.
"""


def load(run):
    r = {}
    with open(os.path.join(run, "results.txt"), encoding="utf-8") as f:
        for line in f:
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                r[k] = v
    with open(os.path.join(run, "tree.json"), encoding="utf-8") as f:
        tree = json.load(f)
    hf = {}
    for name in ("updatedb", "e2e"):
        with open(os.path.join(run, name + ".json"), encoding="utf-8") as f:
            for res in json.load(f)["results"]:
                key = "updatedb" if name == "updatedb" else res["command"]
                hf[key] = res
    return r, tree, hf


def lat(line):
    return {k: v for k, v in (kv.split("=", 1) for kv in line.split() if "=" in kv)}


def fmt_ratio(a, b):
    if a is None or b is None or b == 0:
        return "–"
    x = a / b
    return ("%.2f×" % x) if x < 10 else ("%.0f×" % x)


def build_rows(r, tree, hf):
    rows = []  # metric, jfind, peer, ratio, target, check

    def check(ok):
        return "met" if ok else "MISSED"

    paths = int(r["paths"])
    all_paths = int(r["all_paths"])
    rows.append(("Paths indexed", "{:,}".format(paths), "find: {:,}".format(all_paths), "–", "same",
                 "ok" if paths == all_paths else "MISMATCH"))
    ready = int(r["paths_ready"])
    rows.append(("Paths searchable when status first says ready", "{:,}".format(ready),
                 "find: {:,}".format(all_paths), "–", "same", "ok" if ready == all_paths else "MISMATCH"))

    crawl = float(r["crawl_s"])
    upd = hf["updatedb"]["median"]
    rows.append(("Full crawl+index, s (warm cache)", "%.1f" % crawl, "updatedb.plocate: %.1f" % upd,
                 fmt_ratio(crawl, upd), "≤ 2× updatedb", check(crawl <= 2 * upd)))
    rows.append(("jfindd start to ready (JVM + crawl + index), s", "%.1f" % float(r["start_to_ready_s"]),
                 "–", "–", "–", ""))

    bpp = int(r["index_bytes_end"]) / paths
    db_bpp = int(r["db_bytes"]) / paths
    rows.append(("Index on disk, bytes/path", "%.0f" % bpp, "plocate db: %.0f" % db_bpp,
                 fmt_ratio(bpp, db_bpp), "≤ 100", check(bpp <= 100)))

    rss = int(r["rss_ready_kb"]) / 1024
    rows.append(("Daemon RSS after indexing, MiB", "%.0f" % rss, "–", "–", "–", ""))
    rows.append(("Daemon RSS after the queries / peak, MiB",
                 "%.0f / %.0f" % (int(r["rss_end_kb"]) / 1024, int(r["hwm_kb"]) / 1024), "–", "–", "–", ""))

    for kind in ("selective", "medium", "broad"):
        l = lat(r["lat_" + kind])
        hits = int(l["hits"])
        label = "%s '%s' (%s hits), in-process" % (kind.capitalize(), r["pattern_" + kind], "{:,}".format(hits))
        p50 = float(l["median_ms"])
        p99 = float(l["p99_ms"])
        if kind == "selective":
            rows.append((label + " p50, ms", "%.2f" % p50, "–", "–", "≤ 2 ms", check(p50 <= 2)))
        else:
            rows.append((label + " p50, ms", "%.2f" % p50, "–", "–", "–", ""))
        rows.append((label + " p99, ms", "%.2f" % p99, "–", "–", "–", ""))

    sel = r["pattern_selective"]
    client = hf["jfind-client"]["median"] * 1000
    rows.append(("'%s' end to end: jfind-client vs JVM hello-world, ms" % sel, "%.0f" % client,
                 "java Hello (same flags): %.0f" % (hf["hello-jvm"]["median"] * 1000),
                 fmt_ratio(client, hf["hello-jvm"]["median"] * 1000), "≤ 300 ms", check(client <= 300)))
    for peer, label in (("find", "find -path '*P*'"), ("fdfind", "fdfind -u -s -F --full-path"),
                        ("plocate", "plocate -d DB")):
        t = hf[peer]["median"] * 1000
        rows.append(("'%s' end to end vs %s, ms" % (sel, peer), "%.0f" % client, "%s: %.0f" % (label, t),
                     fmt_ratio(client, t), "–", ""))

    for kind in ("selective", "medium", "broad"):
        j = int(r["count_jfind_" + kind])
        peers = [("find", int(r["count_find_" + kind])), ("fdfind", int(r["count_fd_" + kind])),
                 ("plocate", int(r["count_plocate_" + kind]))]
        bad = [n for n, c in peers if c != j]
        rows.append(("Matches '%s' (%s)" % (r["pattern_" + kind], kind), "{:,}".format(j),
                     " · ".join("%s {:,}".format(c) % n for n, c in peers), "–", "all equal",
                     "ok" if not bad else "MISMATCH: " + ", ".join(bad)))
    rows.append(("'%s' result set equals find's" % sel, r["selective_same"], "–", "–", "yes",
                 "ok" if r["selective_same"] == "yes" else "MISMATCH"))
    return rows


def table(rows):
    head = ("metric", "jfind", "peer", "ratio", "target", "check")
    widths = [max(len(str(x[i])) for x in rows + [head]) for i in range(len(head))]

    def line(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"

    out = [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in rows]
    return "\n".join(out)


def included(r):
    parts = [p for p, on in (("the build", r.get("built") == "1"),
                             ("generating the tree (%s s)" % r.get("generation_s"), r.get("generated") == "1")) if on]
    return ", including " + " and ".join(parts) if parts else ""


def section(r, tree, hf, tab):
    mem_gib = int(r["mem_kb"]) / 1024 / 1024
    minutes = int(r["elapsed_s"]) / 60
    depth = tree["file_depth_histogram"]
    e = tree["entries_per_directory"]
    return "\n".join([
        BEGIN,
        "## Core: crawl, index and search {:,} files (`bench/run.sh`)".format(int(r["files"])),
        "",
        "- Command: `%s` (from the repository root) on jfind `%s`. The whole run took %.0f min%s."
        % (r["command"], r.get("version", "?"), minutes, included(r)),
        "- Date: %s. Machine: %s CPUs (%s), %.1f GiB RAM, Linux %s, %s file system; load average after the run: %s."
        % (r["date"], r["nproc"], r["cpu"], mem_gib, r["kernel"], r["fs"], r["load"]),
        "- JDK: %s. jfindd JVM options: %s; crawl threads: %s." % (r["jdk"], r["jfindd_opts"], r["threads"]),
        "- Peers: %s; %s; %s; timed with %s." % (r["find_version"], r["fd_version"], r["plocate_version"],
                                                r["hyperfine_version"]),
        "- Tree (`bench/gentree.py`, seed {}): {:,} files in {:,} directories, {:,} paths; files by depth {}; "
        "entries per directory p50 {:,} / p90 {:,} / p99 {:,} / max {:,}; mean file path {} bytes.".format(
            r["seed"], tree["files"], tree["directories"], tree["paths"],
            ", ".join("%s: %s" % (k, "{:,}".format(v)) for k, v in depth.items()),
            e["p50"], e["p90"], e["p99"], e["max"], tree["mean_file_path_bytes"]),
        "",
        tab,
        "",
        "How to read it: every tool runs on the same tree with a warm page cache (the tree was just "
        "generated or walked). *Full crawl+index* is the daemon's own `last_crawl_seconds`; "
        "updatedb.plocate is the median of 3 runs. *Index on disk* is `index_bytes` over `paths` "
        "from `jfind-client status --json` after the queries (plocate: the database file); it grows "
        "with path length (mean given above). *Paths searchable when status first says ready* is "
        "`paths` in the first `status --json` that says ready. "
        "*In-process* latency is bench/QueryLatency.java: one gRPC connection, every result "
        "consumed, median and p99 of %s runs after at least %s warm-ups and %s s of them (a quarter "
        "of the runs for the broad pattern). *End to end* is the hyperfine median of %s runs of the whole command, output to "
        "/dev/null, after 2 warm-ups; jfind-client runs as launched, so with the class-data-sharing "
        "archive its first run leaves in ~/.cache/jfind. Figures come from one run: on a small or shared machine they are noisy."
        % (r["iterations"], r["warmup"], r["warmup_seconds"], r["runs"]),
        END,
    ]) + "\n"


def write_docs(path, text):
    old = ""
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            old = f.read()
    if BEGIN in old and END in old:
        new = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END) + "\n?", lambda m: text, old, count=1, flags=re.S)
    else:
        base = old if old.strip() else DOCS_HEADER
        new = base.rstrip("\n") + "\n\n" + text
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(new)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("run")
    ap.add_argument("--docs")
    args = ap.parse_args()
    r, tree, hf = load(args.run)
    rows = build_rows(r, tree, hf)
    tab = table(rows)
    print()
    print(tab)
    print()
    print("run took %.1f min%s; %s" % (int(r["elapsed_s"]) / 60, included(r), r["command"]))
    if args.docs:
        write_docs(args.docs, section(r, tree, hf, tab))
        print("wrote %s" % args.docs)
    bad = [row for row in rows if row[5].startswith("MISMATCH")]
    if bad:
        print("WARNING: counts or result sets differ: " + "; ".join(row[0] for row in bad), file=sys.stderr)


if __name__ == "__main__":
    main()
