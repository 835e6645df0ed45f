import rule from '../../src/rules/early-volatile-arg.js';
import { ruleTester } from '../support/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'declared right before its use',
      code: 'FROM debian:12\nRUN apt-get update\nARG GIT_COMMIT\nRUN echo $GIT_COMMIT > /commit\n',
    },
    { name: 'global ARG not declared again in the stage', code: 'ARG GIT_COMMIT\nFROM debian:12\nRUN apt-get update\n' },
    {
      name: 'a version with a default',
      code: 'FROM debian:12\nARG APP_VERSION=1.2.3\nRUN apt-get update\nRUN echo $APP_VERSION\n',
    },
    { name: "a dependency's version", code: 'FROM debian:12\nARG NODE_VERSION\nRUN apt-get update\nRUN echo ${NODE_VERSION}\n' },
    { name: 'a stable name', code: 'FROM debian:12\nARG DEBIAN_FRONTEND=noninteractive\nRUN apt-get update\n' },
    { name: 'no RUN after it', code: 'FROM debian:12\nRUN make\nARG BUILD_DATE\nLABEL built=$BUILD_DATE\n' },
    {
      name: 'used by the next RUN, in braces',
      code: 'FROM debian:12\nARG VCS_REF\nRUN curl -o app.tgz https://example.com/${VCS_REF}.tgz\n',
    },
    { name: 'used by a heredoc body', code: 'FROM debian:12\nARG GIT_SHA\nRUN <<EOF\necho $GIT_SHA > /sha\nEOF\n' },
    { name: 'ENV takes it over first', code: 'FROM debian:12\nARG BUILD_NUMBER\nENV BUILD_NUMBER=$BUILD_NUMBER\nRUN make\n' },
  ],
  invalid: [
    {
      name: 'commit above the installs',
      code: 'FROM debian:12\nARG GIT_COMMIT\nRUN apt-get update\nRUN make\nLABEL rev=$GIT_COMMIT\n',
      errors: [
        {
          messageId: 'early',
          line: 2,
          column: 5,
          endLine: 2,
          endColumn: 15,
          message:
            'ARG GIT_COMMIT changes on every build, and BuildKit adds it to the environment of every later RUN: 2 RUN step(s) before its first use on line 5 miss the cache each time. Declare it just before line 5.',
        },
      ],
      output: null,
    },
    {
      name: 'unsafe: a RUN left behind runs make, which might read it (moved only with --fix-unsafe)',
      code: 'FROM debian:12\nARG GIT_COMMIT\nRUN apt-get update\nRUN make\n  # the revision\n  LABEL rev=$GIT_COMMIT\n',
      unsafe: true,
      errors: [{ messageId: 'early', line: 2, column: 5, endLine: 2, endColumn: 15 }],
      output: 'FROM debian:12\nRUN apt-get update\nRUN make\n  # the revision\nARG GIT_COMMIT\n  LABEL rev=$GIT_COMMIT\n',
    },
    {
      name: 'never used, one of several names',
      code: 'FROM debian:12\nARG USER=app BUILD_DATE\nRUN apt-get update\n',
      errors: [{ messageId: 'early', line: 2, column: 14, endLine: 2, endColumn: 24 }],
      output: null,
    },
    {
      name: 'a longer name is another variable',
      code: 'FROM debian:12\nARG COMMIT\nRUN echo $COMMIT_MSG\nRUN echo $COMMIT\n',
      errors: [{ messageId: 'early', line: 2, column: 5, endLine: 2, endColumn: 11 }],
      output: 'FROM debian:12\nRUN echo $COMMIT_MSG\nARG COMMIT\nRUN echo $COMMIT\n',
    },
    {
      name: 'global ARG declared again in the stage',
      code: 'ARG CI_COMMIT_SHA\nFROM debian:12\nARG CI_COMMIT_SHA\nRUN apt-get update\nRUN echo $CI_COMMIT_SHA\n',
      errors: [{ messageId: 'early', line: 3, column: 5, endLine: 3, endColumn: 18 }],
      output: 'ARG CI_COMMIT_SHA\nFROM debian:12\nRUN apt-get update\nARG CI_COMMIT_SHA\nRUN echo $CI_COMMIT_SHA\n',
    },
    {
      name: 'each stage that declares it',
      code: 'FROM debian:12 AS a\nARG BUILD_ID\nRUN make\nFROM debian:12\nARG BUILD_ID\nRUN make\nRUN echo $BUILD_ID\n',
      errors: [
        { messageId: 'early', line: 2, column: 5, endLine: 2, endColumn: 13 },
        { messageId: 'early', line: 5, column: 5, endLine: 5, endColumn: 13 },
      ],
      output: null,
    },
  ],
});
