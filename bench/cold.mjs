// Cold start in Node: 15 fresh processes per body size, each importing the package and running
// its first verification. Usage: node cold.mjs <out.json> [--quick]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const quick = process.argv.includes('--quick');
const RUNS = quick ? 5 : 15;
const results = [];
for (const size of [1024, 1024 * 1024]) {
  const runs = [];
  for (let i = 0; i < RUNS; i += 1) {
    const run = JSON.parse(execFileSync(process.execPath, ['cold-child.mjs', 'package', String(size)], { encoding: 'utf8' }));
    if (!run.ok) throw new Error('cold verification failed');
    runs.push(run);
  }
  const median = (key) => runs.map((r) => r[key]).sort((a, b) => a - b)[runs.length >> 1];
  const total = runs.map((r) => r.importMs + r.firstVerifyMs).sort((a, b) => a - b);
  results.push({
    size,
    runs: RUNS,
    importMs: median('importMs'),
    firstVerifyMs: median('firstVerifyMs'),
    totalMs: total[RUNS >> 1],
    totalMinMs: total[0],
    totalMaxMs: total[RUNS - 1],
  });
}
const floor = [];
for (let i = 0; i < RUNS; i += 1) {
  floor.push(JSON.parse(execFileSync(process.execPath, ['cold-child.mjs', 'floor'], { encoding: 'utf8' })));
}
const floorMedian = (key) => floor.map((f) => f[key]).sort((a, b) => a - b)[RUNS >> 1];
writeFileSync(process.argv[2], JSON.stringify({
  runtime: `Node ${process.versions.node}`,
  results,
  compileOnlyMs: floorMedian('compileMs'),
  glueMs: floorMedian('glueMs'),
  instantiateMs: floorMedian('instantiateMs'),
}, null, 1));
