// Deno and Bun: runs the smoke suite against the installed package; exits non-zero on failure.
import * as api from 'dialnexa-verify';
import { runSmoke } from './smoke.js';

const runtime = typeof Deno !== 'undefined' ? `deno ${Deno.version.deno}` : typeof Bun !== 'undefined' ? `bun ${Bun.version}` : 'node';
const { failed, lines } = await runSmoke(api, runtime);
console.log(lines.join('\n'));
if (failed > 0) {
  if (typeof Deno !== 'undefined') Deno.exit(1);
  process.exit(1);
}
