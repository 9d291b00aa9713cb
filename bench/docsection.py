#!/usr/bin/env python3
"""Replaces one benchmark's section of docs/benchmarks.md (between its BEGIN/END markers),
or appends it: each benchmark keeps only its latest table there.

Usage: bench/docsection.py DOC NAME < SECTION   (SECTION includes the markers for NAME)
"""
import os
import re
import sys


def main() -> None:
    path, name = sys.argv[1], sys.argv[2]
    section = sys.stdin.read().strip("\n")
    text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
    pattern = re.compile(r"<!-- BEGIN %s -->.*?<!-- END %s -->" % (re.escape(name), re.escape(name)), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda m: section, text)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    with open(path, "w") as out:
        out.write(text)


if __name__ == "__main__":
    main()
