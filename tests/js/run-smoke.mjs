// Deno and Bun: runs the smoke suite and the hostile-input table against the installed package;
// exits non-zero on failure.
import * as api from 'dialnexa-verify';
import { runSmoke } from './smoke.js';
import { runHostile } from './hostile.js';
import { runDiagnose } from './diagnose.js';

const runtime = typeof Deno !== 'undefined' ? `deno ${Deno.version.deno}` : typeof Bun !== 'undefined' ? `bun ${Bun.version}` : 'node';
let failed = 0;
for (const run of [runSmoke, runHostile, runDiagnose]) {
  const report = await run(api, runtime);
  console.log(report.lines.join('\n'));
  failed += report.failed;
}
if (failed > 0) {
  if (typeof Deno !== 'undefined') Deno.exit(1);
  process.exit(1);
}
