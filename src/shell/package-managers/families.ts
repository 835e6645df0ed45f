/**
 * The OS family of a base image, from its reference alone (`python:3.12-slim` → debian, `node:20-alpine` → alpine),
 * so rules can tell which system package manager belongs to an image and whether a manager is foreign to it.
 * Official language images are Debian-based unless the tag names another distribution.
 */
import type { Family } from './types.js';

export type OsFamily = Extract<Family, 'debian' | 'alpine' | 'rhel' | 'suse'>;

const byRepository: [RegExp, OsFamily][] = [
  [/(^|\/)(debian|ubuntu|buildpack-deps|bitnami\/minideb)$/, 'debian'],
  [/(^|\/)alpine$/, 'alpine'],
  [
    /(^|\/)(fedora|centos|rockylinux|almalinux|amazonlinux|oraclelinux|ubi\d*(-minimal|-micro|-init)?|rhel\d*|ubi\d+\/.*|redhat\/.*|centos\/.*)$/,
    'rhel',
  ],
  [/(^|\/)(opensuse\/[^/]+|sles|suse\/.*|bci\/.*|sle\d*.*)$/, 'suse'],
];

/** Tags of official images that name their distribution. */
const byTag: [RegExp, OsFamily][] = [
  [/alpine/, 'alpine'],
  [/(bookworm|bullseye|buster|stretch|trixie|jessie|slim|jammy|focal|noble|bionic|xenial)/, 'debian'],
  [/(ubi|fedora|oraclelinux|centos|rocky|alma|amazonlinux|al2)/, 'rhel'],
  [/(leap|tumbleweed|sles)/, 'suse'],
];

/** Official images built on Debian by default (the tag may say otherwise). */
const debianByDefault =
  /(^|\/)(python|node|ruby|golang|rust|php|perl|openjdk|eclipse-temurin|maven|gradle|haskell|elixir|erlang|julia|r-base|nginx|httpd|postgres|mysql|mariadb|redis|mongo|buildpack-deps)$/;

export function osFamilyOfImage(reference: string): OsFamily | undefined {
  const withoutDigest = reference.split('@')[0].toLowerCase();
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > withoutDigest.lastIndexOf('/');
  const repository = (hasTag ? withoutDigest.slice(0, colon) : withoutDigest).replace(/^(docker\.io\/)?(library\/)?/, '');
  const tag = hasTag ? withoutDigest.slice(colon + 1) : '';
  for (const [pattern, family] of byRepository) if (pattern.test(repository)) return family;
  for (const [pattern, family] of byTag) if (pattern.test(tag)) return family;
  if (debianByDefault.test(repository)) return 'debian';
  return undefined;
}
