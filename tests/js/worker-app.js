// Entry of the web-worker bundle that browser.test.mjs loads (webpack `--target webworker`): the
// package resolved with the `worker` condition, running inside a real dedicated Worker.
import * as api from 'dialnexa-verify';
import { runSmoke } from './smoke.js';
import { runHostile } from './hostile.js';
import { runDiagnose } from './diagnose.js';

const label = 'chromium (webpack webworker bundle, in a Worker)';
const smoke = await runSmoke(api, label);
const diagnose = await runDiagnose(api, label);
const hostile = await runHostile(api, label);
postMessage({ smoke, diagnose, hostile });
