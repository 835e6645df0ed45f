import assert from 'node:assert/strict';
import { test } from 'node:test';
import { osFamilyOfImage } from '../../src/shell/package-managers/families.js';

test('base image references map to their OS family', () => {
  const cases: [string, string | undefined][] = [
    ['debian:bookworm-slim', 'debian'],
    ['ubuntu:24.04', 'debian'],
    ['docker.io/library/alpine:3.20', 'alpine'],
    ['python:3.12-slim', 'debian'],
    ['python:3.12-alpine3.20', 'alpine'],
    ['node:20', 'debian'],
    ['golang:1.22-alpine@sha256:abcd', 'alpine'],
    ['fedora:40', 'rhel'],
    ['registry.access.redhat.com/ubi9/ubi-minimal:9.4', 'rhel'],
    ['rockylinux:9', 'rhel'],
    ['opensuse/leap:15.6', 'suse'],
    ['eclipse-temurin:21-jdk-ubi9-minimal', 'rhel'],
    ['scratch', undefined],
    ['myorg/app:1.0', undefined],
  ];
  for (const [reference, family] of cases) assert.equal(osFamilyOfImage(reference), family, reference);
});
