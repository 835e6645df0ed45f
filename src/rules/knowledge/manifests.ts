/**
 * Dependency installs that need only their ecosystem's manifests, and which files those are: the knowledge behind
 * copy-context-before-install. A manifest list is what a user should COPY before the install.
 */

export interface Ecosystem {
  name: string;
  /** Manifest files (glob-free names) that the install reads; the first ones are the ones to suggest. */
  manifests: string[];
}

export const ECOSYSTEMS = {
  npm: { name: 'npm', manifests: ['package.json', 'package-lock.json', 'npm-shrinkwrap.json'] },
  yarn: { name: 'yarn', manifests: ['package.json', 'yarn.lock', '.yarnrc.yml'] },
  pnpm: { name: 'pnpm', manifests: ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml'] },
  pip: { name: 'pip', manifests: ['requirements.txt'] },
  poetry: { name: 'poetry', manifests: ['pyproject.toml', 'poetry.lock'] },
  uv: { name: 'uv', manifests: ['pyproject.toml', 'uv.lock'] },
  pipenv: { name: 'pipenv', manifests: ['Pipfile', 'Pipfile.lock'] },
  bundler: { name: 'bundler', manifests: ['Gemfile', 'Gemfile.lock'] },
  composer: { name: 'composer', manifests: ['composer.json', 'composer.lock'] },
  go: { name: 'go', manifests: ['go.mod', 'go.sum'] },
  cargo: { name: 'cargo', manifests: ['Cargo.toml', 'Cargo.lock'] },
  maven: { name: 'maven', manifests: ['pom.xml'] },
  gradle: { name: 'gradle', manifests: ['build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts'] },
} satisfies Record<string, Ecosystem>;

export type EcosystemName = keyof typeof ECOSYSTEMS;

/**
 * Whether a COPY/ADD source (as written, relative to the context) names exactly one manifest-like file rather than a
 * tree: `package.json`, `./requirements/*.txt` and `go.*` are narrow; `.`, `./`, `src`, `app/` and `*` are broad.
 */
export function isBroadSource(source: string): boolean {
  const path = source.replace(/^\.\//, '').replace(/\/+$/, '');
  if (path === '' || path === '.' || path === '*' || path === './*') return true;
  const base = path.slice(path.lastIndexOf('/') + 1);
  // A name with an extension or a glob over names (`*.json`, `requirements*.txt`) selects files, not a tree.
  if (/\.[A-Za-z0-9]+$/.test(base) || base.includes('*') || base.includes('?')) return false;
  // Extension-less manifests and lock files.
  if (/^(Gemfile|Pipfile|Makefile|Dockerfile|LICENSE|README)/.test(base)) return false;
  return true;
}

/** The manifests an earlier narrow COPY source can stand for: a glob matches names, a file names itself. */
export function sourceCovers(source: string, manifest: string): boolean {
  const base = source.slice(source.lastIndexOf('/') + 1);
  if (!/[*?[]/.test(base)) return base === manifest;
  const pattern = new RegExp(
    `^${base
      .replace(/[.+^${}()|\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')}$`,
  );
  return pattern.test(manifest);
}
