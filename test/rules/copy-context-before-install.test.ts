import rule from '../../src/rules/copy-context-before-install.js';
import { ruleTester } from '../support/rule-tester.js';

const node = { 'package.json': '{"name":"app","dependencies":{"express":"^4"}}', 'package-lock.json': '{}', 'src/index.js': '' };

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
    {
      name: 'with a context: the requirements file is not in the copied tree (the build makes it elsewhere)',
      code: 'FROM python:3.12\nCOPY . /app\nRUN pip install -r /app/requirements.txt\n',
      context: { 'app.py': '' },
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
    {
      name: 'fix with a context: the manifests that exist, then the install, then the rest',
      code: 'FROM node:22\nWORKDIR /app\n  COPY --chown=node . .\r\nRUN npm ci\nCMD ["node", "src/index.js"]\n',
      context: { ...node, '.npmrc': 'registry=x' },
      errors: [
        {
          messageId: 'beforeInstall',
          line: 3,
          column: 3,
          endLine: 3,
          endColumn: 24,
          message:
            'COPY . copies the whole source tree before `npm ci` (line 4): every source edit re-runs the install. COPY package.json package-lock.json .npmrc first, install, then copy the rest.',
        },
      ],
      output:
        'FROM node:22\nWORKDIR /app\n  COPY --chown=node package.json package-lock.json .npmrc ./\r\nRUN npm ci\n  COPY --chown=node . .\r\nCMD ["node", "src/index.js"]\n',
    },
    {
      name: 'fix: COPY of a directory and pip -r resolved through cd, at the end of a file without a newline',
      code: 'FROM python:3.12\nCOPY src/ /srv/\nRUN cd /srv && pip install --no-cache-dir -r reqs/base.txt',
      context: { 'src/reqs/base.txt': 'flask==3.0.2\n# pinned\n', 'src/app.py': '' },
      errors: [{ messageId: 'beforeInstall', line: 2, column: 1, endLine: 2, endColumn: 16 }],
      output:
        'FROM python:3.12\nCOPY src/reqs/base.txt /srv/reqs/\nRUN cd /srv && pip install --no-cache-dir -r reqs/base.txt\nCOPY src/ /srv/',
    },
    {
      name: 'refused: npm runs a postinstall script',
      code: 'FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci\n',
      context: { ...node, 'package.json': '{"scripts":{"postinstall":"node build.js"}}' },
      errors: [{ messageId: 'beforeInstall', line: 3, column: 1, endLine: 3, endColumn: 9 }],
      output: null,
    },
    {
      name: 'refused: the RUN also builds',
      code: 'FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n',
      context: node,
      errors: [{ messageId: 'beforeInstall', line: 3, column: 1, endLine: 3, endColumn: 9 }],
      output: null,
    },
    {
      name: 'refused: an instruction between the COPY and the install',
      code: 'FROM node:22\nWORKDIR /app\nCOPY . .\nRUN apt-get update\nRUN npm ci\n',
      context: node,
      errors: [{ messageId: 'beforeInstall', line: 3, column: 1, endLine: 3, endColumn: 9 }],
      output: null,
    },
    {
      name: 'refused: a requirements file that includes another',
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n',
      context: { 'requirements.txt': '-r base.txt\n', 'base.txt': 'flask\n' },
      errors: [{ messageId: 'beforeInstall', line: 3, column: 1, endLine: 3, endColumn: 9 }],
      output: null,
    },
    {
      name: 'refused: go.mod replaces a module with a local directory',
      code: 'FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go mod download\n',
      context: { 'go.mod': 'module x\nreplace example.com/y => ./y\n', 'go.sum': '' },
      errors: [{ messageId: 'beforeInstall', line: 3, column: 1, endLine: 3, endColumn: 9 }],
      output: null,
    },
    {
      name: 'refused: without a context there is no fix (which manifests exist is unknown)',
      code: 'FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go mod download\n',
      errors: [{ messageId: 'beforeInstall', line: 3, column: 1, endLine: 3, endColumn: 9 }],
      output: null,
    },
    {
      name: 'fix: go modules',
      code: 'FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go mod download\nRUN go build -o /app ./...\n',
      context: { 'go.mod': 'module x\n', 'go.sum': '', 'main.go': '' },
      errors: [{ messageId: 'beforeInstall', line: 3, column: 1, endLine: 3, endColumn: 9 }],
      output:
        'FROM golang:1.23\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app ./...\n',
    },
  ],
});
