import rule from '../../src/rules/apt-no-install-recommends.js';
import { ruleTester } from '../support/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'flag present', code: 'FROM debian\nRUN apt-get install -y --no-install-recommends curl\n' },
    { name: 'flag before the operation', code: 'FROM debian\nRUN apt-get --no-install-recommends install -y curl\n' },
    { name: 'apt option', code: 'FROM debian\nRUN apt-get install -y -o APT::Install-Recommends=false curl\n' },
    {
      name: 'configured earlier in the stage',
      code: 'FROM debian\nRUN echo \'APT::Install-Recommends "0";\' > /etc/apt/apt.conf.d/99norecommends\nRUN apt-get install -y curl\n',
    },
    {
      name: 'builder stage thrown away',
      code: 'FROM debian AS build\nRUN apt-get install -y gcc\nFROM debian\nCOPY --from=build /usr/bin/gcc /usr/bin/\n',
    },
    {
      name: 'the flag typed with a look-alike dash (unicode-dash-in-flag reports the dash, once)',
      code: 'FROM debian\nRUN apt-get install -y -\u2013no-install-recommends curl\n',
    },
    {
      name: 'the flag typed with two en dashes or an em dash (the shell reads the meant flag)',
      code: 'FROM debian\nRUN apt-get install -y \u2013\u2013no-install-recommends curl && apt-get install -y \u2014no-install-recommends git\n',
    },
    { name: 'a simulation installs nothing', code: 'FROM debian\nRUN if apt-get install -s curl >/dev/null; then echo ok; fi\n' },
    { name: 'not an install', code: 'FROM debian\nRUN apt-get update && apt-get remove -y curl\n' },
  ],
  invalid: [
    {
      name: 'apt-get install',
      code: 'FROM debian\nRUN apt-get update && apt-get install -y curl\n',
      errors: [{ messageId: 'recommends', line: 2, column: 23, endLine: 2, endColumn: 38 }],
      output: 'FROM debian\nRUN apt-get update && apt-get install --no-install-recommends -y curl\n',
    },
    {
      name: 'apt install across a continuation',
      code: 'FROM ubuntu\nRUN apt update && \\\n    apt install -y \\\n      curl\n',
      errors: [{ messageId: 'recommends', line: 3, column: 5, endLine: 3, endColumn: 16 }],
      output: 'FROM ubuntu\nRUN apt update && \\\n    apt install --no-install-recommends -y \\\n      curl\n',
    },
  ],
});
