import rule from '../../src/rules/copy-context-before-install.js';
import { initShellParser } from '../../src/shell/tree-sitter.js';
import { ruleTester } from '../support/rule-tester.js';

await initShellParser();

ruleTester(rule, {
  valid: [
    { name: 'manifests first', code: 'FROM node:22\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n' },
    { name: 'named packages need no manifest', code: 'FROM node:22\nCOPY . .\nRUN npm install -g pnpm\n' },
    { name: 'no install after the copy', code: 'FROM node:22\nCOPY . .\nRUN npm run build\n' },
    { name: 'COPY --from another stage', code: 'FROM node:22 AS deps\nFROM node:22\nCOPY --from=deps /app /app\nRUN npm ci\n' },
    {
      name: 'requirements first',
      code: 'FROM python:3.12\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n',
    },
    { name: 'bind mount instead of a COPY', code: 'FROM node:22\nRUN --mount=type=bind,target=/app npm ci\nCOPY . .\n' },
    { name: 'a single source file', code: 'FROM python:3.12\nCOPY app.py .\nRUN pip install -r requirements.txt\n' },
    {
      name: 'go modules first',
      code: 'FROM golang:1.23\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build ./...\n',
    },
  ],
  invalid: [
    {
      name: 'COPY . . before npm ci',
      code: 'FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci\n',
      errors: [{ messageId: 'beforeInstall', line: 3, column: 1, endLine: 3, endColumn: 9 }],
      output: null,
    },
    {
      name: 'COPY of a directory before pip install -r',
      code: 'FROM python:3.12\nCOPY src/ /app/\nRUN pip install -r /app/requirements.txt\n',
      errors: [{ messageId: 'beforeInstall', line: 2, column: 1, endLine: 2, endColumn: 16 }],
      output: null,
    },
    {
      name: 'ADD . before go mod download',
      code: 'FROM golang:1.23\nADD . /src\nRUN cd /src && go mod download\n',
      errors: [{ messageId: 'beforeInstall', line: 2, column: 1, endLine: 2, endColumn: 11 }],
      output: null,
    },
    {
      name: 'bundle install after COPY .',
      code: 'FROM ruby:3\nCOPY . /app\nWORKDIR /app\nRUN bundle install\n',
      errors: [{ messageId: 'beforeInstall', line: 2, column: 1, endLine: 2, endColumn: 12 }],
      output: null,
    },
  ],
});
