// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile text with ${…} is the data under test
import rule from '../../src/rules/unpinned-base-image.js';
import { ruleTester } from '../support/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM ubuntu:24.04\n',
    'FROM ubuntu@sha256:0000000000000000000000000000000000000000000000000000000000000000\n',
    'FROM ghcr.io/org/team/app:v1.2.3-rc_1\n',
    'FROM ubuntu:latest@sha256:0000000000000000000000000000000000000000000000000000000000000000\n',
    'FROM scratch\nCOPY app /\n',
    { name: 'an earlier stage', code: 'FROM golang:1.23 AS build\nRUN go build\nFROM build AS test\nFROM Build\n' },
    { name: 'a registry with a port, tagged', code: 'FROM localhost:5000/team/app:1.2\n' },
    { name: 'meta ARG with a pinned default', code: 'ARG TAG=3.20\nFROM alpine:${TAG}\n' },
    { name: 'meta ARG without a value: cannot judge', code: 'ARG IMAGE\nFROM $IMAGE\n' },
    { name: 'ARG after FROM is not visible to FROM', code: 'FROM alpine:3.20\nARG TAG\nFROM alpine:3.19\n' },
    { name: '--build-arg pins it', code: 'ARG TAG=latest\nFROM alpine:$TAG\n', buildArgs: ['TAG=3.20'] },
    { name: 'template placeholders are not images', code: 'FROM {{ .from }}\nFROM %%BASE%%\n' },
    { name: 'pragma', code: '# layerwise ignore=unpinned-base-image\nFROM alpine\n' },
    { name: 'hadolint pragma', code: '# hadolint ignore=DL3007\nFROM alpine:latest\n' },
    { name: 'hadolint global pragma', code: '# hadolint global ignore=DL3006\nFROM alpine\nFROM debian\n' },
  ],
  invalid: [
    {
      code: 'FROM ubuntu\n',
      errors: [
        {
          messageId: 'noTag',
          line: 1,
          column: 6,
          endLine: 1,
          endColumn: 12,
          message: 'base image ubuntu has no tag: it means "latest", which moves',
        },
      ],
      output: null,
    },
    {
      code: 'FROM --platform=$BUILDPLATFORM node:latest AS deps\n',
      errors: [{ messageId: 'latest', line: 1, column: 32, endLine: 1, endColumn: 43 }],
      output: null,
    },
    {
      name: 'a registry host and nested path',
      code: 'FROM registry.example.com:5000/org/app__x/web-app\n',
      errors: [{ messageId: 'noTag', line: 1, column: 6, endLine: 1, endColumn: 50 }],
      output: null,
    },
    {
      name: 'a registry port is not a tag',
      code: 'FROM localhost:5000/app\n',
      errors: [{ messageId: 'noTag', line: 1, column: 6, endLine: 1, endColumn: 24 }],
      output: null,
    },
    {
      name: 'resolved through meta ARGs',
      code: 'ARG BASE=debian\nARG TAG=latest\nFROM ${BASE}:${TAG}\n',
      errors: [
        {
          messageId: 'latest',
          line: 3,
          column: 6,
          endLine: 3,
          endColumn: 20,
          message: 'base image debian:latest uses the moving tag "latest"',
        },
      ],
      output: null,
    },
    {
      name: 'a stage named later does not count',
      code: 'FROM app\nFROM alpine:3.20 AS app\n',
      errors: [{ messageId: 'noTag', line: 1, column: 6, endLine: 1, endColumn: 9 }],
      output: null,
    },
    {
      name: 'the pragma covers only the next instruction',
      code: '# layerwise ignore=unpinned-base-image\nFROM alpine\n\nFROM debian\n',
      errors: [{ messageId: 'noTag', line: 4, column: 6, endLine: 4, endColumn: 12 }],
      output: null,
    },
    {
      name: 'escape=` still expands',
      code: '# escape=`\nARG V=latest\nFROM alpine:$V\n',
      errors: [{ messageId: 'latest', line: 3, column: 6, endLine: 3, endColumn: 15 }],
      output: null,
    },
  ],
});
