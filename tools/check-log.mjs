// Secret hygiene for log output: fails if a log file contains any 4-character fragment of the
// given secrets. Addresses of the form 127.0.0.1:<port> are masked first (a port number is not a
// secret, but its digits can look like one).
// Usage: node tools/check-log.mjs <log-file> <secret>...
import { readFileSync } from 'node:fs';

const [file, ...secrets] = process.argv.slice(2);
const text = readFileSync(file, 'utf8').replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>');
const leaks = [];
for (const secret of secrets) {
  for (let n = 4; n <= secret.length; n += 1) {
    for (let i = 0; i + n <= secret.length; i += 1) {
      if (text.includes(secret.slice(i, i + n))) leaks.push(secret.slice(i, i + n));
    }
  }
}
if (leaks.length > 0) {
  console.error(`${file}: contains fragments of a secret: ${[...new Set(leaks)].slice(0, 5).join(', ')}`);
  process.exit(1);
}
console.log(`${file}: ${text.split('\n').length} lines, no fragment of ${secrets.length} secrets`);
