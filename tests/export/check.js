// Reads one of ember's JSON exports with the tools it is for and prints
// what it holds per function, for tests/export.sh to compare with go tool
// pprof:
//   node check.js json FILE        Pyroscope's FlamebearerProfileSchema
//                                  (@pyroscope/models) parses it, then its
//                                  decodeFlamebearer; prints "self<TAB>name"
//                                  (single) or "left<TAB>right<TAB>name"
//                                  (double), the selves summed per name
//   node check.js speedscope FILE  speedscope's own file-format-schema.json
//                                  (its npm package) through ajv; prints
//                                  "self<TAB>name", each sample's weight on
//                                  its leaf frame
// Every check of shape fails with a line on stderr and exit 1.
'use strict';
const fs = require('fs');
const path = require('path');

function die(msg) {
  process.stderr.write('check.js: ' + msg + '\n');
  process.exit(1);
}

function print(sums) {
  const rows = [...sums.entries()].filter(([, v]) => v.some((x) => x !== 0));
  rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [name, v] of rows) process.stdout.write(v.join('\t') + '\t' + name + '\n');
}

function add(sums, name, i, v, width) {
  if (!sums.has(name)) sums.set(name, new Array(width).fill(0));
  sums.get(name)[i] += v;
}

function flamebearer(file) {
  const models = require('@pyroscope/models');
  const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  const parsed = models.FlamebearerProfileSchema.safeParse(raw);
  if (!parsed.success) die(file + ': not a flamebearer profile: ' + parsed.error.message);
  const fb = models.decodeFlamebearer(parsed.data);
  const double = fb.metadata.format === 'double';
  const step = double ? 7 : 4;
  const sides = double ? 2 : 1;
  const names = fb.flamebearer.names;
  const sums = new Map();
  let prevLevel = null;
  fb.flamebearer.levels.forEach((level, d) => {
    if (level.length % step) die('level ' + d + ' has ' + level.length + ' values');
    for (let i = 0; i < level.length; i += step) {
      const name = names[level[i + step - 1]];
      if (name === undefined) die('level ' + d + ': name index out of range');
      for (let s = 0; s < sides; s++) {
        const x = level[i + 3 * s], total = level[i + 3 * s + 1], self = level[i + 3 * s + 2];
        if (self > total) die(name + ': self ' + self + ' > total ' + total);
        // every node lies within a node of the level above
        if (prevLevel && total > 0 && !prevLevel.some((p) => p[s][0] <= x && x + total <= p[s][0] + p[s][1]))
          die(name + ' (level ' + d + ') lies under no node of level ' + (d - 1));
        if (d > 0) add(sums, name, s, self, sides);
      }
    }
    const spans = [];
    for (let i = 0; i < level.length; i += step) {
      const sp = [];
      for (let s = 0; s < sides; s++) sp.push([level[i + 3 * s], level[i + 3 * s + 1]]);
      spans.push(sp);
    }
    prevLevel = spans;
  });
  const root = fb.flamebearer.levels[0];
  const ticks = double ? fb.leftTicks + fb.rightTicks : root[1];
  if (fb.flamebearer.numTicks !== ticks) die('numTicks ' + fb.flamebearer.numTicks + ' != ' + ticks);
  if (double && (fb.leftTicks !== root[1] || fb.rightTicks !== root[4])) die('leftTicks/rightTicks differ from the root');
  print(sums);
}

function speedscope(file) {
  const Ajv = require('ajv');
  const schemaPath = path.join(path.dirname(require.resolve('speedscope/package.json')),
    'dist', 'release', 'file-format-schema.json');
  const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false });
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!ajv.validate(schema, data)) die(file + ': ' + ajv.errorsText(ajv.errors));
  const frames = data.shared.frames;
  const width = data.profiles.length;
  const sums = new Map();
  data.profiles.forEach((p, s) => {
    if (p.type !== 'sampled') die('profile ' + s + ' is not sampled');
    if (p.samples.length !== p.weights.length) die('samples and weights differ in length');
    let sum = 0;
    p.samples.forEach((stack, i) => {
      stack.forEach((f) => { if (!(f >= 0 && f < frames.length)) die('frame ' + f + ' out of range'); });
      add(sums, frames[stack[stack.length - 1]].name, s, p.weights[i], width);
      sum += p.weights[i];
    });
    if (p.endValue - p.startValue !== sum) die('endValue - startValue ' + (p.endValue - p.startValue) + ' != ' + sum);
  });
  print(sums);
}

const [kind, file] = process.argv.slice(2);
if (kind === 'json') flamebearer(file);
else if (kind === 'speedscope') speedscope(file);
else die('usage: node check.js json|speedscope FILE');
