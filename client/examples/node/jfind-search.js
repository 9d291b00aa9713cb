#!/usr/bin/env node
// Searches the jfind daemon over its Unix socket with @grpc/grpc-js, loading the API from
// the .proto at run time (@grpc/proto-loader): no generated code.
//
//   node jfind-search.js [--socket PATH] PATTERN...
//
// Prints every matching path to stdout as the raw bytes the daemon sent, one per line,
// then the daemon's status (GetStatus) to stderr, so stdout holds only paths.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

// The API as this checkout defines it. Elsewhere, point JFIND_PROTO_DIR at a copy of
// proto/src/main/proto.
const PROTO_DIR = process.env.JFIND_PROTO_DIR
    || path.join(__dirname, '..', '..', '..', 'proto', 'src', 'main', 'proto');

function usage(message) {
  process.stderr.write(`${message}\nusage: node jfind-search.js [--socket PATH] PATTERN...\n`);
  process.exit(2);
}

// Where jfind-client looks: --socket, $JFIND_SOCKET, then the daemon's default places.
function findSocket(explicit) {
  if (explicit) return explicit;
  if (process.env.JFIND_SOCKET) return process.env.JFIND_SOCKET;
  const candidates = [];
  if (process.env.XDG_RUNTIME_DIR) candidates.push(path.join(process.env.XDG_RUNTIME_DIR, 'jfind', 'jfind.sock'));
  const state = process.env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state');
  candidates.push(path.join(state, 'jfind', 'jfind.sock'), '/run/jfind/jfind.sock');
  return candidates.find((c) => fs.existsSync(c)) || candidates[0];
}

function parseArgs(argv) {
  let socket = null;
  const patterns = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--socket') {
      if (i + 1 >= argv.length) usage('--socket needs a path');
      socket = argv[++i];
    } else if (argv[i] === '--') {
      patterns.push(...argv.slice(i + 1));
      break;
    } else {
      patterns.push(argv[i]);
    }
  }
  if (patterns.length === 0) usage('give at least one pattern (\'\' matches every path)');
  return { socket: findSocket(socket), patterns };
}

function main() {
  const { socket, patterns } = parseArgs(process.argv.slice(2));
  const definition = protoLoader.loadSync('jfind/v1/jfind.proto', {
    includeDirs: [PROTO_DIR],
    keepCase: true, // field names as in the .proto: index_incomplete, not indexIncomplete
    longs: String, // int64 counts may exceed 2^53
    enums: String, // 'INDEX_STATE_READY' rather than 2
    defaults: true,
  });
  const { JfindService } = grpc.loadPackageDefinition(definition).jfind.v1;
  // An absolute path gives unix:///abs/path; the socket is plaintext, mode 0600.
  const client = new JfindService(`unix://${path.resolve(socket)}`, grpc.credentials.createInsecure());

  // Node's argv is already decoded as UTF-8, so patterns travel as their UTF-8 bytes; the
  // paths that come back are Buffers holding the name's bytes exactly, valid UTF-8 or not.
  const call = client.Search({ patterns: patterns.map((p) => Buffer.from(p, 'utf8')) });
  const newline = Buffer.from('\n');
  call.on('data', (response) => {
    const lines = [];
    for (const entry of response.entries) lines.push(entry.path, newline);
    if (lines.length > 0) process.stdout.write(Buffer.concat(lines));
  });
  let failed = false;
  call.on('error', (err) => {
    failed = true;
    process.stderr.write(`jfind-search: ${grpc.status[err.code]}: ${err.details} (socket ${socket})\n`);
    process.exitCode = 2;
    client.close();
  });
  call.on('end', () => {
    if (failed) return; // grpc-js ends the stream after an error too
    client.GetStatus({}, (err, status) => {
      if (err) {
        process.stderr.write(`jfind-search: GetStatus: ${grpc.status[err.code]}: ${err.details}\n`);
        process.exitCode = 2;
      } else {
        process.stderr.write(`state: ${status.state}\npaths: ${status.paths}\n`
            + `index_bytes: ${status.index_bytes}\ndaemon_version: ${status.daemon_version}\n`);
      }
      client.close();
    });
  });
}

if (require.main === module) main();

module.exports = { findSocket, PROTO_DIR };
