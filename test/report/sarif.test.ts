/**
 * SARIF output checked against the SARIF 2.1.0 schema's rules for every object we emit: required properties, no
 * properties the schema does not define (it sets additionalProperties: false), enums, minimums and value types.
 * The subset below is transcribed from the OASIS SARIF 2.1.0 specification (no network at test time).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderLintSarif } from '../../src/report/sarif.js';
import { lint } from '../../src/rules/lint.js';
import { rules } from '../../src/rules/registry.js';

type Schema =
  | { type: 'string'; enum?: string[]; pattern?: RegExp }
  | { type: 'integer'; minimum?: number }
  | { type: 'boolean' }
  | { type: 'array'; items: Schema }
  | { type: 'object'; required?: string[]; properties?: Record<string, Schema>; additional?: boolean };

const text = { type: 'string' } as const;
const message: Schema = {
  type: 'object',
  properties: { text, markdown: text, id: text, arguments: { type: 'array', items: text } },
};
const multiformat: Schema = { type: 'object', required: ['text'], properties: { text, markdown: text } };
const propertyBag: Schema = { type: 'object', additional: true, properties: { tags: { type: 'array', items: text } } };
const level: Schema = { type: 'string', enum: ['none', 'note', 'warning', 'error'] };
const region: Schema = {
  type: 'object',
  properties: {
    startLine: { type: 'integer', minimum: 1 },
    startColumn: { type: 'integer', minimum: 1 },
    endLine: { type: 'integer', minimum: 1 },
    endColumn: { type: 'integer', minimum: 1 },
    charOffset: { type: 'integer', minimum: -1 },
    charLength: { type: 'integer', minimum: 0 },
  },
};
const location: Schema = {
  type: 'object',
  properties: {
    physicalLocation: {
      type: 'object',
      properties: {
        artifactLocation: { type: 'object', properties: { uri: text, uriBaseId: text, index: { type: 'integer', minimum: -1 } } },
        region,
      },
    },
  },
};
const sarifLog: Schema = {
  type: 'object',
  required: ['version', 'runs'],
  properties: {
    $schema: { type: 'string', pattern: /^https?:\/\// },
    version: { type: 'string', enum: ['2.1.0'] },
    runs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['tool'],
        properties: {
          tool: {
            type: 'object',
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                required: ['name'],
                properties: {
                  name: text,
                  version: text,
                  informationUri: { type: 'string', pattern: /^https?:\/\// },
                  rules: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['id'],
                      properties: {
                        id: text,
                        name: text,
                        shortDescription: multiformat,
                        fullDescription: multiformat,
                        help: multiformat,
                        helpUri: { type: 'string', pattern: /^https?:\/\/\S+\/docs\/rules\/[a-z0-9-]+\.md$/ },
                        defaultConfiguration: { type: 'object', properties: { level, enabled: { type: 'boolean' } } },
                        properties: propertyBag,
                      },
                    },
                  },
                },
              },
            },
          },
          invocations: {
            type: 'array',
            items: {
              type: 'object',
              required: ['executionSuccessful'],
              properties: {
                executionSuccessful: { type: 'boolean' },
                toolExecutionNotifications: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['message'],
                    properties: { level, message, locations: { type: 'array', items: location } },
                  },
                },
              },
            },
          },
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['message'],
              properties: {
                ruleId: text,
                ruleIndex: { type: 'integer', minimum: -1 },
                level,
                message,
                locations: { type: 'array', items: location },
              },
            },
          },
        },
      },
    },
  },
};

function validate(value: unknown, schema: Schema, path: string, problems: string[]): void {
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') return void problems.push(`${path}: not a string`);
      if (schema.enum && !schema.enum.includes(value)) problems.push(`${path}: ${value} not in ${schema.enum}`);
      if (schema.pattern && !schema.pattern.test(value)) problems.push(`${path}: ${value} does not match ${schema.pattern}`);
      return;
    case 'integer':
      if (!Number.isInteger(value)) return void problems.push(`${path}: not an integer`);
      if (schema.minimum !== undefined && (value as number) < schema.minimum) problems.push(`${path}: below ${schema.minimum}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(`${path}: not a boolean`);
      return;
    case 'array':
      if (!Array.isArray(value)) return void problems.push(`${path}: not an array`);
      for (const [i, item] of value.entries()) validate(item, schema.items, `${path}[${i}]`, problems);
      return;
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return void problems.push(`${path}: not an object`);
      const record = value as Record<string, unknown>;
      for (const key of schema.required ?? []) if (!(key in record)) problems.push(`${path}: missing ${key}`);
      for (const [key, item] of Object.entries(record)) {
        const property = schema.properties?.[key];
        if (property) validate(item, property, `${path}.${key}`, problems);
        else if (!schema.additional) problems.push(`${path}: property ${key} is not in the schema`);
      }
      // SARIF's message object needs text or id.
      if (schema === message && !('text' in record) && !('id' in record)) problems.push(`${path}: message without text or id`);
    }
  }
}

function sarifOf(files: Record<string, string>) {
  const results = Object.entries(files).map(([file, source]) => lint(source, { file }));
  return JSON.parse(renderLintSarif(results, { rules, toolVersion: '0.1.0' }));
}

test('SARIF output conforms to the SARIF 2.1.0 schema', () => {
  const log = sarifOf({
    'app/Dockerfile': 'FROM node\nADD https://example.com/a /a\n',
    'bad dir/Dockerfile': 'FROM a:1\nENV PATH\n',
    'clean/Dockerfile': 'FROM alpine:3.20\n',
  });
  const problems: string[] = [];
  validate(log, sarifLog, '$', problems);
  assert.deepEqual(problems, []);
});

test('results point at the file and region, with the rule index and level', () => {
  const log = sarifOf({ 'app/Dockerfile': 'FROM node\n' });
  const [run] = log.runs;
  const [result] = run.results;
  assert.equal(run.tool.driver.rules[result.ruleIndex].id, 'unpinned-base-image');
  assert.equal(result.level, 'warning');
  assert.deepEqual(result.locations[0].physicalLocation, {
    artifactLocation: { uri: 'app/Dockerfile' },
    region: { startLine: 1, startColumn: 6, endLine: 1, endColumn: 10 },
  });
  assert.equal(run.invocations[0].executionSuccessful, true);
  assert.deepEqual(
    run.tool.driver.rules.map((rule: { id: string }) => rule.id),
    rules.map((rule) => rule.id),
  );
});

test('a file that does not parse is an error notification, and the run is not successful', () => {
  const [run] = sarifOf({ 'bad dir/Dockerfile': 'FROM a:1\nENV PATH\n' }).runs;
  assert.equal(run.invocations[0].executionSuccessful, false);
  const [note] = run.invocations[0].toolExecutionNotifications;
  assert.equal(note.locations[0].physicalLocation.artifactLocation.uri, 'bad%20dir/Dockerfile');
  assert.equal(note.locations[0].physicalLocation.region.startLine, 2);
});

test('the schema check itself rejects what SARIF forbids', () => {
  const log = sarifOf({ 'app/Dockerfile': 'FROM node\n' });
  delete log.version;
  log.runs[0].results[0].level = 'warn';
  log.runs[0].results[0].severity = 'warning';
  log.runs[0].results[0].locations[0].physicalLocation.region.startColumn = 0;
  const problems: string[] = [];
  validate(log, sarifLog, '$', problems);
  assert.deepEqual(problems, [
    '$: missing version',
    '$.runs[0].results[0].level: warn not in none,note,warning,error',
    '$.runs[0].results[0].locations[0].physicalLocation.region.startColumn: below 1',
    '$.runs[0].results[0]: property severity is not in the schema',
  ]);
});
