#!/usr/bin/env node
import {main} from '../dist/cli.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    // main() handles every expected error itself; reaching here is a bug.
    process.stderr.write(`meshctl: internal error: ${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 1;
  },
);
