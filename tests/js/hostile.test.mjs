// The hostile-input table (hostile.js) against the packed package in Node, one test per row.
import { test } from 'node:test';
import * as api from 'dialnexa-verify';
import { hostileTests } from './hostile.js';

for (const { name, fn } of await hostileTests(api)) test(name, fn);
