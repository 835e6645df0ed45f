/**
 * Writes docs/cli.md and the README's command table from the commander definitions (the same ones `--help` prints).
 * Usage: npm run docs:cli
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { memoryIo } from '../src/cli/io.js';
import { buildProgram, main } from '../src/cli/main.js';
import { commandSpec } from '../src/cli/spec.js';
import { DEMO_END, DEMO_START, renderCliDocs, renderReadmeCommands, replaceBetween, updateReadme } from './cli-docs.js';

const root = join(import.meta.dirname, '..');
const spec = commandSpec(buildProgram(memoryIo(), () => {}));
writeFileSync(join(root, 'docs', 'cli.md'), renderCliDocs(spec));
const readme = join(root, 'README.md');
// The tour shows the demo's real output (without colors), run in-process from the checkout.
const demo = memoryIo({ cwd: root });
if ((await main(['demo'], demo)) !== 0) throw new Error(`layerwise demo failed: ${demo.err}`);
let text = updateReadme(readFileSync(readme, 'utf8'), renderReadmeCommands(spec));
text = replaceBetween(text, DEMO_START, DEMO_END, `\`\`\`console\n$ npx layerwise demo\n${demo.out}\`\`\``);
writeFileSync(readme, text);
console.log('wrote docs/cli.md and the command table of README.md');
