import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import type { AndOrNode, PipelineNode, ShellNode, SimpleNode } from '../../src/shell/ast.js';
import { parseShell } from '../../src/shell/parse.js';

/** A compact rendering of the tree, to compare shapes. */
function shape(node: ShellNode): string {
  switch (node.type) {
    case 'simple':
      return (
        node.words.map((w) => w.value ?? w.text).join(' ') +
        node.redirects.map((r) => ` ${r.fd ?? ''}${r.op}${r.target?.text ?? ''}`).join('')
      );
    case 'pipeline':
      return `${node.negated ? '!' : ''}[${node.commands.map(shape).join(' | ')}]`;
    case 'and-or':
      return `(${node.items.map((n, i) => shape(n) + (node.operators[i] ? ` ${node.operators[i].token} ` : '')).join('')})`;
    case 'list':
      return node.items.map((i) => shape(i.node) + (i.terminator ? JSON.stringify(i.terminator.token) : '')).join(' ');
    case 'subshell':
      return `sub{${shape(node.body)}}`;
    case 'group':
      return `grp{${shape(node.body)}}`;
    default:
      return node.type;
  }
}

test('a heredoc swallowing the rest of its line is re-associated: (cat | a | b) && c || d', () => {
  const syntax = parseShell('cat <<EOF | a | b && c || d\nbody\nEOF\nnext');
  assert.equal(shape(syntax.root), '([cat <<EOF | a | b] && c || d)"\\n" next');
  const chain = syntax.root.items[0].node as AndOrNode;
  const cat = (chain.items[0] as PipelineNode).commands[0] as SimpleNode;
  const heredoc = cat.redirects[0].heredoc!;
  assert.equal(syntax.source.slice(heredoc.body.start, heredoc.body.end), 'body\n');
  assert.deepEqual([heredoc.delimiter, heredoc.quoted, heredoc.stripTabs], ['EOF', false, false]);
});

test('a quoted heredoc delimiter and <<- are reported', () => {
  const syntax = parseShell("cat <<-'END' > /f\n\tx\n\tEND\n");
  const r = (syntax.root.items[0].node as SimpleNode).redirects;
  assert.deepEqual(
    r.map((x) => x.op),
    ['<<-', '>'],
  );
  const heredoc = r[0].heredoc!;
  assert.deepEqual([heredoc.delimiter, heredoc.quoted, heredoc.stripTabs], ['END', true, true]);
});

test('a redirect after an and-or list binds to its last command only', () => {
  const syntax = parseShell('cd /x && make >/dev/null 2>&1');
  assert.equal(shape(syntax.root), '(cd /x && make >/dev/null 2>&1)');
});

test('test brackets become commands with words', () => {
  assert.equal(shape(parseShell('[ -f /x ] && [[ $a == b ]]').root), '([ -f /x ] && [[ $a == b ]])');
});

test('negation, |&, subshells, groups, background and newlines', () => {
  assert.equal(shape(parseShell('! a | b; (c; d) |& e & { f; }\ng').root), '![a | b]";" [sub{c";" d} | e]"&" grp{f";"}"\\n" g');
});

test('syntax errors are recovered from and reported with positions', () => {
  const missing = parseShell('a && (b; c');
  assert.deepEqual(missing.problems, [{ kind: 'missing', start: 10, end: 10, text: ')' }]);
  assert.equal(shape(missing.root), '(a && sub{b";" c})');
  const broken = parseShell('echo ok; if then fi; echo after');
  assert.ok(broken.problems.length > 0);
  assert.match(shape(broken.root), /echo ok/);
});

test('offsets are UTF-16 indices into the script, exact for non-ASCII text', () => {
  const source = 'echo "héllo wörld" && apt-get install –y curl';
  const syntax = parseShell(source);
  const words = ((syntax.root.items[0].node as AndOrNode).items[1] as SimpleNode).words;
  assert.deepEqual(
    words.map((w) => source.slice(w.start, w.end)),
    ['apt-get', 'install', '–y', 'curl'],
  );
});

test('a redirect with no command (`echo x; >> f`) is a command with no words', () => {
  const syntax = parseShell('echo APT::Install-Recommends "0"; >> /etc/apt/apt.conf');
  assert.equal(shape(syntax.root), 'echo APT::Install-Recommends 0";"  >>/etc/apt/apt.conf');
});

test('a reserved word before a line continuation still closes its construct (`fi\\⏎ && c`)', () => {
  const syntax = parseShell('if a; then b; fi\\\n && c');
  assert.deepEqual(syntax.problems, []);
  assert.equal(shape(syntax.root), '(if && c)');
});

test('a script may end in a line continuation; an operator before it still needs its command', () => {
  assert.deepEqual(parseShell('apt-get install -y \\').problems, []);
  assert.deepEqual(
    parseShell('a && \\').problems.map((p) => p.text),
    ['command'],
  );
});

test('`$` before the closing quote of "…" is a plain dollar, not a `$"…"` string', () => {
  const syntax = parseShell('grep "\\.s\\?o$" f');
  assert.deepEqual(syntax.problems, []);
  assert.deepEqual(
    (syntax.root.items[0].node as SimpleNode).words.map((w) => w.value),
    ['grep', '\\.s\\?o$', 'f'],
  );
});

test('`$(<file)` runs no command; `>&-` closes a descriptor; `;&` and `;;&` end case items; nested loops end `done done`', () => {
  const read = (parseShell('cat $(<f)').root.items[0].node as SimpleNode).words[1];
  assert.deepEqual(read.substitutions[0].body.items, []);
  const closed = (parseShell('exec 3>&-').root.items[0].node as SimpleNode).redirects[0];
  assert.deepEqual([closed.op, closed.fd, closed.target], ['>&-', 3, undefined]);
  assert.deepEqual(parseShell('case x in a) b;& c) d;;& *) e;; esac').problems, []);
  assert.deepEqual(parseShell('for a in 1; do for b in 2; do echo; done done > f').problems, []);
});

test('a statement must be followed by an operator, a newline or its construct’s end', () => {
  assert.equal(parseShell('$p = (1 2)').problems.length > 0, true);
  assert.equal(parseShell('echo ok; done').problems[0]?.text, 'done');
  assert.equal(parseShell('if then fi').problems.length > 0, true);
});

test('inside `[ … ]`, `<` and `>` are redirects and `(`/`)` syntax errors, as bash reads them (they once hung the parser)', () => {
  const redirected = parseShell('[ a > b ] && [ a 2> b -a c ] <in && [ x &> y ]');
  assert.deepEqual(redirected.problems, []);
  assert.equal(shape(redirected.root), '([ a ] >b && [ a -a c ] 2>b <in && [ x ] &>y)');
  const node = redirected.root.items[0].node;
  assert.deepEqual(node.type === 'and-or' && [node.items[0].start, node.items[0].end], [0, 9]);
  for (const script of ['[ a ) ]', '[ ( a ) ]', '[ a ( ]']) assert.ok(parseShell(script).problems.length > 0, script);
  const hasBash = spawnSync('bash', ['--version']).status === 0;
  for (const script of ['[ a > b ]', '[ a 2> b -a c ] <in', '[ x &> y ]', '[ a ) ]', '[ ( a ) ]', '[ a ( ]'])
    if (hasBash)
      assert.equal(spawnSync('bash', ['-n'], { input: script }).status === 0, parseShell(script).problems.length === 0, script);
});
