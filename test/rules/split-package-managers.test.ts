import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import rule from '../../src/rules/split-package-managers.js';
import { repoRoot } from '../support/paths.js';
import { ruleTester } from '../support/rule-tester.js';

const seed = (path: string) => readFileSync(join(repoRoot, 'examples', 'seed', path), 'utf8');

ruleTester(rule, {
  valid: [
    { name: "the article's split version", code: seed('split/Dockerfile') },
    {
      name: 'one manager: update, install, clean',
      code: 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl && apt-get clean && rm -rf /var/lib/apt/lists/*\n',
    },
    { name: 'apt family: dpkg and apt-get', code: 'FROM debian:bookworm\nRUN dpkg -i /tmp/x.deb || apt-get install -y -f\n' },
    { name: 'pip family', code: 'FROM python:3.12\nRUN pip install a && pip3 install b && python -m pip install c\n' },
    {
      name: 'build dependencies removed in the same RUN (apk --virtual)',
      code: 'FROM python:3.12-alpine\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev && pip install --no-cache-dir cffi && apk del .build-deps\n',
    },
    {
      name: 'build dependencies purged in the same RUN (apt)',
      code: 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc && pip install cffi && apt-get purge -y --auto-remove gcc && rm -rf /var/lib/apt/lists/*\n',
    },
    { name: 'an index refresh is not an install', code: 'FROM node:22\nRUN apt-get update; npm ci\n' },
    { name: 'heredoc with one manager', code: 'FROM debian:bookworm\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n' },
    { name: 'exec form', code: 'FROM python:3.12\nRUN ["pip", "install", "requests"]\n' },
    {
      name: 'one language: npm bootstraps yarn',
      code: 'FROM node:22\nRUN npm install -g yarn && yarn install --frozen-lockfile\n',
    },
    { name: 'one language: gem bootstraps bundler', code: 'FROM ruby:3\nRUN gem install bundler && bundle install\n' },
    {
      name: 'a package list computed during the build (xargs)',
      code: 'FROM python:3.12-alpine\nRUN scanelf --needed /usr/local | xargs -rt apk add --no-cache --virtual .rundeps && pip install --no-cache-dir x\n',
    },
    { name: 'version queries', code: 'FROM node:22\nRUN npm --version && yarn --version && pip --version\n' },
  ],
  invalid: [
    {
      name: "the article's mono-layer",
      code: seed('Dockerfile'),
      errors: [{ messageId: 'managers', line: 3, column: 1, endLine: 3, endColumn: 24 }],
      output: seed('Dockerfile').replace(' && \\\n  pip3 install', '\nRUN pip3 install'),
    },
    {
      name: 'heredoc with two managers',
      code: 'FROM debian:bookworm\nRUN <<EOF\napt-get update\napt-get install -y python3-pip\npip3 install requests\nEOF\n',
      errors: [{ messageId: 'managers', line: 2, column: 1, endLine: 2, endColumn: 10 }],
      output: null,
    },
    {
      name: 'apk and npm',
      code: 'FROM node:22-alpine\nRUN apk add --no-cache git && npm install -g pnpm\n',
      errors: [{ messageId: 'managers', line: 2, column: 1, endLine: 2, endColumn: 50 }],
      output: 'FROM node:22-alpine\nRUN apk add --no-cache git\nRUN npm install -g pnpm\n',
    },
    {
      name: 'three managers in a build stage still cost cache',
      code: 'FROM ruby:3 AS build\nRUN apt-get update && apt-get install -y nodejs && gem install bundler && npm install -g yarn\nFROM ruby:3\nCOPY --from=build /usr/local/bundle /usr/local/bundle\n',
      errors: [{ messageId: 'managers', line: 2, column: 1, endLine: 2, endColumn: 94 }],
      output:
        'FROM ruby:3 AS build\nRUN apt-get update && apt-get install -y nodejs\nRUN gem install bundler\nRUN npm install -g yarn\nFROM ruby:3\nCOPY --from=build /usr/local/bundle /usr/local/bundle\n',
    },
  ],
});
