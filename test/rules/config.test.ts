import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { DEFAULT_CONFIG, parseConfig } from '../../src/rules/config.js';
import { defineRule } from '../../src/rules/define.js';

const withOptions = defineRule({
  id: 'test-rule',
  status: 'stable',
  since: '0.1.0',
  severity: 'info',
  tags: ['cache'],
  fix: 'never',
  hadolint: ['DL9999'],
  messages: { m: 'm' },
  defaultOptions: { limit: 3, names: ['a'], strict: false },
  docs: { description: '', whatItDoes: '', why: '', example: '', useInstead: '', fixSafety: '', references: [] },
  create: () => ({}),
});
const ruleSet = [withOptions];

function errorOf(text: string): string {
  try {
    parseConfig(text, '.layerwise.yaml', ruleSet);
  } catch (error) {
    assert.ok(error instanceof InputError, String(error));
    return error.describe();
  }
  return 'no error';
}

test('an empty file is the default configuration', () => {
  assert.deepEqual(parseConfig('', '.layerwise.yaml', ruleSet), DEFAULT_CONFIG);
  assert.deepEqual(parseConfig('# nothing\n', '.layerwise.yaml', ruleSet), DEFAULT_CONFIG);
});

test('every key is read; hadolint codes and hadolint spellings work', () => {
  const config = parseConfig(
    [
      'ignored: [DL9999]',
      'severity:',
      '  test-rule: error',
      'failure-threshold: info',
      'trustedRegistries: [docker.io, ghcr.io]',
      'rules:',
      '  test-rule: { limit: 5, names: [x, y] }',
    ].join('\n'),
    '.layerwise.yaml',
    ruleSet,
  );
  assert.deepEqual([...config.ignored], ['test-rule']);
  assert.deepEqual([...config.severity], [['test-rule', 'error']]);
  assert.equal(config.failureThreshold, 'info');
  assert.deepEqual(config.trustedRegistries, ['docker.io', 'ghcr.io']);
  assert.deepEqual(config.ruleOptions.get('test-rule'), { limit: 5, names: ['x', 'y'] });
  const override = parseConfig('override:\n  style: [test-rule]\nseverity: { DL9999: off }\n', 'c', ruleSet);
  assert.deepEqual([...override.severity], [['test-rule', 'off']]);
  assert.equal(parseConfig('fix-unsafe: true\n', 'c', ruleSet).fixUnsafe, true);
  assert.deepEqual([...(parseConfig('fix-unsafe: [DL9999]\n', 'c', ruleSet).fixUnsafe as Set<string>)], ['test-rule']);
  assert.equal(parseConfig('failure-threshold: info\n', 'c', ruleSet).fixUnsafe, undefined);
});

test('mistakes are reported at their line and column', () => {
  assert.equal(errorOf('ignored: [nope]\n'), '.layerwise.yaml:1:11: unknown rule "nope"');
  assert.equal(errorOf('ignored: [test]\n'), '.layerwise.yaml:1:11: unknown rule "test" (did you mean test-rule?)');
  assert.equal(
    errorOf('failure-threshold: high\n'),
    '.layerwise.yaml:1:20: failure-threshold must be one of error, warning, info, none',
  );
  assert.equal(
    errorOf('ignored: []\nfailures: 1\n'),
    '.layerwise.yaml:2:1: unknown key "failures" (expected ignored, severity, override, failure-threshold, trusted-registries, rules, fix-unsafe or image)',
  );
  assert.equal(
    errorOf('severity:\n  test-rule: fatal\n'),
    '.layerwise.yaml:2:14: severity of test-rule must be one of error, warning, info, off',
  );
  assert.equal(
    errorOf('override:\n  loud: [test-rule]\n'),
    '.layerwise.yaml:2:3: an override level must be one of error, warning, info',
  );
  assert.equal(
    errorOf('rules:\n  test-rule:\n    limt: 2\n'),
    '.layerwise.yaml:3:5: rule test-rule has no option "limt" (options: limit, names, strict)',
  );
  assert.equal(
    errorOf('rules:\n  test-rule:\n    limit: many\n'),
    '.layerwise.yaml:3:12: option test-rule.limit must be a number, not a string',
  );
  assert.equal(errorOf('ignored: 3\n'), '.layerwise.yaml:1:10: ignored must be a list of strings');
  assert.equal(errorOf('- a\n- b\n'), '.layerwise.yaml:1:1: the configuration must be a mapping');
  assert.match(errorOf('ignored: [a\n'), /^\.layerwise\.yaml:\d+:\d+: /);
  assert.match(errorOf('a: 1\na: 2\n'), /^\.layerwise\.yaml:2:1: .*[Mm]ap keys must be unique/);
});

test("the image: section holds the image CI gates (dive's .dive-ci rules) and leaves lint alone", () => {
  const config = parseConfig(
    'ignored: [test-rule]\nimage:\n  ci: true\n  lowestEfficiency: 0.95\n  highest-wasted-bytes: 20MB\n  highestUserWastedPercent: disabled\n',
    'c',
    ruleSet,
  );
  assert.deepEqual(config.image, {
    ci: true,
    gates: { lowestEfficiency: 0.95, highestWastedBytes: 20_000_000, highestUserWastedPercent: 'disabled' },
  });
  assert.deepEqual([...config.ignored], ['test-rule']);
  assert.equal(parseConfig('ignored: []\n', 'c', ruleSet).image, undefined);
  assert.equal(
    errorOf('image:\n  lowestEfficiency: 95\n'),
    '.layerwise.yaml:2:21: image.lowestEfficiency must be a ratio between 0 and 1 (0.9 means 90 %), or "disabled"',
  );
  assert.equal(
    errorOf('image:\n  highestWastedBytes: lots\n'),
    '.layerwise.yaml:2:23: image.highestWastedBytes must be a byte count such as 20MB, 1.5GiB or 1048576, or "disabled"',
  );
  assert.equal(
    errorOf('image:\n  lowestEfficency: 0.9\n'),
    '.layerwise.yaml:2:3: unknown key "image.lowestEfficency" (expected ci, lowestEfficiency, highestWastedBytes, highestUserWastedPercent)',
  );
  assert.equal(errorOf('image:\n  ci: yes please\n'), '.layerwise.yaml:2:7: image.ci must be true or false');
  assert.equal(errorOf('image: 3\n'), '.layerwise.yaml:1:8: image must be a mapping');
});
