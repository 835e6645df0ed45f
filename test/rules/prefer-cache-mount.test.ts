import rule from '../../src/rules/prefer-cache-mount.js';
import { ruleTester } from '../support/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'pip with a cache mount',
      code: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n',
    },
    { name: 'npm with a cache mount', code: 'FROM node:22\nRUN --mount=type=cache,target=/root/.npm npm ci\n' },
    { name: 'no package manager', code: 'FROM debian\nRUN make\n' },
    {
      name: 'apt with cache mounts (docker docs recipe)',
      code: 'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y gcc\n',
    },
    { name: 'heredoc script under a mount', code: 'FROM node:22\nRUN --mount=type=cache,target=/root/.npm <<EOF\nnpm ci\nEOF\n' },
    { name: 'index refresh only', code: 'FROM debian\nRUN apt-get update\n' },
    {
      name: 'a mount without uid= under a user whose uid only the image knows: nothing to say',
      code: 'FROM node:22\nUSER node\nENV npm_config_cache=/cache\nRUN --mount=type=cache,target=/cache npm ci\n',
    },
    {
      name: 'a mount anyone may write (mode=0777) under a non-root USER',
      code: 'FROM debian:12\nRUN useradd -u 1234 -m app\nUSER app\nRUN --mount=type=cache,target=/home/app/.npm,mode=0777 npm ci\n',
    },
    {
      name: "a non-root USER's cache mounted in its home",
      code: 'FROM debian:12\nRUN useradd -u 1234 -m app\nUSER app\nRUN --mount=type=cache,target=/home/app/.npm,uid=1234 npm ci\n',
    },
  ],
  invalid: [
    {
      name: 'pip without a mount',
      code: 'FROM python:3.12\nRUN pip install -r requirements.txt\n',
      errors: [{ messageId: 'mount', line: 2, column: 5, endLine: 2, endColumn: 16 }],
      output: null,
    },
    {
      name: 'mount on another manager',
      code: 'FROM node:22\nRUN --mount=type=cache,target=/root/.cache/pip npm ci\n',
      errors: [{ messageId: 'mount', line: 2, column: 48, endLine: 2, endColumn: 54 }],
      output: null,
    },
    {
      name: "a non-root USER's cache mount without uid=: BuildKit makes it root's, the user cannot write it",
      code: 'FROM debian:12\nRUN useradd -l -u 1234 -m app\nUSER app\nRUN --mount=type=cache,target=/home/app/.npm npm ci\n',
      errors: [{ messageId: 'rootOwned', line: 4, column: 5, endLine: 4, endColumn: 45 }],
      unsafe: true,
      output:
        'FROM debian:12\nRUN useradd -l -u 1234 -m app\nUSER app\nRUN --mount=type=cache,target=/home/app/.npm,uid=1234 npm ci\n',
    },
    {
      name: 'a mounted npm cache emptied in the same RUN: the cleanup goes',
      code: 'FROM node:22\nRUN --mount=type=cache,target=/root/.npm npm ci && npm cache clean --force\n',
      errors: [{ messageId: 'emptied', line: 2, column: 52, endLine: 2, endColumn: 75 }],
      unsafe: true,
      output: 'FROM node:22\nRUN --mount=type=cache,target=/root/.npm npm ci\n',
    },
    {
      name: 'mounted apt places emptied before and after the install: both cleanups go',
      code: 'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get clean; apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*\n',
      errors: [
        { messageId: 'emptied', line: 2, column: 115, endLine: 2, endColumn: 128 },
        { messageId: 'emptied', line: 2, column: 174, endLine: 2, endColumn: 201 },
      ],
      unsafe: true,
      output:
        'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y gcc\n',
    },
    {
      name: 'pip told not to use the mounted cache: the flag goes',
      code: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir -r requirements.txt\n',
      errors: [{ messageId: 'disabled', line: 2, column: 60, endLine: 2, endColumn: 74 }],
      unsafe: true,
      output: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n',
    },
    {
      name: 'a mounted cache disabled by the environment: reported, no fix',
      code: 'FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN --mount=type=cache,target=/root/.cache/pip pip install x\n',
      errors: [{ messageId: 'disabled', line: 3, column: 48, endLine: 3, endColumn: 59 }],
      unsafe: true,
      output: null,
    },
  ],
});
