// Writes node-wall.pb.gz (wall-time profile with labels) and node-heap.pb
// (raw, uncompressed heap profile) using @datadog/pprof, into the directory
// given as the only argument (default "..", i.e. tests/data).
//
//   cd tests/data/node && npm install && node gen.js ..
'use strict';
const fs = require('fs');
const path = require('path');
const pprof = require('@datadog/pprof');

const outDir = process.argv[2] || '..';

function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

class Parser {
  constructor(text) {
    this.text = text;
  }
  countWords() {
    let n = 0;
    for (const w of this.text.split(/\s+/)) {
      if (w.length > 3) n++;
    }
    return n;
  }
}

function buildText(words) {
  const parts = [];
  for (let i = 0; i < words; i++) parts.push('word' + (i % 97));
  return parts.join(' ');
}

const retained = [];

function allocateObjects(n) {
  for (let i = 0; i < n; i++) retained.push({ id: i, name: 'obj' + i, tags: [i, i + 1] });
}

function allocateBuffers(n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(new Array(256).fill(i));
  return out;
}

function busyFor(ms, kind) {
  const end = Date.now() + ms;
  let acc = 0;
  while (Date.now() < end) {
    if (kind === 0) {
      acc += fib(20);
    } else {
      acc += new Parser(buildText(2000)).countWords();
    }
  }
  return acc;
}

async function main() {
  // Heap sampling from the start so the heap profile sees our allocations.
  pprof.heap.start(4 * 1024, 64);

  pprof.time.start({ intervalMicros: 1000, withContexts: true });
  let sink = 0;
  for (let round = 0; round < 6; round++) {
    for (const [region, kind] of [['eu-north', 0], ['us-east', 1]]) {
      pprof.time.setContext({ region, worker: kind === 0 ? 'a' : 'b' });
      sink += busyFor(100, kind);
    }
    allocateObjects(2000);
    retained.push(allocateBuffers(50));
  }
  pprof.time.setContext({});
  const wall = pprof.time.stop(false, ({ context }) => {
    const labels = {};
    if (context && context.context) {
      for (const [k, v] of Object.entries(context.context)) labels[k] = v;
    }
    return labels;
  });
  fs.writeFileSync(path.join(outDir, 'node-wall.pb.gz'), await pprof.encode(wall));

  const heap = pprof.heap.profile();
  pprof.heap.stop();
  fs.writeFileSync(path.join(outDir, 'node-heap.pb'), heap.encode());
  console.log('gen.js: wrote', outDir, 'sink', sink % 10, 'retained', retained.length);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
