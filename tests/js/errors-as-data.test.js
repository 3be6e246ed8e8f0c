// Code decides what went wrong from an error's fields (kind, code,
// layerIndex, option, epoch, batch, value), never from its message: a
// reworded message must not change what the page or the package does. This
// scans every source file of bindings/ and web/ (and the engine's C++ for
// what() searches) for code that reads message text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { root } from '../support/paths.js';

// Build outputs (the page's bundle) repeat the sources they are made from.
const BUILT = new Set([join(root, 'web', 'build')]);

function sources(dir, exts) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (BUILT.has(path)) continue;
    if (statSync(path).isDirectory()) out.push(...sources(path, exts));
    else if (exts.some((e) => name.endsWith(e))) out.push(path);
  }
  return out;
}

const stripComment = (line) => line.replace(/^\s*(\/\/|\*|\/\*).*$/, '').replace(/\s\/\/\s.*$/, '');

/** The lines of `text` that read an error's message to decide something. */
export function messageReaders(text) {
  const lines = text.split('\n').map(stripComment);
  // names that hold a message: message, msg.message, and variables assigned from one
  const names = new Set(['message', 'what\\(\\)']);
  for (const line of lines) {
    const m = /(?:const|let|var)\s+(\w+)\s*=\s*[^;]*\.message\b/.exec(line);
    if (m) names.add(m[1]);
  }
  const held = [...names].join('|');
  const patterns = [
    // /re/.test(e.message), re.exec(message), /re/.test(String(e))
    new RegExp(String.raw`\.(test|exec)\(\s*[\w?.()\s]*\b(${held})\b`),
    new RegExp(String.raw`\.(test|exec)\(\s*String\(\s*(e|err|error)\s*\)`),
    // message.includes('...'), e.message.match(/.../), message.startsWith(...)
    new RegExp(
      String.raw`\b(${held})\s*(\?\.|\.)\s*(match|matchAll|includes|startsWith|endsWith|indexOf|lastIndexOf|search|split|replace)\(`,
    ),
    // message === '...' (a comparison with literal text)
    new RegExp(String.raw`\b(${held})\s*[!=]==?\s*['"\`]`),
    // C++: std::string(e.what()).find(...)
    /what\(\)\)?\s*\.\s*(find|rfind|compare)\(/,
  ];
  return lines.flatMap((line, i) =>
    patterns.some((p) => p.test(line)) ? [{ line: i + 1, text: line.trim() }] : [],
  );
}

test('the scanner finds the ways code used to read message text', () => {
  const old = [
    'const Chosen = /^training diverged/.test(message) ? TrainingError : Kind;',
    "const what = /infinite/.test(error.message) ? 'infinite' : 'NaN';",
    'const where = /at epoch (\\d+), batch (\\d+)/.exec(e.message);',
    'const match = /^layer (\\d+)/.exec(message);',
    'const isOptimizer = /optimizer|learning rate|loss/i.test(message);',
    'if (std::string(e.what()).find("must be a string") == std::string::npos) throw;',
    "if (err.message.includes('diverged')) retry();",
    "const text = e.message;\nif (text.startsWith('layer')) x();",
    "if (e.message === 'the batch is empty') y();",
  ];
  for (const snippet of old) assert.ok(messageReaders(snippet).length > 0, `not caught: ${snippet}`);
  const fine = [
    "if (e.kind === 'training') diverged(e);",
    'const layerIndex = Number.isInteger(e.layerIndex) ? e.layerIndex : -1;',
    'showError(`Could not load the model: ${e.message}`);',
    "emit('error', { message: e?.message ?? String(e), during });",
    "if (/^\\d+x\\d+$/.test(v)) return v.split('x').map(Number);",
  ];
  for (const snippet of fine) assert.deepEqual(messageReaders(snippet), [], `flagged: ${snippet}`);
});

test('no source file in bindings/ or web/ (or the engine) decides by error message text', () => {
  const files = [
    ...sources(join(root, 'bindings'), ['.js', '.cjs', '.cpp']),
    ...sources(join(root, 'web'), ['.js', '.html']),
    ...sources(join(root, 'engine'), ['.cpp', '.h']),
  ];
  assert.ok(files.length > 40, `only ${files.length} source files found`);
  const found = [];
  for (const file of files) {
    const rel = relative(root, file);
    for (const hit of messageReaders(readFileSync(file, 'utf8'))) {
      found.push(`${rel}:${hit.line}: ${hit.text}`);
    }
  }
  assert.deepEqual(found, [], 'these lines read error message text; read the error fields instead');
});
