// The documentation's code, as files that tests can run or type-check, so that a published
// example can never differ from a tested one.
//   node tools/doc-snippets.mjs types <out-dir>   every @example block of pkg-template/index.d.ts and
//                                                  pkg-template/integrations/*.d.ts, one .ts module each,
//                                                  for `tsc --strict` with @types/node
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  const files = ['pkg-template/index.d.ts', ...readdirSync('pkg-template/integrations').map((f) => `pkg-template/integrations/${f}`)];
  mkdirSync(out, { recursive: true });
  let count = 0;
  for (const file of files) {
    // TSDoc lines start with ` * `: strip that to get the example's own text.
    const docText = readFileSync(file, 'utf8').split('\n').map((line) => line.replace(/^\s*\* ?/, '')).join('\n');
    for (const { line, code } of fencedBlocks(docText, 'ts')) {
      count += 1;
      writeFileSync(join(out, `example-${String(count).padStart(2, '0')}.ts`), `// ${file}, the @example near line ${line}\nexport {};\n${code}\n`);
    }
  }
  console.log(`doc-snippets: ${count} @example blocks of ${files.length} type files written to ${out}`);
} else {
  console.error('usage: node tools/doc-snippets.mjs types <out-dir>');
  process.exit(2);
}
