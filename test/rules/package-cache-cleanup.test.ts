import rule from '../../src/rules/package-cache-cleanup.js';
import { ruleTester } from '../support/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'apt lists removed',
      code: 'FROM debian\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
    },
    {
      name: 'apt-get dist-clean',
      code: 'FROM debian:trixie\nRUN apt-get update && apt-get install -y curl && apt-get dist-clean\n',
    },
    { name: 'apk --no-cache', code: 'FROM alpine\nRUN apk add --no-cache curl\n' },
    { name: 'apk cache removed', code: 'FROM alpine\nRUN apk add curl && rm -rf /var/cache/apk/*\n' },
    { name: 'pip --no-cache-dir', code: 'FROM python:3.12\nRUN pip install --no-cache-dir requests\n' },
    { name: 'PIP_NO_CACHE_DIR in ENV', code: 'FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install requests\n' },
    { name: 'PIP_NO_CACHE_DIR on the command', code: 'FROM python:3.12\nRUN PIP_NO_CACHE_DIR=1 pip install requests\n' },
    {
      name: 'cache mounts on the apt paths',
      code: 'FROM debian\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y curl\n',
    },
    { name: 'pip cache mount', code: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install requests\n' },
    {
      // BuildKit runs the RUN with HOME from app's /etc/passwd entry, which useradd made /home/app.
      name: "a non-root user's cache mounted in its home",
      code: 'FROM debian:12\nRUN useradd -m app\nUSER app\nRUN --mount=type=cache,target=/home/app/.npm,uid=1000 npm ci\n',
    },
    { name: 'dnf clean all', code: 'FROM fedora:40\nRUN dnf install -y nginx && dnf clean all\n' },
    { name: 'npm cache clean', code: 'FROM node:22\nRUN npm install -g pnpm && npm cache clean --force\n' },
    {
      name: 'builder stage thrown away',
      code: 'FROM python:3.12 AS build\nRUN pip install --prefix=/install requests\nFROM python:3.12-slim\nCOPY --from=build /install /usr/local\n',
    },
    {
      name: 'heredoc with cleanup',
      code: 'FROM debian\nRUN <<EOF\nset -e\napt-get update\napt-get install -y curl\nrm -rf /var/lib/apt/lists/*\nEOF\n',
    },
  ],
  invalid: [
    {
      name: 'apt lists left',
      code: 'FROM debian\nRUN apt-get update && apt-get install -y curl\n',
      errors: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 19 }],
      output: 'FROM debian\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
    },
    {
      name: 'apk add without --no-cache',
      code: 'FROM alpine\nRUN apk add curl\n',
      errors: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 12 }],
      output: 'FROM alpine\nRUN apk add --no-cache curl\n',
    },
    {
      name: 'pip install without --no-cache-dir',
      code: 'FROM python:3.12\nRUN pip install requests\n',
      errors: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 16 }],
      output: 'FROM python:3.12\nRUN pip install --no-cache-dir requests\n',
    },
    {
      name: 'cache mount on another path does not count',
      code: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.npm pip install requests\n',
      errors: [{ messageId: 'cacheLeft', line: 2, column: 42, endLine: 2, endColumn: 53 }],
      output: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.npm pip install --no-cache-dir requests\n',
    },
    {
      name: 'dnf without clean',
      code: 'FROM fedora:40\nRUN dnf install -y nginx\n',
      errors: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 16 }],
      output: 'FROM fedora:40\nRUN dnf install -y nginx && dnf clean all\n',
    },
  ],
});
