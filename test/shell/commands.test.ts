import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeArgv, analyzeScript } from '../../src/shell/commands.js';

const names = (script: string) => analyzeScript(script).commands.map((c) => c.argv.map((w) => w.value ?? w.text).join(' '));

test('commands in execution order, with the operator joining each to the next', () => {
  const script = analyzeScript('a && b || c; d | e & f\ng');
  assert.deepEqual(
    script.commands.map((c) => [c.name, c.operator?.token]),
    [
      ['a', '&&'],
      ['b', '||'],
      ['c', ';'],
      ['d', '|'],
      ['e', '&'],
      ['f', '\n'],
      ['g', undefined],
    ],
  );
});

test('the last command of a construct takes the operator after the construct', () => {
  const script = analyzeScript('(b; c) || d');
  assert.deepEqual(
    script.commands.map((c) => [c.name, c.operator?.token]),
    [
      ['b', ';'],
      ['c', '||'],
      ['d', undefined],
    ],
  );
});

test('command substitutions run before the command that uses them', () => {
  assert.deepEqual(names('echo "$(uname -m)" `date`'), ['uname -m', 'date', 'echo "$(uname -m)" `date`']);
});

test('words keep their text, value and offsets', () => {
  const source = `FOO="a b" apt-get install -y 'x' "$V" >/dev/null`;
  const [command] = analyzeScript(source).commands;
  assert.equal(command.name, 'apt-get');
  assert.deepEqual(
    command.argv.map((w) => [w.text, w.value, source.slice(w.start, w.end)]),
    [
      ['apt-get', 'apt-get', 'apt-get'],
      ['install', 'install', 'install'],
      ['-y', '-y', '-y'],
      ["'x'", 'x', "'x'"],
      ['"$V"', undefined, '"$V"'],
    ],
  );
  assert.deepEqual(
    command.assignments.map((a) => [a.name, a.value?.value]),
    [['FOO', 'a b']],
  );
  assert.deepEqual(
    command.redirects.map((r) => [r.op, r.target?.value]),
    [['>', '/dev/null']],
  );
});

test('nesting: if branches, loops, case items, functions, pipelines, substitutions', () => {
  const script = analyzeScript(
    'if [ -x /usr/bin/apt-get ]; then apt-get update; elif command -v apk; then apk add x; else yum install y; fi; ' +
      'for p in a b; do pip install $p; done; case $A in x) one;; *) two;; esac; f() { inner; }; curl x | sh; v=$(id -u)',
  );
  const where = (name: string) =>
    script.commands
      .find((c) => c.name === name)!
      .context.map(
        (c) =>
          `${c.kind}${c.role ? `:${c.role}` : ''}${c.branch !== undefined ? `#${c.branch}` : ''}${c.name ? `(${c.name})` : ''}`,
      )
      .join('>');
  assert.equal(where('['), 'if:condition#0');
  assert.equal(where('apt-get'), 'if:body#0');
  assert.equal(where('command'), 'if:condition#1');
  assert.equal(where('apk'), 'if:body#1');
  assert.equal(where('yum'), 'if:body#2');
  assert.equal(where('pip'), 'for:body(p)');
  assert.equal(where('one'), 'case#0');
  assert.equal(where('two'), 'case#1');
  assert.equal(where('inner'), 'function(f)>group');
  assert.equal(where('curl'), 'pipeline#0');
  assert.equal(where('sh'), 'pipeline#1');
  assert.equal(where('id'), 'command-substitution');
});

test('state: cd, export and assignments, set options, umask, functions', () => {
  const script = analyzeScript(
    'set -eux; cd /src && export A=1 B; C=2; umask 022; f() { :; }; cd sub; set +x -o pipefail; last',
    {
      cwd: '/work',
      env: { B: 'from-env' },
    },
  );
  const last = script.commands.find((c) => c.name === 'last')!.state;
  assert.equal(last.cwd, '/src/sub');
  assert.deepEqual(last.variables.A, { value: '1', exported: true, setAt: last.variables.A.setAt });
  assert.equal(last.variables.B.value, 'from-env');
  assert.equal(last.variables.B.exported, true);
  assert.deepEqual([last.variables.C.value, last.variables.C.exported], ['2', false]);
  assert.deepEqual(Object.keys(last.options).sort(), ['errexit', 'nounset', 'pipefail']);
  assert.equal(last.umask?.value, '022');
  assert.ok(last.functions.f);
  const first = script.commands[0].state;
  assert.equal(first.cwd, '/work');
  assert.deepEqual(first.options, {});
});

test('state changes in subshells, pipelines and substitutions do not leak', () => {
  const script = analyzeScript('(cd /a; export X=1) && cd /b | cat && y=$(cd /c) && here');
  const here = script.commands.find((c) => c.name === 'here')!.state;
  assert.equal(here.cwd, '/');
  assert.equal(here.variables.X, undefined);
  assert.equal(script.commands.find((c) => c.name === 'cat')!.state.cwd, '/');
});

test('SHELL flags set the initial options; a non-POSIX shell is not analysed', () => {
  const bash = analyzeScript('x', { shell: ['/bin/bash', '-eo', 'pipefail', '-c'] });
  assert.deepEqual(Object.keys(bash.commands[0].state.options).sort(), ['errexit', 'pipefail']);
  const pwsh = analyzeScript('Write-Host hi', { shell: ['pwsh', '-Command'] });
  assert.deepEqual([pwsh.supported, pwsh.commands.length], [false, 0]);
});

test('top-level parts are the operands of the top-level chain', () => {
  const script = analyzeScript('a && (b; c) || d; e | f');
  assert.deepEqual(
    script.parts.map((p) => [script.source.slice(p.start, p.end), p.operator?.token, p.endCommand - p.firstCommand]),
    [
      ['a', '&&', 1],
      ['(b; c)', '||', 2],
      ['d', ';', 1],
      ['e | f', undefined, 2],
    ],
  );
});

test('hasErrors when the parser recovered, commands still listed', () => {
  const script = analyzeScript('apt-get update && (apt-get install -y curl');
  assert.equal(script.hasErrors, true);
  assert.deepEqual(
    script.commands.map((c) => c.name),
    ['apt-get', 'apt-get'],
  );
});

test('exec form is one command with no shell processing', () => {
  const command = analyzeArgv(['apt-get', 'install', '-y', '$HOME'], { ranges: [{ start: 5, end: 14 }] });
  assert.equal(command.name, 'apt-get');
  assert.deepEqual(
    command.argv.map((w) => [w.value, w.start]),
    [
      ['apt-get', 5],
      ['install', 8],
      ['-y', 16],
      ['$HOME', 19],
    ],
  );
});
