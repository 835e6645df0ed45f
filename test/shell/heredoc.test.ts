import assert from 'node:assert/strict';
import { test } from 'node:test';
import { heredocRole } from '../../src/shell/heredoc.js';

test('RUN <<EOF alone: the body is a script for the RUN shell, unless a #! names another interpreter', () => {
  assert.deepEqual(heredocRole('<<EOF'), { kind: 'script', shell: 'default' });
  assert.deepEqual(heredocRole("<<-'EOT'"), { kind: 'script', shell: 'default' });
  assert.deepEqual(heredocRole('<<EOF', { body: '#!/usr/bin/env python3\nprint(1)\n' }), {
    kind: 'program',
    interpreter: 'python3',
  });
  assert.deepEqual(heredocRole('<<EOF', { body: '#!/bin/bash\nset -e\n' }), { kind: 'script', shell: 'bash' });
});

test('a command line with an interpreter: the body is that program, not shell', () => {
  assert.deepEqual(heredocRole('<<EOF python3'), { kind: 'program', interpreter: 'python3' });
  assert.deepEqual(heredocRole('python3 <<EOF'), { kind: 'program', interpreter: 'python3' });
  assert.deepEqual(heredocRole('node <<EOF'), { kind: 'program', interpreter: 'node' });
});

test('a shell reading stdin runs the body as a script; with -c or a file it does not', () => {
  assert.deepEqual(heredocRole('<<EOF bash'), { kind: 'script', shell: 'bash' });
  assert.deepEqual(heredocRole('bash -ex -o pipefail <<EOF'), { kind: 'script', shell: 'bash' });
  assert.deepEqual(heredocRole('sh -s -- arg <<EOF'), { kind: 'script', shell: 'sh' });
  assert.deepEqual(heredocRole('bash -c "cat" <<EOF'), { kind: 'data', command: 'bash' });
});

test('other commands read the body as data; the named heredoc is the one judged', () => {
  assert.deepEqual(heredocRole('cat <<EOF > /etc/app.conf'), { kind: 'data', command: 'cat' });
  assert.deepEqual(heredocRole('cat <<A > /a && python3 <<B', { name: 'B' }), { kind: 'program', interpreter: 'python3' });
  assert.deepEqual(heredocRole('cat <<A > /a && python3 <<B', { name: 'A' }), { kind: 'data', command: 'cat' });
});
