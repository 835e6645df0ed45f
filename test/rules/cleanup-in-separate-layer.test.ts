import rule from '../../src/rules/cleanup-in-separate-layer.js';
import { ruleTester } from '../support/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'cleanup in the same RUN',
      code: 'FROM debian\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
    },
    {
      name: 'removes what the same RUN downloaded',
      code: 'FROM debian\nRUN curl -o /tmp/a.tgz https://x/a.tgz && tar xzf /tmp/a.tgz -C /opt && rm /tmp/a.tgz\n',
    },
    { name: 'removes a base-image file (configuration, not size)', code: 'FROM nginx\nRUN rm /etc/nginx/conf.d/default.conf\n' },
    {
      name: 'builder stage thrown away',
      code: 'FROM debian AS build\nRUN apt-get update && apt-get install -y gcc\nRUN rm -rf /var/lib/apt/lists/*\nFROM debian\nCOPY --from=build /usr/bin/gcc /usr/bin/gcc\n',
    },
    {
      name: 'the creating layer is in another, unrelated stage',
      code: 'FROM debian AS a\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nFROM debian\nCOPY --from=a /usr/bin/curl /usr/bin/\nRUN rm -rf /var/lib/apt/lists/*\n',
    },
    {
      name: 'clean with a cache mount',
      code: 'FROM debian\nRUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y curl\nRUN apt-get clean\n',
    },
  ],
  invalid: [
    {
      name: 'apt lists removed one layer too late',
      code: 'FROM debian\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n',
      errors: [{ messageId: 'separate', line: 3, column: 5, endLine: 3, endColumn: 32 }],
      output: 'FROM debian\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
    },
    {
      name: 'a copied archive removed after extraction',
      code: 'FROM debian\nCOPY app.tar.gz /tmp/\nRUN tar xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz\n',
      errors: [{ messageId: 'separate', line: 3, column: 40, endLine: 3, endColumn: 58 }],
      output: null,
    },
    {
      name: 'yum clean all in its own RUN',
      code: 'FROM centos:7\nRUN yum install -y nginx\nRUN yum clean all\n',
      errors: [{ messageId: 'separate', line: 3, column: 5, endLine: 3, endColumn: 18 }],
      output: 'FROM centos:7\nRUN yum install -y nginx && yum clean all\n',
    },
    {
      name: 'created in the parent stage',
      code: 'FROM debian AS base\nRUN apt-get update && apt-get install -y curl\nFROM base\nRUN rm -rf /var/lib/apt/lists/*\n',
      errors: [{ messageId: 'separate', line: 4, column: 5, endLine: 4, endColumn: 32 }],
      output: null,
    },
  ],
});
