// Cold start in fresh Node processes, per Node version (20, 22 and 24 when their binaries are
// given): import (ESM) and require (CommonJS) of this package and of the baseline package (the
// code before the engine rewrite, bench/baseline/), each followed by one 1 KiB verification, and
// the spec's node:crypto snippet done cold in each module system, all interleaved round by round
// so that every contender sees the same machine. Medians of ROUNDS processes each.
// Usage: node cold.mjs <out.json> [--quick] [--node <binary>]...
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
// One cold start varies by a millisecond or more from process to process (quartiles of 4.4 and
// 5.6 ms around a 4.9 ms median on Node 24): 31 rounds, as 11 let import and require trade places
// between two runs.
const ROUNDS = quick ? 5 : 31;
const nodes = args.flatMap((arg, i) => (args[i - 1] === '--node' ? [arg] : []));
if (nodes.length === 0) nodes.push(process.execPath);

const CONTENDERS = [
  ['import', 'cold-child.mjs', ['package', 'dialnexa-verify']],
  ['require', 'cold-child.cjs', ['package', 'dialnexa-verify']],
  ['snippet (ESM)', 'cold-child.mjs', ['snippet']],
  ['snippet (CommonJS)', 'cold-child.cjs', ['snippet']],
  ['baseline import', 'cold-child.mjs', ['package', 'baseline']],
  ['baseline require', 'cold-child.cjs', ['package', 'baseline']],
  ['import, first body 1 MiB', 'cold-child.mjs', ['package', 'dialnexa-verify', String(1 << 20)]],
];

const median = (values) => values.slice().sort((a, b) => a - b)[values.length >> 1];
const versions = [];
for (const node of nodes) {
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const samples = CONTENDERS.map(() => []);
  const steps = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    for (let k = 0; k < CONTENDERS.length; k += 1) {
      const i = (k + round) % CONTENDERS.length;
      const [, file, childArgs] = CONTENDERS[i];
      const run = JSON.parse(execFileSync(node, [file, ...childArgs], { encoding: 'utf8' }));
      if (!run.ok) throw new Error(`${CONTENDERS[i][0]} gave a wrong answer`);
      samples[i].push(run.ms);
    }
    steps.push(JSON.parse(execFileSync(node, ['cold-child.mjs', 'steps', 'dialnexa-verify'], { encoding: 'utf8' })));
  }
  const result = { node: version, rounds: ROUNDS, medians: {}, steps: {} };
  CONTENDERS.forEach(([name], i) => { result.medians[name] = median(samples[i]); });
  for (const key of Object.keys(steps[0])) result.steps[key] = median(steps.map((s) => s[key]));
  versions.push(result);
  console.error(`cold start ${version}: ${Object.entries(result.medians).map(([k, v]) => `${k} ${v.toFixed(2)} ms`).join(', ')}`);
}
writeFileSync(args[0], JSON.stringify({ versions }, null, 1));
