import rule from '../../src/rules/apt-update-alone.js';
import { ruleTester } from '../support/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'update and install', code: 'FROM debian\nRUN apt-get update && apt-get install -y curl\n' },
    { name: 'update and upgrade', code: 'FROM debian\nRUN apt-get update && apt-get upgrade -y\n' },
    { name: 'apk update and add', code: 'FROM alpine\nRUN apk update && apk add curl\n' },
    { name: 'heredoc with install', code: 'FROM debian\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n' },
    { name: 'build-dep uses the index', code: 'FROM debian\nRUN apt-get update && apt-get build-dep -y hello\n' },
    { name: 'apt (not apt-get)', code: 'FROM ubuntu\nRUN apt update && apt install -y curl\n' },
    { name: 'an install script we cannot see into', code: 'FROM debian\nRUN apt-get update && ./install-deps.sh\n' },
    { name: 'dnf makecache then install', code: 'FROM fedora\nRUN dnf makecache && dnf install -y nginx\n' },
  ],
  invalid: [
    {
      name: 'update in its own RUN',
      code: 'FROM debian\nRUN apt-get update\nRUN apt-get install -y curl\n',
      errors: [{ messageId: 'alone', line: 2, column: 5, endLine: 2, endColumn: 19 }],
      output: 'FROM debian\nRUN apt-get update && apt-get install -y curl\n',
    },
    {
      name: 'update with unrelated commands',
      code: 'FROM debian\nRUN apt-get update && echo done\n',
      errors: [{ messageId: 'alone', line: 2, column: 5, endLine: 2, endColumn: 19 }],
      output: null,
    },
    {
      name: 'apk update alone',
      code: 'FROM alpine\nRUN apk update\nRUN apk add --no-cache curl\n',
      errors: [{ messageId: 'alone', line: 2, column: 5, endLine: 2, endColumn: 15 }],
      output: 'FROM alpine\nRUN apk update && apk add --no-cache curl\n',
    },
  ],
});
