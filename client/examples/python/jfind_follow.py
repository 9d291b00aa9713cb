#!/usr/bin/python3
"""Follows a search on the jfind daemon: the current matches, then changes as they happen.

    PYTHONPATH=GEN python3 jfind_follow.py [--socket PATH] [--max-changes N] PATTERN...

Prints one line per event to stdout: "= PATH" for a path that matched when the follow
started, "+ PATH" for one that started to match, "- PATH" for one that stopped matching
(paths are the raw bytes the daemon sent). Runs until interrupted, or until N changes
(+ or -) have been printed with --max-changes.
"""

import argparse
import os
import sys

import grpc

from jfind.v1 import jfind_pb2
from jfind.v1 import jfind_pb2_grpc
from jfind_search import default_socket

MARKS = {
    jfind_pb2.FOLLOW_EVENT_KIND_EXISTING: b"= ",
    jfind_pb2.FOLLOW_EVENT_KIND_ADDED: b"+ ",
    jfind_pb2.FOLLOW_EVENT_KIND_REMOVED: b"- ",
}


def main():
    parser = argparse.ArgumentParser(description="Follow a search on the jfind daemon.")
    parser.add_argument("--socket", default=None, help="the daemon's Unix socket")
    parser.add_argument("--max-changes", type=int, default=0, help="stop after N changes (0: never)")
    parser.add_argument("patterns", nargs="+", metavar="PATTERN",
                        help="a path matches when it contains every pattern")
    args = parser.parse_args()
    socket = os.path.abspath(args.socket or default_socket())
    request = jfind_pb2.FollowRequest(
        search=jfind_pb2.SearchRequest(patterns=[os.fsencode(p) for p in args.patterns]),
        include_removals=True)
    out = sys.stdout.buffer
    changes = 0
    with grpc.insecure_channel("unix://" + socket) as channel:
        call = jfind_pb2_grpc.JfindServiceStub(channel).Follow(request)
        try:
            for response in call:
                for event in response.events:
                    out.write(MARKS[event.kind] + event.entry.path + b"\n")
                    if event.kind != jfind_pb2.FOLLOW_EVENT_KIND_EXISTING:
                        changes += 1
                if response.caught_up:
                    print("jfind_follow: caught up; following changes", file=sys.stderr)
                out.flush()
                if args.max_changes and changes >= args.max_changes:
                    call.cancel()  # ends the call on the daemon too
                    return 0
        except grpc.RpcError as e:
            print(f"jfind_follow: {e.code().name}: {e.details()} (socket {socket})", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
