#!/usr/bin/env node
// Follows a search on the jfind daemon: the current matches, then changes as they happen.
//
//   node jfind-follow.js [--socket PATH] [--max-changes N] PATTERN...
//
// Prints one line per event: "= PATH" (matched when the follow started), "+ PATH" (started to
// match), "- PATH" (stopped matching), paths as the raw bytes the daemon sent. Runs until
// interrupted, or until N changes (+ or -) have been printed with --max-changes.
'use strict';

const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const { findSocket, PROTO_DIR } = require('./jfind-search.js');

const MARKS = {
  FOLLOW_EVENT_KIND_EXISTING: '= ',
  FOLLOW_EVENT_KIND_ADDED: '+ ',
  FOLLOW_EVENT_KIND_REMOVED: '- ',
};

function main() {
  const argv = process.argv.slice(2);
  let socket = null;
  let maxChanges = 0;
  const patterns = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--socket') socket = argv[++i];
    else if (argv[i] === '--max-changes') maxChanges = Number(argv[++i]);
    else patterns.push(argv[i]);
  }
  if (patterns.length === 0) {
    process.stderr.write('usage: node jfind-follow.js [--socket PATH] [--max-changes N] PATTERN...\n');
    process.exit(2);
  }
  socket = findSocket(socket);
  const definition = protoLoader.loadSync('jfind/v1/jfind.proto', {
    includeDirs: [PROTO_DIR], keepCase: true, longs: String, enums: String, defaults: true,
  });
  const { JfindService } = grpc.loadPackageDefinition(definition).jfind.v1;
  const client = new JfindService(`unix://${path.resolve(socket)}`, grpc.credentials.createInsecure());
  const call = client.Follow({
    search: { patterns: patterns.map((p) => Buffer.from(p, 'utf8')) },
    include_removals: true,
  });
  let changes = 0;
  let done = false;
  call.on('data', (response) => {
    const lines = [];
    for (const event of response.events) {
      lines.push(Buffer.from(MARKS[event.kind]), event.entry.path, Buffer.from('\n'));
      if (event.kind !== 'FOLLOW_EVENT_KIND_EXISTING') changes++;
    }
    if (lines.length > 0) process.stdout.write(Buffer.concat(lines));
    if (response.caught_up) process.stderr.write('jfind-follow: caught up; following changes\n');
    if (maxChanges > 0 && changes >= maxChanges && !done) {
      done = true;
      call.cancel(); // ends the call on the daemon too
      client.close();
    }
  });
  call.on('error', (err) => {
    if (done && err.code === grpc.status.CANCELLED) return;
    process.stderr.write(`jfind-follow: ${grpc.status[err.code]}: ${err.details} (socket ${socket})\n`);
    process.exitCode = 2;
    client.close();
  });
}

main();
