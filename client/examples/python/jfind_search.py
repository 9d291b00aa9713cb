#!/usr/bin/python3
"""Searches the jfind daemon over its Unix socket with grpcio.

    PYTHONPATH=GEN python3 jfind_search.py [--socket PATH] PATTERN...

GEN holds the stubs generated from proto/src/main/proto (see README.md). Prints every
matching path to stdout as the raw bytes the daemon sent, one per line, then the daemon's
status (GetStatus) to stderr, so stdout holds only paths.
"""

import argparse
import os
import sys

import grpc

from jfind.v1 import jfind_pb2
from jfind.v1 import jfind_pb2_grpc


def default_socket():
    """Where jfind-client looks: $JFIND_SOCKET, then the daemon's default places."""
    if os.environ.get("JFIND_SOCKET"):
        return os.environ["JFIND_SOCKET"]
    candidates = []
    if os.environ.get("XDG_RUNTIME_DIR"):
        candidates.append(os.path.join(os.environ["XDG_RUNTIME_DIR"], "jfind", "jfind.sock"))
    state = os.environ.get("XDG_STATE_HOME") or os.path.expanduser("~/.local/state")
    candidates += [os.path.join(state, "jfind", "jfind.sock"), "/run/jfind/jfind.sock"]
    return next((c for c in candidates if os.path.exists(c)), candidates[0])


def main():
    parser = argparse.ArgumentParser(description="Search the jfind daemon.")
    parser.add_argument("--socket", default=None, help="the daemon's Unix socket")
    parser.add_argument("patterns", nargs="+", metavar="PATTERN",
                        help="a path matches when it contains every pattern ('' matches all)")
    args = parser.parse_args()
    socket = os.path.abspath(args.socket or default_socket())

    # Python decodes argv with surrogateescape; os.fsencode gives back the exact bytes
    # typed, so a pattern that is not valid UTF-8 still reaches the daemon unchanged.
    patterns = [os.fsencode(p) for p in args.patterns]
    out = sys.stdout.buffer
    # unix:///abs/path; the socket is plaintext and mode 0600 (only its owner may connect).
    with grpc.insecure_channel("unix://" + socket) as channel:
        jfind = jfind_pb2_grpc.JfindServiceStub(channel)
        try:
            for response in jfind.Search(jfind_pb2.SearchRequest(patterns=patterns)):
                for entry in response.entries:
                    out.write(entry.path + b"\n")  # bytes as on disk, UTF-8 or not
            out.flush()
            status = jfind.GetStatus(jfind_pb2.GetStatusRequest())
        except grpc.RpcError as e:
            print(f"jfind_search: {e.code().name}: {e.details()} (socket {socket})", file=sys.stderr)
            return 2
    print(f"state: {jfind_pb2.IndexState.Name(status.state)}\n"
          f"paths: {status.paths}\n"
          f"index_bytes: {status.index_bytes}\n"
          f"daemon_version: {status.daemon_version}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
