/**
 * Every file of ../shared/corpus (≈5,700 real Dockerfiles, read in place) either parses and prints back byte for byte,
 * or is refused with the ParseError BuildKit gives. Both refusal tables are exact: a file that starts or stops being
 * refused fails the test, so any change of behaviour shows up here.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import {
  dumpDockerfile,
  ParseError,
  parseDockerfile,
  printDockerfile,
  validateInstructions,
} from '../../src/dockerfile/index.js';
import { needsShared, sharedDir } from '../support/paths.js';

/** Refused by the parser (BuildKit's `parser.Parse` fails the same way). */
const PARSE_REFUSALS: Record<string, string> = {
  // Only comments / blank lines (a build context with an empty Dockerfile).
  'dataset/STAR-RG__shipwright/data__broken-dockerfiles__b0868df4946c190888f7ed06b533b3fb06e82112.Dockerfile':
    '1:1: file with no instructions',
  'dataset/yinyuanzhang__dockerfiles/data__j__jetware__memcached__Dockerfile': '2:1: file with no instructions',
  'dataset/yinyuanzhang__dockerfiles/data__j__jlesage__baseimage__Dockerfile': '3:1: file with no instructions',
  // Linter fixtures written to be wrong: a legacy LABEL without value, and a new-form word without `=`.
  'dataset/linter-fixtures/projectatomic__dockerfile_lint/test__data__dockerfiles__EmptyFile':
    '8:7: LABEL must have two arguments',
  'dataset/linter-fixtures/replicatedhq__dockerfilelint/test__examples__Dockerfile.misc':
    '27:24: Syntax error - can\'t find = in "value". Must be of the form: name=value',
};

/** Parsed, then refused by BuildKit's instruction layer (`instructions.Parse`): the first error of each file. */
const INSTRUCTION_REFUSALS: Record<string, string> = {
  'dataset/STAR-RG__shipwright/data__broken-dockerfiles__c007d64ed7139877d7c49528408b72c743f060e4.Dockerfile':
    '1:1: no build stage in current context',
  'dataset/linter-fixtures/replicatedhq__dockerfilelint/test__examples__Dockerfile.shell.fail':
    '4:7: SHELL requires the arguments to be in JSON form',
  // `FROM` followed by a no-break space (U+00A0): not a separator for BuildKit, so the keyword is `FROM\u00a0java…`.
  'dataset/yinyuanzhang__dockerfiles/data__a__anurag1207__k8demo__Dockerfile':
    '1:1: unknown instruction: FROM\u00a0java:8-jdk-alpine',
  // A continuation ends early, so the next lines are instructions of their own.
  'dataset/yinyuanzhang__dockerfiles/data__m__mahaswami__testfnweb__Dockerfile': '28:3: unknown instruction: apt-get',
  // A leading space, then prose.
  'dataset/yinyuanzhang__dockerfiles/data__m__martinhoefling__fail2ban-formula__Dockerfile': '1:2: unknown instruction: Test',
  // A Windows template with a placeholder.
  'modern/microsoft__dotnet-framework-docker__eng__dockerfile-templates__aspnet__Dockerfile.3.5.pre20H2':
    '4:6: FROM requires either one or three arguments',
  // jq templates of the official images (`{{ … }}`), not Dockerfiles.
  'official/docker-library__buildpack-deps/Dockerfile.template': '1:1: unknown instruction: {{',
  'official/docker-library__drupal/Dockerfile.template': '1:1: unknown instruction: {{',
  'official/docker-library__ghost/Dockerfile.template': '1:1: unknown instruction: {{',
  'official/docker-library__haproxy/Dockerfile.template': '1:1: unknown instruction: {{',
  'official/docker-library__memcached/Dockerfile.template': '1:1: unknown instruction: {{',
  'official/docker-library__mysql/Dockerfile.oracle': '1:1: unknown instruction: {{',
  'official/docker-library__redis/Dockerfile.template': '1:1: unknown instruction: {{',
  'official/docker-library__ruby/Dockerfile.template': '1:1: unknown instruction: {{',
  'official/docker-library__tomcat/Dockerfile.template': '1:1: unknown instruction: {{',
  'official/docker-library__wordpress/Dockerfile.template': '1:1: unknown instruction: {{',
};

function corpusFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (dir !== root) out.push(path); // top level: README.md, SOURCES.tsv
    }
  };
  walk(root);
  return out;
}

test('corpus: every file round-trips byte for byte or is refused as BuildKit refuses it', needsShared(), () => {
  const root = join(sharedDir!, 'corpus');
  const files = corpusFiles(root);
  assert.ok(files.length > 5000, `only ${files.length} corpus files`);
  const parseRefusals: Record<string, string> = {};
  const instructionRefusals: Record<string, string> = {};
  let roundTrips = 0;
  for (const file of files) {
    const name = relative(root, file);
    const bytes = readFileSync(file);
    const text = bytes.toString('utf8');
    assert.ok(Buffer.from(text, 'utf8').equals(bytes), `${name}: not UTF-8, cannot round-trip bytes through a string`);
    let ast: ReturnType<typeof parseDockerfile>;
    try {
      ast = parseDockerfile(text);
    } catch (error) {
      assert.ok(error instanceof ParseError, `${name}: threw ${error}`);
      parseRefusals[name] = `${error.line}:${error.column}: ${error.reason}`;
      continue;
    }
    assert.equal(printDockerfile(ast), text, `${name}: does not round-trip`);
    dumpDockerfile(ast);
    roundTrips++;
    const [problem] = validateInstructions(ast);
    if (problem) instructionRefusals[name] = `${problem.line}:${problem.column}: ${problem.reason}`;
  }
  assert.deepEqual(parseRefusals, PARSE_REFUSALS);
  assert.deepEqual(instructionRefusals, INSTRUCTION_REFUSALS);
  assert.equal(roundTrips, files.length - Object.keys(PARSE_REFUSALS).length);
});
