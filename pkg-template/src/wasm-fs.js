// Node and Bun: reads the .wasm beside this file and instantiates it synchronously.
import { readFileSync } from 'node:fs';
import * as glue from './dialnexa_verify.js';

const module = readFileSync(new URL('./dialnexa_verify_bg.wasm', import.meta.url));
export const wasm = { ...glue, memory: glue.initSync({ module }).memory };
