import rule from '../../src/rules/pipe-without-pipefail.js';
import { ruleTester } from '../support/rule-tester.js';

const ADVICE = (advice: string) =>
  `Without \`pipefail\` this pipeline succeeds even when \`curl\` fails (only the last command's exit status counts), and BuildKit caches the broken result as a success. ${advice}`;

ruleTester(rule, {
  valid: [
    { name: 'no pipe', code: 'FROM debian\nRUN wget -O - https://a/x && wc -l file > /number\n' },
    { name: '|| is not a pipe', code: 'FROM debian\nRUN curl -fsSLO https://a/x || wget https://a/x\n' },
    { name: '| inside quotes', code: 'FROM debian\nRUN echo "a | b" > /f && grep -E \'x|y\' /f\n' },
    { name: 'set -o pipefail earlier in the RUN', code: 'FROM alpine\nRUN set -o pipefail && wget -qO- https://a/x | tar -xz\n' },
    { name: 'set -euxo pipefail', code: 'FROM alpine\nRUN set -euxo pipefail; \\\n  wget -qO- https://a/x | tar -xz\n' },
    {
      name: 'set -eo pipefail on an earlier line',
      code: 'FROM alpine\nRUN set -eo pipefail\\\n  ; apk add curl \\\n  && curl -fsSL https://a/x | sh\n',
    },
    {
      name: 'SHELL with -o pipefail',
      code: 'FROM debian\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://a/x | tar -xz\n',
    },
    {
      name: 'SHELL with -eo pipefail, later RUN',
      code: 'FROM debian\nSHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN true\nRUN curl -fsSL https://a/x | tar -xz\n',
    },
    {
      name: 'SHELL zsh -o errexit -o pipefail',
      code: 'FROM debian\nSHELL ["/usr/bin/zsh", "-o", "errexit", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://a/x | tar -xz\n',
    },
    {
      name: 'PowerShell is not read',
      code: 'FROM mcr.microsoft.com/powershell\nSHELL ["pwsh", "-c"]\nRUN Get-Variable PSVersionTable | Select-Object -ExpandProperty Value\n',
    },
    { name: 'exec form runs no shell', code: 'FROM debian\nRUN ["sh", "-c", "curl https://a/x | tar -xz"]\n' },
    {
      name: 'echo and printf cannot fail',
      code: 'FROM debian\nRUN echo "$SHA  /x.tgz" | sha256sum -c - && printf "%s\\n" a b | sort > /f\n',
    },
    { name: 'yes only fails by SIGPIPE', code: 'FROM debian\nRUN yes | apt-get install foo\n' },
    {
      name: 'a reader that stops early: pipefail would fail the step by SIGPIPE',
      code: 'FROM debian\nRUN P="$(cat /dev/urandom | tr -dc a-z | head -c 16)" && if curl -fsSL https://a/x | grep -q ok; then echo up; fi\n',
    },
    {
      name: 'an endless writer made of loop conditions, sleep and echo',
      code: 'FROM debian\nRUN ( sleep 5 && while [ 1 ]; do sleep 1; echo y; done ) | android update sdk --no-ui\n',
    },
    {
      name: 'heredoc script with pipefail',
      code: 'FROM alpine\nRUN <<EOF\nset -euo pipefail\nwget -qO- https://a/x | tar -xz\nEOF\n',
    },
    {
      name: 'heredoc with a #!/bin/bash shebang that sets pipefail',
      code: 'FROM debian\nRUN <<EOF\n#!/bin/bash\nset -o pipefail\ncurl -fsSL https://a/x | tar -xz\nEOF\n',
    },
    { name: 'heredoc run by python', code: 'FROM python\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1 | 2)\nEOF\n' },
    { name: 'heredoc that is data', code: 'FROM debian\nRUN cat > /x.sh <<EOF\ncurl https://a/x | sh\nEOF\n' },
    {
      name: 'a pipe whose writer is echo of a substitution',
      code: 'FROM debian\nRUN echo "$(curl -fsSL https://a/x)" | tee /f\n',
    },
    {
      name: 'pipefail inherited by $(…)',
      code: 'FROM alpine\nRUN set -o pipefail && V="$(wget -qO- https://a/v | head -1)" && echo "$V"\n',
    },
  ],
  invalid: [
    {
      name: 'wget | tar under /bin/sh',
      code: 'FROM debian\nRUN wget -qO- https://a/x.tgz | tar -xz -C /opt\n',
      errors: [{ messageId: 'pipe', line: 2, column: 31, endLine: 2, endColumn: 32 }],
      output: null,
    },
    {
      name: 'once per RUN, at the first unguarded pipe; |& counts',
      code: 'FROM debian\nRUN apt-get update \\\n && curl -fsSL https://a/x |& tee /log \\\n && curl https://a/y | sh\n',
      errors: [{ messageId: 'pipe', line: 3, column: 28, endLine: 3, endColumn: 30 }],
      output: null,
    },
    {
      name: 'pipefail set after the pipe, or in another RUN, does not count',
      code: 'FROM alpine\nRUN set -o pipefail\nRUN curl https://a/x | sh; set -o pipefail\n',
      errors: [
        {
          messageId: 'pipe',
          line: 3,
          column: 22,
          endLine: 3,
          endColumn: 23,
          message:
            "Without `pipefail` this pipeline succeeds even when `curl` fails (only the last command's exit status counts), and BuildKit caches the broken result as a success. Start the script with `set -o pipefail &&`.",
        },
      ],
      output: null,
    },
    {
      name: 'advice by shell: dash in Debian images, bash by SHELL, either for an unknown base',
      code: 'FROM python:3.12-slim\nRUN curl https://a/x | sh\nSHELL ["/bin/bash", "-c"]\nRUN curl https://a/x | sh\nFROM example/base\nRUN curl https://a/x | sh\n',
      errors: [
        {
          messageId: 'pipe',
          line: 2,
          column: 22,
          endLine: 2,
          endColumn: 23,
          message: ADVICE(
            'Put `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before this RUN: `/bin/sh` is dash in this image, which has no `pipefail`.',
          ),
        },
        {
          messageId: 'pipe',
          line: 4,
          column: 22,
          endLine: 4,
          endColumn: 23,
          message: ADVICE('Start the script with `set -o pipefail &&`.'),
        },
        {
          messageId: 'pipe',
          line: 6,
          column: 22,
          endLine: 6,
          endColumn: 23,
          message: ADVICE(
            'Start the script with `set -o pipefail &&` where `/bin/sh` knows it (busybox ash, bash; not dash), or put `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before this RUN.',
          ),
        },
      ],
      output: null,
    },
    {
      name: 'set +o pipefail turns it off again',
      code: 'FROM alpine\nRUN set -o pipefail; set +o pipefail; curl https://a/x | sh\n',
      errors: [{ messageId: 'pipe', line: 2, column: 56, endLine: 2, endColumn: 57 }],
      output: null,
    },
    {
      name: 'SHELL without pipefail, and a new stage or SHELL resets it',
      code: 'FROM debian AS a\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl https://a/x | sh\nSHELL ["/bin/bash", "-c"]\nRUN curl https://a/x | sh\nFROM debian\nRUN curl https://a/x | sh\n',
      errors: [
        { messageId: 'pipe', line: 5, column: 22, endLine: 5, endColumn: 23 },
        { messageId: 'pipe', line: 7, column: 22, endLine: 7, endColumn: 23 },
      ],
      output: null,
    },
    {
      name: 'a pipe inside $(…)',
      code: 'FROM debian\nRUN V="$(curl -fsSL https://a/v | jq -r .tag)" && echo "$V"\n',
      errors: [{ messageId: 'pipe', line: 2, column: 33, endLine: 2, endColumn: 34 }],
      output: null,
    },
    {
      name: 'a pipe in a subshell and a multi-line element',
      code: 'FROM debian\nRUN { cd /tmp && find . -name "*.so" ; } \\\n  | xargs -r strip\n',
      errors: [{ messageId: 'pipe', line: 3, column: 3, endLine: 3, endColumn: 4 }],
      output: null,
    },
    {
      name: 'heredoc script with a shebang and no pipefail; a thrown-away stage',
      code: 'FROM debian AS unused\nRUN <<EOF\n#!/bin/bash\ncurl -fsSL https://a/x | tar -xz\nEOF\nFROM debian\nRUN true\n',
      errors: [{ messageId: 'pipe', line: 4, column: 24, endLine: 4, endColumn: 25 }],
      output: null,
    },
  ],
});
