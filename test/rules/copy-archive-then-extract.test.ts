import rule from '../../src/rules/copy-archive-then-extract.js';
import { ruleTester } from '../support/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'ADD unpacks it', code: 'FROM debian\nADD app.tar.gz /opt/\n' },
    { name: 'copied, never unpacked', code: 'FROM debian\nCOPY app.tar.gz /srv/\nRUN ls /srv\n' },
    { name: 'tar creates an archive', code: 'FROM debian\nCOPY app.tar.gz /srv/\nRUN tar -czf /out/app.tar.gz /srv\n' },
    { name: 'another archive is unpacked', code: 'FROM debian\nCOPY app.tar.gz /srv/\nRUN tar -xzf /tmp/other.tar.gz\n' },
    { name: 'not an archive', code: 'FROM debian\nCOPY app.zip /srv/\nRUN tar -xf /srv/app.zip\n' },
    {
      name: 'COPY --from another stage',
      code: 'FROM debian AS b\nFROM debian\nCOPY --from=b /a.tar /a.tar\nRUN tar xf /a.tar\n',
    },
    { name: 'a glob source', code: 'FROM debian\nCOPY *.tar.gz /srv/\nRUN tar -xzf /srv/app.tar.gz\n' },
    {
      name: 'a later stage unpacks a file of the same name',
      code: 'FROM debian\nCOPY app.tar /srv/\nFROM debian\nRUN tar -xf /srv/app.tar\n',
    },
    {
      name: 'bind-mounted for the RUN',
      code: 'FROM debian\nRUN --mount=type=bind,source=app.tar.gz,target=/tmp/app.tar.gz tar -xzf /tmp/app.tar.gz -C /opt\n',
    },
  ],
  invalid: [
    {
      name: 'short cluster, at the COPY source',
      code: 'FROM debian\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz\n',
      errors: [{ messageId: 'copiedArchive', line: 2, column: 6, endLine: 2, endColumn: 16 }],
      output: null,
    },
    {
      name: 'old-style bundle, exec form COPY, a later RUN',
      code: 'FROM debian\nCOPY ["dist/site.tgz", "/srv/"]\nRUN echo hi\nRUN cd /srv && tar xzf site.tgz\n',
      errors: [{ messageId: 'copiedArchive', line: 2, column: 7, endLine: 2, endColumn: 22 }],
      output: null,
    },
    {
      name: '--extract --file=, in a heredoc script',
      code: 'FROM debian\nCOPY pkg.tar.xz /tmp/\nRUN <<EOF\nset -e\ntar --extract --file=/tmp/pkg.tar.xz -C /usr/local\nEOF\n',
      errors: [{ messageId: 'copiedArchive', line: 2, column: 6, endLine: 2, endColumn: 16 }],
      output: null,
    },
    {
      name: 'reported once per archive',
      code: 'FROM debian\nCOPY a.tar /t/\nRUN tar -xf /t/a.tar && tar -xf /t/a.tar -C /b\n',
      errors: [{ messageId: 'copiedArchive', line: 2, column: 6, endLine: 2, endColumn: 11 }],
      output: null,
    },
  ],
});
