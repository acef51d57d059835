// Deno and Bun: runs the smoke suite and the hostile-input table against the installed package;
// exits non-zero on failure.
import { createRequire } from 'node:module';
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
// require() and import give one instance (Deno picks deno.js for import, and node.cjs must follow):
// a WebhookVerifier made through one is accepted by the other.
{
  const required = createRequire(import.meta.url)('dialnexa-verify');
  const secret = 'whsec_one_instance_check';
  const verifier = new api.WebhookVerifier(secret);
  const ok = required.WebhookVerifier === api.WebhookVerifier
    && required.verifyWebhook('{}', api.signWebhook('{}', secret), verifier) === true;
  console.log(`${ok ? 'ok' : 'FAILED'} - ${runtime}: require and import share one instance`);
  if (!ok) failed += 1;
}
if (failed > 0) {
  if (typeof Deno !== 'undefined') Deno.exit(1);
  process.exit(1);
}
