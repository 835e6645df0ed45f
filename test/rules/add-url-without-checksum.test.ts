import rule from '../../src/rules/add-url-without-checksum.js';
import { ruleTester } from '../support/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM alpine:3.20\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/a.tgz /a\n',
    'FROM alpine:3.20\nADD app.tar.gz /opt/\n',
    'FROM alpine:3.20\nCOPY https-notes.txt /\n',
    { name: 'git source', code: 'FROM alpine:3.20\nADD https://github.com/moby/buildkit.git#v0.17.0 /src\n' },
    { name: 'the destination may look like a URL', code: 'FROM alpine:3.20\nADD a.txt http://x/\n' },
    { name: 'heredoc source', code: 'FROM alpine:3.20\nADD <<EOF /x\nhttps://example.com\nEOF\n' },
  ],
  invalid: [
    {
      code: 'FROM alpine:3.20\nADD https://example.com/tool /usr/local/bin/tool\n',
      errors: [
        {
          messageId: 'noChecksum',
          line: 2,
          column: 5,
          endLine: 2,
          endColumn: 29,
          message:
            'ADD downloads https://example.com/tool without --checksum: BuildKit must fetch it on every build to know if it changed',
        },
      ],
      output: null,
    },
    {
      name: 'every URL source, exec form and continuation lines',
      code: 'FROM alpine:3.20\nADD ["http://a.example/x", "HTTPS://b.example/y", "/dst/"]\nADD --chmod=755 \\\n  https://c.example/z /z\n',
      errors: [
        { messageId: 'noChecksum', line: 2, column: 6, endLine: 2, endColumn: 26 },
        { messageId: 'noChecksum', line: 2, column: 28, endLine: 2, endColumn: 49 },
        { messageId: 'noChecksum', line: 4, column: 3, endLine: 4, endColumn: 22 },
      ],
      output: null,
    },
  ],
});
