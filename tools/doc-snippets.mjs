// The documentation's code, as files that tests can run or type-check, so that a published
// example can never differ from a tested one.
//   node tools/doc-snippets.mjs types <out-dir>   every @example block of pkg-template/index.d.ts,
//                                                  one .ts module each, for `tsc --strict` with @types/node
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [command, out] = process.argv.slice(2);

// The fenced blocks of `text` in `language`, each with the line it starts on.
function fencedBlocks(text, language) {
  const blocks = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const open = lines[i].trim();
    if (open !== '```' + language) continue;
    const indent = lines[i].indexOf('```');
    const body = [];
    let j = i + 1;
    for (; j < lines.length && lines[j].trim() !== '```'; j += 1) body.push(lines[j]);
    blocks.push({ line: i + 1, code: body.map((l) => l.slice(indent)).join('\n') });
    i = j;
  }
  return blocks;
}

if (command === 'types') {
  const source = readFileSync('pkg-template/index.d.ts', 'utf8');
  // TSDoc lines start with ` * `: strip that to get the example's own text.
  const docText = source.split('\n').map((line) => line.replace(/^\s*\* ?/, '')).join('\n');
  const blocks = fencedBlocks(docText, 'ts');
  mkdirSync(out, { recursive: true });
  for (const [i, { line, code }] of blocks.entries()) {
    writeFileSync(join(out, `example-${String(i + 1).padStart(2, '0')}.ts`), `// pkg-template/index.d.ts, the @example near line ${line}\nexport {};\n${code}\n`);
  }
  console.log(`doc-snippets: ${blocks.length} @example blocks of index.d.ts written to ${out}`);
} else {
  console.error('usage: node tools/doc-snippets.mjs types <out-dir>');
  process.exit(2);
}
