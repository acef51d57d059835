// Runs a Worker in workerd (tests/js/workerd-serve.mjs bundles it as wrangler would) as its own
// process, so that the test captures workerd's output (console.log of the Worker) through this
// process's stdout. Usage: node serve-worker.mjs <entry> [<bindings as JSON>]
import { startWorker } from '../../../tests/js/workerd-serve.mjs';

const [entry, bindings = '{}'] = process.argv.slice(2);
const worker = await startWorker(entry, JSON.parse(bindings));
console.log(`listening on ${worker.base}`);
// Stops workerd and lets this process end once it has exited (and been reaped), not before.
process.on('SIGTERM', () => worker.stop());
process.on('SIGINT', () => worker.stop());
