import rule from '../../src/rules/system-upgrade-in-build.js';
import { ruleTester } from '../support/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'install only', code: 'FROM debian\nRUN apt-get update && apt-get install -y curl\n' },
    { name: 'dnf upgrade of named packages', code: 'FROM fedora\nRUN dnf upgrade -y openssl\n' },
    { name: 'apk upgrade of a named package', code: 'FROM alpine\nRUN apk upgrade --no-cache openssl\n' },
    { name: 'pip upgrade is not a system upgrade', code: 'FROM python\nRUN pip install --upgrade pip\n' },
    { name: 'apt-get update is not an upgrade', code: 'FROM debian\nRUN apt-get update\n' },
    { name: 'the word in an echo', code: 'FROM debian\nRUN echo apt-get upgrade\n' },
  ],
  invalid: [
    {
      name: 'apt-get upgrade',
      code: 'FROM debian\nRUN apt-get update && apt-get -y upgrade\n',
      errors: [{ messageId: 'upgrade', line: 2, column: 23, endLine: 2, endColumn: 41 }],
      output: null,
    },
    {
      name: 'dist-upgrade with an option value',
      code: 'FROM debian\nRUN apt-get -o Dpkg::Options::=--force-confold dist-upgrade -y\n',
      errors: [{ messageId: 'upgrade', line: 2, column: 5, endLine: 2, endColumn: 60 }],
      output: null,
    },
    {
      name: 'apk, yum, zypper across continuations',
      code: 'FROM x\nRUN apk upgrade --no-cache \\\n && yum update -y \\\n && zypper -n dup\n',
      errors: [
        { messageId: 'upgrade', line: 2, column: 5, endLine: 2, endColumn: 16 },
        { messageId: 'upgrade', line: 3, column: 5, endLine: 3, endColumn: 15 },
        { messageId: 'upgrade', line: 4, column: 5, endLine: 4, endColumn: 18 },
      ],
      output: null,
    },
  ],
});
