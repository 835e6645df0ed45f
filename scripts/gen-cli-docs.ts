/**
 * Writes docs/cli.md and the README's command table from the commander definitions (the same ones `--help` prints).
 * Usage: npm run docs:cli
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { memoryIo } from '../src/cli/io.js';
import { buildProgram } from '../src/cli/main.js';
import { commandSpec } from '../src/cli/spec.js';
import { renderCliDocs, renderReadmeCommands, updateReadme, updateTour } from './cli-docs.js';
import { runTour } from './tour.js';

const root = join(import.meta.dirname, '..');
const spec = commandSpec(buildProgram(memoryIo(), () => {}));
writeFileSync(join(root, 'docs', 'cli.md'), renderCliDocs(spec));
const readme = join(root, 'README.md');
// The tour shows real output (without colors): scripts/tour.ts runs each command of an output marker.
const text = updateReadme(readFileSync(readme, 'utf8'), renderReadmeCommands(spec));
writeFileSync(readme, updateTour(text, await runTour(text, root)));
console.log("wrote docs/cli.md, and the command table and the tour's output in README.md");
