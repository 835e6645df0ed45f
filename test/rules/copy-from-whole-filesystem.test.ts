import rule from '../../src/rules/copy-from-whole-filesystem.js';
import { ruleTester } from '../support/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'one directory',
      code: 'FROM golang:1.23 AS build\nRUN go build -o /out/app\nFROM debian:12\nCOPY --from=build /out/app /usr/local/bin/\n',
    },
    {
      name: 'flattening into scratch',
      code: 'FROM debian:12 AS rootfs\nRUN apt-get update\nFROM scratch\nCOPY --from=rootfs / /\n',
    },
    {
      name: 'out of a scratch stage of artifacts',
      code: 'FROM scratch AS files\nCOPY app /app\nFROM debian:12\nCOPY --from=files / /\n',
    },
    {
      name: 'an image of tools built FROM scratch',
      code: 'FROM tonistiigi/xx:1.5 AS xx\nFROM golang:1.23\nCOPY --from=xx / /\n',
    },
    { name: 'an unknown image', code: 'FROM alpine:3.20\nCOPY --from=vendor/artifacts:1 / /opt/\n' },
    { name: 'a plain COPY of the context root', code: 'FROM alpine:3.20\nCOPY / /app/\n' },
  ],
  invalid: [
    {
      name: 'a whole Go toolchain stage',
      code: 'FROM golang:1.23 AS build\nRUN go build -o /out/app\nFROM debian:12-slim\nCOPY --from=build / /\n',
      errors: [{ messageId: 'wholeFs', line: 4, column: 1, endLine: 4, endColumn: 22 }],
      output: null,
    },
    {
      name: 'an OS image by name, exec form, through a parent stage',
      code: 'FROM node:22 AS base\nFROM base\nCOPY --from=python:3.12 ["/", "/opt/py"]\n',
      errors: [{ messageId: 'wholeFs', line: 3, column: 1, endLine: 3, endColumn: 41 }],
      output: null,
    },
  ],
});
