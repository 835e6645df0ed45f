import rule from '../../src/rules/pip-externally-managed.js';
import { ruleTester } from '../support/rule-tester.js';

const apt =
  'RUN apt-get update && apt-get install -y --no-install-recommends python3-pip python3-venv && rm -rf /var/lib/apt/lists/*\n';

ruleTester(rule, {
  valid: [
    { name: 'bullseye does not enforce PEP 668', code: 'FROM debian:bullseye\n' + apt + 'RUN pip3 install requests\n' },
    { name: 'python image', code: 'FROM python:3.12-slim-bookworm\nRUN pip install requests\n' },
    {
      name: '--break-system-packages',
      code: 'FROM debian:bookworm\n' + apt + 'RUN pip install --break-system-packages requests\n',
    },
    {
      name: 'ENV PIP_BREAK_SYSTEM_PACKAGES',
      code: 'FROM debian:bookworm\nENV PIP_BREAK_SYSTEM_PACKAGES=1\n' + apt + 'RUN pip install requests\n',
    },
    {
      name: 'venv pip by path',
      code: 'FROM debian:bookworm\n' + apt + 'RUN python3 -m venv /venv && /venv/bin/pip install requests\n',
    },
    {
      name: 'venv on PATH',
      code:
        'FROM debian:bookworm\n' +
        apt +
        'RUN python3 -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\nRUN pip install requests\n',
    },
    {
      name: 'venv activated',
      code: 'FROM ubuntu:24.04\n' + apt + 'RUN python3 -m venv /v && . /v/bin/activate && pip install requests\n',
    },
    {
      name: 'VIRTUAL_ENV set',
      code:
        'FROM ubuntu:24.04\nENV VIRTUAL_ENV=/v PATH=/v/bin:$PATH\n' +
        apt +
        'RUN python3 -m venv $VIRTUAL_ENV\nRUN pip install requests\n',
    },
    { name: '--target', code: 'FROM debian:bookworm\n' + apt + 'RUN pip install --target /deps requests\n' },
    { name: 'pip download', code: 'FROM debian:bookworm\n' + apt + 'RUN pip download requests\n' },
    { name: 'conda on PATH', code: 'FROM debian:bookworm\nENV PATH=/opt/conda/bin:$PATH\nRUN pip install requests\n' },
    { name: 'unknown base', code: 'FROM myorg/base:1\nRUN pip install requests\n' },
  ],
  invalid: [
    {
      name: 'bookworm',
      code: 'FROM debian:bookworm\n' + apt + 'RUN pip install requests\n',
      errors: [{ messageId: 'managed', line: 3, column: 5, endLine: 3, endColumn: 16 }],
      output: null,
    },
    {
      name: 'python3 -m pip on ubuntu 24.04',
      code: 'FROM ubuntu:24.04\n' + apt + 'RUN python3 -m pip install requests\n',
      errors: [{ messageId: 'managed', line: 3, column: 5, endLine: 3, endColumn: 27 }],
      output: null,
    },
    {
      name: 'through a parent stage',
      code: 'FROM alpine:3.20 AS base\nRUN apk add --no-cache py3-pip\nFROM base\nRUN pip3 install requests\n',
      errors: [{ messageId: 'managed', line: 4, column: 5, endLine: 4, endColumn: 17 }],
      output: null,
    },
    {
      name: '--user is refused too',
      code: 'FROM debian:12\n' + apt + 'RUN pip install --user requests\n',
      errors: [{ messageId: 'managed', line: 3, column: 5, endLine: 3, endColumn: 16 }],
      output: null,
    },
  ],
});
