/** The rule tester on a rule with fixes: fixes are applied round after round until the text settles, then re-parsed. */
import { defineRule } from '../../src/rules/define.js';
import { ruleTester } from '../support/rule-tester.js';

/** Lower-case instruction keywords become upper case; an unsafe fix for `add` is offered but never applied. */
const upperKeywords = defineRule({
  id: 'upper-keywords',
  status: 'preview',
  since: '0.1.0',
  severity: 'info',
  tags: ['correctness'],
  fix: 'sometimes',
  messages: { lower: '{{keyword}} is not upper case' },
  defaultOptions: {},
  docs: { description: 'x.', whatItDoes: 'x', why: 'x', example: 'x', useInstead: 'x', fixSafety: 'x', references: [] },
  create: (ctx) => ({
    Instruction(instruction) {
      const { keyword, keywordRange } = instruction;
      if (keyword === keyword.toUpperCase()) return;
      const edits = [{ start: keywordRange.start.offset, end: keywordRange.end.offset, text: keyword.toUpperCase() }];
      ctx.report({
        node: keywordRange && { range: keywordRange },
        messageId: 'lower',
        data: { keyword },
        fix: { safety: instruction.name === 'ADD' ? 'unsafe' : 'safe', edits },
      });
    },
  }),
});

ruleTester(upperKeywords, {
  valid: ['FROM a:1\nRUN x\n'],
  invalid: [
    {
      code: 'from a:1\nrun x \\\n  y\nRun z\n',
      errors: [
        { messageId: 'lower', line: 1, column: 1, endLine: 1, endColumn: 5, message: 'from is not upper case' },
        { messageId: 'lower', line: 2, column: 1, endLine: 2, endColumn: 4 },
        { messageId: 'lower', line: 4, column: 1, endLine: 4, endColumn: 4 },
      ],
      output: 'FROM a:1\nRUN x \\\n  y\nRUN z\n',
    },
    {
      name: 'an unsafe fix is not applied',
      code: 'FROM a:1\nadd x /y\n',
      errors: [{ messageId: 'lower', line: 2, column: 1, endLine: 2, endColumn: 4 }],
      output: null,
    },
  ],
});
