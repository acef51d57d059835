// Entry of the esbuild bundle that browser.test.mjs loads: the package resolved with the
// `browser` condition, exactly as a bundled web app would get it (esbuild, Vite and webpack).
import * as api from 'dialnexa-verify';
import { runSmoke } from './smoke.js';
import { runHostile } from './hostile.js';
import { runDiagnose } from './diagnose.js';

const bundler = document.title || 'esbuild';
window.smokeReport = runSmoke(api, `chromium (${bundler} bundle)`);
window.diagnoseReport = window.smokeReport.then(() => runDiagnose(api, `chromium (${bundler} bundle)`));
window.hostileReport = window.diagnoseReport.then(() => runHostile(api, `chromium (${bundler} bundle)`));
