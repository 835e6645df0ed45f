/**
 * design.md's arrows, checked mechanically: a stage imports only the stages listed for it, and pure stages never
 * import the process, file system, network or child processes (except the named edge files, which are the I/O).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..', '..');
const src = join(root, 'src');

/** Which top-level folders of src/ each folder may import (besides itself and the shared top-level files). */
const allowed: Record<string, string[]> = {
  dockerfile: [],
  shell: ['dockerfile'],
  model: ['dockerfile', 'shell'],
  rules: ['dockerfile', 'shell', 'model'],
  fix: ['dockerfile', 'shell', 'model', 'rules'],
  cache: ['dockerfile', 'shell', 'model'],
  image: ['model', 'dockerfile'],
  build: ['dockerfile', 'shell', 'model', 'cache', 'image'],
  report: ['dockerfile', 'shell', 'model', 'rules', 'fix', 'cache', 'image', 'build'],
  cli: ['dockerfile', 'shell', 'model', 'rules', 'fix', 'cache', 'image', 'build', 'report'],
};

/** Modules only the edges may use. */
const impure = /^(node:)?(fs|fs\/promises|net|http|https|http2|child_process|process|tls|dgram|readline|worker_threads)$/;

/** Edge files inside otherwise pure stages: they do the I/O so the rest can stay pure. */
const edgeFiles = [
  /^cache\/(context|git|dockerignore-file|fs-.*|replay-git|xattrs)\.ts$/, // xattrs: runs getfattr
  /^image\/sources\//,
  /^image\/(blob|stream|progress).*\.ts$/,
  /^build\//,
  /^cli\//,
  /^report\/html\/assets\.ts$/,
  /^version\.ts$/,
  /^rules\/config-file\.ts$/,
  /^fix\/write\.ts$/,
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(text: string): string[] {
  const specs: string[] = [];
  const pattern = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const match of text.matchAll(pattern)) specs.push(match[1] ?? match[2]);
  return specs;
}

test('each stage imports only the stages design.md allows', () => {
  const problems: string[] = [];
  for (const file of files(src)) {
    const rel = relative(src, file);
    const stage = rel.includes('/') ? rel.split('/')[0] : undefined;
    if (!stage) continue;
    const text = readFileSync(file, 'utf8');
    for (const spec of importsOf(text)) {
      if (!spec.startsWith('.')) continue;
      const target = relative(src, join(file, '..', spec));
      const targetStage = target.includes('/') ? target.split('/')[0] : undefined;
      if (!targetStage || targetStage === stage || targetStage.startsWith('..')) continue;
      if (!(allowed[stage] ?? []).includes(targetStage)) problems.push(`${rel} imports ${target} (${stage} → ${targetStage})`);
    }
  }
  assert.deepEqual(problems, []);
});

test('pure stages never touch the process, file system or network', () => {
  const problems: string[] = [];
  for (const file of files(src)) {
    const rel = relative(src, file);
    if (edgeFiles.some((pattern) => pattern.test(rel))) continue;
    const text = readFileSync(file, 'utf8');
    for (const spec of importsOf(text)) if (impure.test(spec)) problems.push(`${rel} imports ${spec}`);
    if (/\bprocess\.(exit|stdout|stderr|env|cwd|argv)\b/.test(text)) problems.push(`${rel} uses process.*`);
    if (/\bconsole\.(log|error|warn)\(/.test(text)) problems.push(`${rel} prints`);
  }
  assert.deepEqual(problems, []);
});

test('every stage folder under src/ is known to this test', () => {
  const stages = readdirSync(src).filter((name) => statSync(join(src, name)).isDirectory());
  assert.deepEqual(
    stages.filter((stage) => !(stage in allowed)),
    [],
  );
});

test('src/ imports only node built-ins and runtime dependencies (the tree-sitter oracle is a dev dependency)', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const { dependencies, devDependencies } = pkg as Record<string, Record<string, string>>;
  const problems: string[] = [];
  for (const file of files(src)) {
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.') || spec.startsWith('node:')) continue;
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      // a types-only package (`import type … from 'sarif'`) has no runtime part
      if (!(name in dependencies) && !(`@types/${name}` in devDependencies))
        problems.push(`${relative(src, file)} imports ${spec}`);
    }
  }
  assert.deepEqual(problems, []);
});
