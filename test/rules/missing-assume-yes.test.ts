import rule from '../../src/rules/missing-assume-yes.js';
import { ruleTester } from '../support/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: '-y', code: 'FROM debian\nRUN apt-get install -y curl\n' },
    { name: '--yes before the subcommand', code: 'FROM debian\nRUN apt-get --yes install curl\n' },
    { name: '-qq implies -y', code: 'FROM debian\nRUN apt-get install -qq curl\n' },
    { name: '-y in a cluster', code: 'FROM debian\nRUN apt-get -qy install curl\n' },
    { name: 'apt option', code: 'FROM debian\nRUN apt-get -o APT::Get::Assume-Yes=true install curl\n' },
    { name: 'a simulation asks nothing', code: 'FROM debian\nRUN apt-get install -s curl\n' },
    { name: 'update never asks', code: 'FROM debian\nRUN apt-get update\n' },
    { name: 'dnf -y', code: 'FROM fedora\nRUN dnf -y install nginx\n' },
    { name: 'dnf setopt', code: 'FROM fedora\nRUN dnf --setopt=assumeyes=1 install nginx\n' },
    { name: 'microdnf never asks', code: 'FROM ubi\nRUN microdnf install nginx\n' },
    { name: 'apk never asks', code: 'FROM alpine\nRUN apk add curl\n' },
    { name: 'zypper -n', code: 'FROM opensuse/leap\nRUN zypper -n install curl\n' },
    { name: 'zypper install -y', code: 'FROM opensuse/leap\nRUN zypper install -y curl\n' },
    {
      name: 'configured by an earlier RUN',
      code: 'FROM debian\nRUN echo \'APT::Get::Assume-Yes "true";\' > /etc/apt/apt.conf.d/90yes\nRUN apt-get install curl\n',
    },
    { name: 'yum.conf assumeyes', code: 'FROM centos\nRUN echo assumeyes=1 >> /etc/yum.conf\nRUN yum install nginx\n' },
  ],
  invalid: [
    {
      name: 'apt-get install',
      code: 'FROM debian\nRUN apt-get update && apt-get install --no-install-recommends curl\n',
      errors: [{ messageId: 'prompt', line: 2, column: 23, endLine: 2, endColumn: 38 }],
      output: 'FROM debian\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n',
    },
    {
      name: 'apt remove and yum install',
      code: 'FROM x\nRUN apt remove curl; yum install nginx\n',
      errors: [
        { messageId: 'prompt', line: 2, column: 5, endLine: 2, endColumn: 15 },
        { messageId: 'prompt', line: 2, column: 22, endLine: 2, endColumn: 33 },
      ],
      output: 'FROM x\nRUN apt remove -y curl; yum install -y nginx\n',
    },
    {
      name: 'zypper gets -n as a global option',
      code: 'FROM opensuse/leap\nRUN zypper install curl\n',
      errors: [
        {
          messageId: 'prompt',
          line: 2,
          column: 5,
          endLine: 2,
          endColumn: 19,
          message: '`zypper install` asks for confirmation, and a build cannot answer: it aborts the build. Add `-n`.',
        },
      ],
      output: 'FROM opensuse/leap\nRUN zypper -n install curl\n',
    },
    {
      name: 'heredoc script',
      code: 'FROM fedora\nRUN <<EOF\ndnf upgrade\nEOF\n',
      errors: [{ messageId: 'prompt', line: 3, column: 1, endLine: 3, endColumn: 12 }],
      output: 'FROM fedora\nRUN <<EOF\ndnf upgrade -y\nEOF\n',
    },
  ],
});
