// Writes node-wall-1.pb.gz and node-wall-2.pb.gz, two wall-time profiles
// of one Node.js process (the second spends more in the parser and less
// in fib), for ember's --base tests. Uses tests/data/node's pinned
// @datadog/pprof:
//   cd tests/data/node && npm install && NODE_PATH=$PWD/node_modules node ../base/gen/node.js ..
'use strict';
const fs = require('fs');
const path = require('path');
const pprof = require('@datadog/pprof');

const outDir = process.argv[2] || '..';

function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

function countWords(words) {
  const parts = [];
  for (let i = 0; i < words; i++) parts.push('word' + (i % 97));
  let n = 0;
  for (const w of parts.join(' ').split(/\s+/)) if (w.length > 3) n++;
  return n;
}

function busyFor(ms, kind) {
  const end = Date.now() + ms;
  let acc = 0;
  while (Date.now() < end) acc += kind === 0 ? fib(20) : countWords(2000);
  return acc;
}

async function profile(name, fibMs, parseMs) {
  pprof.time.start({ intervalMicros: 1000 });
  let sink = 0;
  for (let round = 0; round < 5; round++) {
    sink += busyFor(fibMs, 0);
    sink += busyFor(parseMs, 1);
  }
  const wall = pprof.time.stop(false);
  fs.writeFileSync(path.join(outDir, name), await pprof.encode(wall));
  return sink;
}

async function main() {
  let sink = await profile('node-wall-1.pb.gz', 150, 50);
  sink += await profile('node-wall-2.pb.gz', 50, 150);
  console.log('node.js: wrote', outDir, 'sink', sink % 10);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
