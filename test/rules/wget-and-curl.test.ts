import rule from '../../src/rules/wget-and-curl.js';
import { ruleTester } from '../support/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'curl only', code: 'FROM debian\nRUN curl -fsSLO https://a/x && curl -fsSLO https://a/y\n' },
    { name: 'named as packages, not run', code: 'FROM debian\nRUN apt-get install -y curl wget\nRUN curl -O https://a/x\n' },
    { name: 'different stages', code: 'FROM debian AS fetch\nRUN wget https://a/x\nFROM debian\nRUN curl -O https://a/y\n' },
    { name: 'a heredoc that is data', code: 'FROM debian\nRUN curl -O https://a/x\nCOPY <<EOF /notes\nwget is not used\nEOF\n' },
  ],
  invalid: [
    {
      name: 'at the second tool, once per stage',
      code: 'FROM debian\nRUN curl -fsSLO https://a/x\nRUN echo ok && wget -q https://a/y && curl -O https://a/z\nRUN wget https://a/w\n',
      errors: [{ messageId: 'both', line: 3, column: 16, endLine: 3, endColumn: 20 }],
      output: null,
    },
    {
      name: 'in one RUN, by path, exec form and heredoc across stages',
      code: 'FROM debian\nRUN ["/usr/bin/wget", "https://a/x"]\nRUN <<EOF\nset -e\n/usr/bin/curl -O https://a/y\nEOF\nFROM debian\nRUN wget https://a/x | sh && curl https://a/y\n',
      errors: [
        { messageId: 'both', line: 5, column: 1, endLine: 5, endColumn: 14 },
        { messageId: 'both', line: 8, column: 30, endLine: 8, endColumn: 34 },
      ],
      output: null,
    },
  ],
});
