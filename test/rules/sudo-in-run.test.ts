import rule from '../../src/rules/sudo-in-run.js';
import { ruleTester } from '../support/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'installing sudo', code: 'FROM debian\nRUN apt-get install -y sudo\n' },
    { name: 'a word, not a command', code: 'FROM debian\nRUN usermod -aG sudo app && echo sudo && grep sudo /etc/group\n' },
    { name: 'USER root instead', code: 'FROM debian\nUSER root\nRUN apt-get update\n' },
    {
      name: 'a heredoc that is data',
      code: 'FROM debian\nRUN cat <<EOF > /etc/sudoers.d/app\napp ALL=(ALL) NOPASSWD: ALL\nEOF\n',
    },
  ],
  invalid: [
    {
      name: 'once per RUN, at the first sudo',
      code: 'FROM ubuntu\nUSER ubuntu\nRUN sudo apt-get update && sudo apt-get install -y curl\n',
      errors: [{ messageId: 'sudo', line: 3, column: 5, endLine: 3, endColumn: 9 }],
      output: null,
    },
    {
      name: 'inside an if body and by path',
      code: 'FROM ubuntu\nRUN if true; then /usr/bin/sudo -u app make; fi\n',
      errors: [{ messageId: 'sudo', line: 2, column: 19, endLine: 2, endColumn: 32 }],
      output: null,
    },
    {
      name: 'heredoc script',
      code: 'FROM ubuntu\nRUN <<EOF\nset -e\nsudo make install\nEOF\n',
      errors: [{ messageId: 'sudo', line: 4, column: 1, endLine: 4, endColumn: 5 }],
      output: null,
    },
  ],
});
