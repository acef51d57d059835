// The documentation's code, as files that tests can run or type-check, so that a published
// example can never differ from a tested one.
//   node tools/doc-snippets.mjs types <out-dir>   every @example block of pkg-template/index.d.ts and
//                                                  pkg-template/integrations/*.d.ts, one .ts module each,
//                                                  for `tsc --strict` with @types/node
//   node tools/doc-snippets.mjs readme [--write]   every code block of the READMEs that follows a
//                                                  `<!-- snippet: FILE#NAME -->` line must be, exactly,
//                                                  the `// #region NAME` … `// #endregion` of FILE (a
//                                                  tested example or test), dedented; --write updates
//                                                  the READMEs from their sources. Every js block of
//                                                  pkg-template/README.md must have such a line.
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
} else if (command === 'readme') {
  const write = process.argv.includes('--write');
  const problems = [];
  let checked = 0;
  for (const readme of ['pkg-template/README.md', 'README.md']) {
    const lines = readFileSync(readme, 'utf8').split('\n');
    let changed = false;
    for (let i = 0; i < lines.length; i += 1) {
      const marker = /^<!-- snippet: (\S+)#(\S+) -->$/.exec(lines[i]);
      const fence = lines[i].trim();
      if (!marker) {
        if (readme.startsWith('pkg-template') && fence === '```js' && !/^<!-- snippet: /.test(lines[i - 1] ?? '')) {
          problems.push(`${readme}:${i + 1}: a js block with no <!-- snippet: FILE#NAME --> line before it`);
        }
        continue;
      }
      const [, file, name] = marker;
      if (lines[i + 1] !== '```js') {
        problems.push(`${readme}:${i + 1}: the snippet line must be followed by a \`\`\`js block`);
        continue;
      }
      const source = readFileSync(file, 'utf8').split('\n');
      const start = source.findIndex((l) => l.trim() === `// #region ${name}`);
      const end = source.findIndex((l, k) => k > start && l.trim() === '// #endregion');
      if (start < 0 || end < 0) {
        problems.push(`${readme}:${i + 1}: ${file} has no region ${name}`);
        continue;
      }
      const region = source.slice(start + 1, end);
      const indent = Math.min(...region.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
      const expected = region.map((l) => l.slice(indent));
      const close = lines.indexOf('```', i + 2);
      const actual = lines.slice(i + 2, close);
      checked += 1;
      if (actual.join('\n') !== expected.join('\n')) {
        if (write) {
          lines.splice(i + 2, close - (i + 2), ...expected);
          changed = true;
        } else {
          problems.push(`${readme}:${i + 1}: differs from ${file}#${name} (node tools/doc-snippets.mjs readme --write)`);
        }
      }
    }
    if (changed) writeFileSync(readme, lines.join('\n'));
  }
  for (const problem of problems) console.error(problem);
  console.log(`doc-snippets: ${checked} README snippets ${write ? 'written from' : 'match'} their tested sources${problems.length ? `; ${problems.length} problems` : ''}`);
  if (problems.length > 0) process.exit(1);
} else {
  console.error('usage: node tools/doc-snippets.mjs types <out-dir> | readme [--write]');
  process.exit(2);
}
