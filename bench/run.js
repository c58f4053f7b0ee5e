#!/usr/bin/env node
// Runs every bench/*.bench.js, in name order, each in its own `node --expose-gc` process so
// one benchmark's heap and JIT state cannot colour the next. Their markdown goes straight to
// stdout as it is printed. Exits non-zero when any benchmark fails.
import {spawn} from 'node:child_process';
import {readdirSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(benchDir)
  .filter((name) => name.endsWith('.bench.js'))
  .sort();

function runOne(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', join(benchDir, file)], {stdio: 'inherit'});
    child.on('error', (error) => {
      process.stderr.write(`bench: could not start ${file}: ${error.message}\n`);
      resolve(false);
    });
    child.on('exit', (code, signal) => {
      if (code !== 0) process.stderr.write(`bench: ${file} failed (${signal ?? `exit code ${code}`})\n`);
      resolve(code === 0);
    });
  });
}

if (files.length === 0) process.stdout.write('No benchmarks found in bench/.\n');
const failed = [];
for (const file of files) {
  if (!(await runOne(file))) failed.push(file);
}
if (failed.length > 0) {
  process.stderr.write(`bench: ${failed.length} of ${files.length} failed: ${failed.join(', ')}\n`);
  process.exitCode = 1;
}
