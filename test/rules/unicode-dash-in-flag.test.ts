import rule from '../../src/rules/unicode-dash-in-flag.js';
import { ruleTester } from '../support/rule-tester.js';

const mono = `# Dockerfile
FROM debian:bullseye
RUN apt-get update && \\
  apt-get install -–no-install-recommends --yes \\
  python3-pip && \\
  rm -rf /var/lib/apt/lists/* && \\
  pip3 install requests
`;

ruleTester(rule, {
  valid: [
    { name: 'ASCII flags', code: 'FROM debian\nRUN apt-get install --no-install-recommends -y curl\n' },
    { name: 'dash inside quotes is data', code: 'FROM debian\nRUN echo "–-not-a-flag" && grep -e "—x" /etc/os-release\n' },
    { name: 'echo prose with a spaced dash', code: 'FROM debian\nRUN echo Build — done\n' },
    { name: 'printf and echo arguments are text', code: 'FROM debian\nRUN echo —done; printf %s –x\n' },
    {
      name: 'comment line inside a continuation',
      code: 'FROM debian\nRUN apt-get install -y \\\n# –-no-install-recommends\n  curl\n',
    },
    { name: 'COPY heredoc body is a file, not a command', code: 'FROM debian\nCOPY <<EOF /etc/x.conf\n–-flag\nEOF\n' },
    { name: 'LABEL text', code: 'FROM debian\nLABEL description="fast — and –-small"\n' },
    { name: 'a word with a dash inside', code: 'FROM debian\nRUN touch a–b\n' },
  ],
  invalid: [
    {
      name: "the article's mono-layer",
      code: mono,
      errors: [{ messageId: 'lookalike', line: 4, column: 19, endLine: 4, endColumn: 42 }],
      output: mono.replace('-–no', '--no'),
    },
    {
      name: 'em dash before a long name (probable --, not a safe fix)',
      code: 'FROM python:3.12\nRUN pip install —no-cache-dir requests\n',
      errors: [{ messageId: 'lookalike', line: 2, column: 17, endLine: 2, endColumn: 30 }],
      output: null,
    },
    {
      name: 'en dash before one letter',
      code: 'FROM debian\nRUN apt-get install –y curl\n',
      errors: [{ messageId: 'lookalike', line: 2, column: 21, endLine: 2, endColumn: 23 }],
      output: 'FROM debian\nRUN apt-get install -y curl\n',
    },
    {
      name: 'exec form argument',
      code: 'FROM debian\nRUN ["apt-get", "install", "-–yes", "curl"]\n',
      errors: [{ messageId: 'lookalike', line: 2, column: 29, endLine: 2, endColumn: 34 }],
      output: 'FROM debian\nRUN ["apt-get", "install", "--yes", "curl"]\n',
    },
    {
      name: 'escape token ` and a continuation',
      code: '# escape=`\nFROM debian\nRUN apt-get update && `\n    apt-get install -y -–no-install-recommends curl\n',
      errors: [{ messageId: 'lookalike', line: 4, column: 24, endLine: 4, endColumn: 47 }],
      output: '# escape=`\nFROM debian\nRUN apt-get update && `\n    apt-get install -y --no-install-recommends curl\n',
    },
    {
      name: 'heredoc script',
      code: 'FROM debian\nRUN <<EOF\napt-get update\napt-get install -y -–no-install-recommends curl\nEOF\n',
      errors: [{ messageId: 'lookalike', line: 4, column: 20, endLine: 4, endColumn: 43 }],
      output: 'FROM debian\nRUN <<EOF\napt-get update\napt-get install -y --no-install-recommends curl\nEOF\n',
    },
  ],
});
