import rule from '../../src/rules/useradd-large-uid.js';
import { ruleTester } from '../support/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'small UID', code: 'FROM debian\nRUN useradd -u 1000 app\n' },
    { name: 'below the threshold (9.75 MB)', code: 'FROM debian\nRUN useradd -u 30101 app\n' },
    { name: '-l', code: 'FROM debian\nRUN useradd -l -u 100000 app\n' },
    { name: '-l in a cluster', code: 'FROM debian\nRUN useradd -lm -u 100000 app\n' },
    { name: '--no-log-init', code: 'FROM debian\nRUN useradd --no-log-init --uid=123456789 app\n' },
    { name: 'busybox adduser', code: 'FROM alpine\nRUN adduser -D -u 100000 app\n' },
    { name: 'UID from a variable', code: 'FROM debian\nRUN useradd -u "$UID" app\n' },
    { name: 'a lower threshold is an option', code: 'FROM debian\nRUN useradd -u 10001 app\n', options: { minMegabytes: 4 } },
  ],
  invalid: [
    {
      name: '-u N',
      code: 'FROM debian\nRUN groupadd -g 100000 app && useradd -u 100000 -g app app\n',
      errors: [
        {
          messageId: 'lastlog',
          line: 2,
          column: 31,
          endLine: 2,
          endColumn: 38,
          message:
            '`useradd -u 100000` without `-l` writes /var/log/lastlog and faillog up to that UID: about 32 MB of zeros stored in this layer. Add `-l` (`--no-log-init`).',
        },
      ],
      output: 'FROM debian\nRUN groupadd -g 100000 app && useradd -l -u 100000 -g app app\n',
    },
    {
      name: '--uid=N and -uN',
      code: 'FROM debian\nRUN useradd --uid=2000000 a; /usr/sbin/useradd -u999999 b\n',
      errors: [
        { messageId: 'lastlog', line: 2, column: 5, endLine: 2, endColumn: 12 },
        { messageId: 'lastlog', line: 2, column: 30, endLine: 2, endColumn: 47 },
      ],
      output: 'FROM debian\nRUN useradd -l --uid=2000000 a; /usr/sbin/useradd -l -u999999 b\n',
    },
    {
      name: 'the option lowers the threshold',
      code: 'FROM debian\nRUN useradd -u 10001 app\n',
      options: { minMegabytes: 1 },
      errors: [{ messageId: 'lastlog', line: 2, column: 5, endLine: 2, endColumn: 12 }],
      output: 'FROM debian\nRUN useradd -l -u 10001 app\n',
    },
  ],
});
