import rule from '../../src/rules/unpinned-package-version.js';
import { ruleTester } from '../support/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'apt pinned', code: 'FROM debian\nRUN apt-get install -y curl=7.88.1-10+deb12u8\n' },
    { name: 'apk pinned', code: 'FROM alpine\nRUN apk add --no-cache curl=8.5.0-r0\n' },
    { name: 'pip pinned', code: 'FROM python\nRUN pip install --no-cache-dir requests==2.32.3\n' },
    { name: 'pip requirements file', code: 'FROM python\nRUN pip install --no-cache-dir -r requirements.txt\n' },
    { name: 'pip local project', code: 'FROM python\nRUN pip install --no-cache-dir .\n' },
    { name: 'npm ci (lockfile)', code: 'FROM node\nRUN npm ci\n' },
    { name: 'npm global pinned', code: 'FROM node\nRUN npm install -g pnpm@9.1.0\n' },
    { name: 'gem with -v', code: 'FROM ruby\nRUN gem install rails -v 7.1.0\n' },
    { name: 'gem name:version', code: 'FROM ruby\nRUN gem install rails:7.1.0\n' },
    { name: 'dnf name-version', code: 'FROM fedora\nRUN dnf install -y nginx-1.24.0\n' },
    { name: 'go install @version', code: 'FROM golang\nRUN go install golang.org/x/tools/gopls@v0.16.2\n' },
    { name: 'local .deb', code: 'FROM debian\nRUN apt-get install -y ./pkg.deb\n' },
    { name: 'version from a variable', code: 'FROM node\nRUN npm install -g "ghost-cli@$GHOST_CLI_VERSION"\n' },
    { name: 'package list in a variable', code: 'FROM debian\nRUN apt-get install -y $PACKAGES\n' },
    { name: 'not an install', code: 'FROM debian\nRUN apt-get remove -y curl\n' },
    { name: 'cargo is not checked', code: 'FROM rust\nRUN cargo install ripgrep\n' },
  ],
  invalid: [
    {
      name: 'apt-get install, one finding at the first unpinned package',
      code: 'FROM debian\nRUN apt-get install -y curl=1 wget git\n',
      errors: [{ messageId: 'unpinned', line: 2, column: 31, endLine: 2, endColumn: 35 }],
      output: null,
    },
    {
      name: 'message lists three and counts the rest',
      code: 'FROM alpine\nRUN apk add a b c d e\n',
      errors: [
        {
          messageId: 'unpinned',
          line: 2,
          column: 13,
          endLine: 2,
          endColumn: 14,
          message:
            '`apk` installs `a`, `b`, `c` and 2 more without a version: a cold build gets whatever the mirror has that day, a warm one whatever the cache holds. Pin as `name=version`.',
        },
      ],
      output: null,
    },
    {
      name: 'pip range is not a pin',
      code: 'FROM python\nRUN pip install --no-cache-dir "wheel<0.46"\n',
      errors: [{ messageId: 'unpinned', line: 2, column: 32, endLine: 2, endColumn: 44 }],
      output: null,
    },
    {
      name: 'npm global, go @latest, gem, yum in one heredoc',
      code: 'FROM x\nRUN <<EOF\nnpm install -g pnpm\ngo install golang.org/x/tools/gopls@latest\ngem install rails\nyum install -y nginx\nEOF\n',
      errors: [
        { messageId: 'unpinned', line: 3, column: 16, endLine: 3, endColumn: 20 },
        { messageId: 'unpinned', line: 4, column: 12, endLine: 4, endColumn: 43 },
        { messageId: 'unpinned', line: 5, column: 13, endLine: 5, endColumn: 18 },
        { messageId: 'unpinned', line: 6, column: 16, endLine: 6, endColumn: 21 },
      ],
      output: null,
    },
    {
      name: 'exec form',
      code: 'FROM python\nRUN ["pip", "install", "flask"]\n',
      errors: [{ messageId: 'unpinned', line: 2, column: 25, endLine: 2, endColumn: 30 }],
      output: null,
    },
  ],
});
