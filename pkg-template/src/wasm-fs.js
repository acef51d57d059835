// Node and Bun: reads the .wasm beside this file and instantiates it synchronously.
import { readFileSync } from 'node:fs';
import * as glue from './dialnexa_verify.js';

glue.initSync({ module: readFileSync(new URL('./dialnexa_verify_bg.wasm', import.meta.url)) });
export const wasm = glue;
