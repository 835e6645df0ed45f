/**
 * The edge that reads a git revision as a build context, with plumbing only (`ls-tree`, `cat-file --batch`), never
 * checking anything out. Modes come from git (100644 → 0644, 100755 → 0755, 120000 → symlink, 160000 → an empty
 * submodule directory); directories are 0755 as a checkout with umask 022 makes them. Each (blob, mode) is hashed
 * once per reader, so a replay over many commits hashes a file once per distinct content. The `.git` directory of a
 * CI checkout is modelled as changing on every commit (unless .dockerignore excludes it, or `gitDir: false`).
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { InputError } from '../errors.js';
import { ContentTree, FileHasher, type FileHeader } from './contenthash.js';
import { ExcludeFilter, PatternMatcher, readIgnoreFile } from './dockerignore.js';
import { walkFiltered } from './filtered-walk.js';

interface TreeEntry {
  mode: string;
  type: string;
  sha: string;
  path: string;
}

interface VirtualDir {
  children: Map<string, VirtualNode>;
}
type VirtualNode = { kind: 'dir'; dir: VirtualDir; entry?: TreeEntry } | { kind: 'leaf'; entry: TreeEntry };

export interface GitContextOptions {
  /** The context directory inside the repository ('' = the top level). */
  subdir?: string;
  /** The Dockerfile path relative to the context (for `<Dockerfile>.dockerignore`). */
  dockerfile?: string;
  /** Whether the context holds a `.git` directory (a CI checkout does); default true. */
  gitDir?: boolean;
}

export class GitRepo {
  /** (blob sha, mode) → BuildKit record digest; shared by every revision this reader reads. */
  private readonly digests = new Map<string, string>();
  private readonly links = new Map<string, string>();
  /** How many blobs were actually read and hashed (the rest came from the cache). */
  blobsHashed = 0;

  constructor(readonly dir: string) {}

  git(args: string[], input?: string): Buffer {
    const result = spawnSync('git', args, { cwd: this.dir, input, maxBuffer: 1 << 30 });
    if (result.error) throw new InputError(`git ${args.join(' ')}: ${result.error.message}`, this.dir);
    if (result.status !== 0) {
      throw new InputError(`git ${args.join(' ')}: ${result.stderr?.toString().trim() || 'failed'}`, this.dir);
    }
    return result.stdout;
  }

  /** The commit a revision names, or an InputError. */
  resolve(rev: string): string {
    return this.git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`])
      .toString()
      .trim();
  }

  /** Whether `rev` names a commit in this repository. */
  isRevision(rev: string): boolean {
    return spawnSync('git', ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd: this.dir }).status === 0;
  }

  /** The top level of the work tree and the current directory relative to it. */
  static locate(cwd: string): { top: string; prefix: string } | undefined {
    const top = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd });
    const prefix = spawnSync('git', ['rev-parse', '--show-prefix'], { cwd });
    if (top.status !== 0) return undefined;
    return { top: top.stdout.toString().trim(), prefix: prefix.stdout.toString().trim().replace(/\/$/, '') };
  }

  /** A file's bytes at a revision, or undefined when it does not exist there. */
  readFile(commit: string, path: string): Buffer | undefined {
    const result = spawnSync('git', ['cat-file', 'blob', `${commit}:${path}`], { cwd: this.dir, maxBuffer: 1 << 30 });
    return result.status === 0 ? result.stdout : undefined;
  }

  /** Commits with their subjects in first-parent order, oldest first. */
  firstParentLog(range: string, limit?: number): { commit: string; subject: string }[] {
    const args = ['log', '--first-parent', '--format=%H %s', ...(limit ? [`--max-count=${limit}`] : []), range];
    return this.git(args)
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((line) => ({ commit: line.slice(0, line.indexOf(' ')), subject: line.slice(line.indexOf(' ') + 1) }))
      .reverse();
  }

  /** Commits in first-parent order, oldest first. */
  firstParentHistory(range: string, limit?: number): string[] {
    const args = ['rev-list', '--first-parent', ...(limit ? [`--max-count=${limit}`] : []), range];
    return this.git(args).toString().split('\n').filter(Boolean).reverse();
  }

  /** The context of a revision as BuildKit's records, .dockerignore applied before any blob is read. */
  async readContext(commit: string, options: GitContextOptions = {}): Promise<ContentTree> {
    const subdir = (options.subdir ?? '').replace(/^\/+|\/+$/g, '');
    const at = (p: string) => (subdir ? `${subdir}/${p}` : p);
    const [specific, plain] = await this.readObjects([
      `${commit}:${at(`${options.dockerfile ?? 'Dockerfile'}.dockerignore`)}`,
      `${commit}:${at('.dockerignore')}`,
    ]);
    const ignoreText = specific ?? plain; // `Dockerfile.dockerignore` counts when no Dockerfile is named, as on the engine
    const patterns = ignoreText ? readIgnoreFile(ignoreText.toString('utf8')) : [];
    const filter = patterns.length ? new ExcludeFilter(new PatternMatcher(patterns, '.dockerignore')) : undefined;

    const root = this.listTree(commit, subdir);
    if (options.gitDir ?? true) {
      const head: TreeEntry = { mode: 'git-head', type: 'blob', sha: commit, path: '.git/HEAD' };
      root.children.set('.git', { kind: 'dir', dir: { children: new Map([['HEAD', { kind: 'leaf', entry: head }]]) } });
    }
    const kept: [string, TreeEntry][] = [];
    const dirs: string[] = [];
    walkFiltered<VirtualNode>(
      {
        list: (node) => {
          const dir = node === undefined ? root : node.kind === 'dir' ? node.dir : undefined;
          return dir ? [...dir.children].map(([name, child]) => ({ name, isDir: child.kind === 'dir', handle: child })) : [];
        },
        emit: (path, entry) => {
          const node = entry.handle;
          if (node.kind === 'dir') dirs.push(path);
          else kept.push([path, node.entry]);
        },
      },
      filter,
    );
    await this.hashBlobs(kept.map(([, e]) => e));
    const tree = new ContentTree();
    for (const path of dirs) tree.addDir(path, { mode: 0o755 });
    for (const [path, entry] of kept) {
      if (entry.mode === '120000') tree.addSymlink(path, this.links.get(entry.sha) ?? '');
      else tree.addRecord(path, { kind: 'file', digest: this.digests.get(key(entry)) as string });
    }
    return tree;
  }

  private listTree(commit: string, subdir: string): VirtualDir {
    const spec = subdir ? `${commit}:${subdir}` : commit;
    const out = this.git(['ls-tree', '-r', '-z', '--full-tree', spec]).toString('utf8');
    const root: VirtualDir = { children: new Map() };
    for (const record of out.split('\0')) {
      if (!record) continue;
      const tab = record.indexOf('\t');
      const [mode, type, sha] = record.slice(0, tab).split(' ');
      const path = record.slice(tab + 1);
      const parts = path.split('/');
      let dir = root;
      for (const part of parts.slice(0, -1)) {
        let child = dir.children.get(part);
        if (child?.kind !== 'dir') {
          child = { kind: 'dir', dir: { children: new Map() } };
          dir.children.set(part, child);
        }
        dir = child.dir;
      }
      const name = parts[parts.length - 1];
      const entry: TreeEntry = { mode, type, sha, path };
      // A submodule is checked out as an (empty, uninitialised) directory.
      dir.children.set(name, mode === '160000' ? { kind: 'dir', dir: { children: new Map() }, entry } : { kind: 'leaf', entry });
    }
    return root;
  }

  /** Hashes every (blob, mode) not seen before, streaming `git cat-file --batch` output chunk by chunk. */
  private async hashBlobs(entries: TreeEntry[]): Promise<void> {
    const wanted = new Map<string, TreeEntry>();
    for (const entry of entries) {
      if (entry.mode === 'git-head') {
        const content = Buffer.from(`${entry.sha}\n`);
        this.digests.set(
          key(entry),
          new FileHasher({ kind: 'file', mode: 0o644, size: content.length }).update(content).digest(),
        );
        continue;
      }
      if (entry.mode === '120000' ? !this.links.has(entry.sha) : !this.digests.has(key(entry))) wanted.set(key(entry), entry);
    }
    if (wanted.size === 0) return;
    const queue = [...wanted.values()];
    this.blobsHashed += queue.length;
    await this.batch().read(
      queue.map((e) => e.sha),
      (index, size) => {
        const entry = queue[index];
        if (entry.mode === '120000') {
          const parts: Buffer[] = [];
          return {
            update: (b) => parts.push(Buffer.from(b)),
            end: () => this.links.set(entry.sha, Buffer.concat(parts).toString('utf8')),
          };
        }
        const hasher = new FileHasher(gitHeader(entry.mode, size));
        return { update: (b) => hasher.update(b), end: () => this.digests.set(key(entry), hasher.digest()) };
      },
    );
  }

  private reader: BatchReader | undefined;
  private batch(): BatchReader {
    this.reader ??= new BatchReader(this.dir);
    return this.reader;
  }

  /** Reads small objects (`commit:path`) through the batch process; undefined for missing ones. */
  async readObjects(specs: string[]): Promise<(Buffer | undefined)[]> {
    const out: (Buffer | undefined)[] = specs.map(() => undefined);
    await this.batch().read(specs, (index) => {
      const parts: Buffer[] = [];
      return { update: (b) => parts.push(Buffer.from(b)), end: () => (out[index] = Buffer.concat(parts)) };
    });
    return out;
  }

  /** Ends the batch process (a reader that is not closed ends it when the process exits). */
  close(): void {
    this.reader?.close();
    this.reader = undefined;
  }
}

interface BodySink {
  update: (chunk: Buffer) => unknown;
  end: () => unknown;
}

/**
 * One long-lived `git cat-file --batch`: requests are sent one batch at a time; bodies are streamed to sinks chunk
 * by chunk, so neither memory nor process count grows with the history.
 */
class BatchReader {
  private readonly child: ChildProcessWithoutNullStreams;
  private pending: Buffer = Buffer.alloc(0);
  private remaining = -1;
  private sink: BodySink | undefined;
  private current:
    | {
        count: number;
        index: number;
        open: (i: number, size: number) => BodySink;
        resolve: () => void;
        reject: (e: Error) => void;
      }
    | undefined;
  private stderr = '';

  constructor(private readonly dir: string) {
    this.child = spawn('git', ['cat-file', '--batch'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    const fail = (error: Error) => this.current?.reject(error);
    this.child.on('error', fail);
    this.child.on('close', (code) => {
      if (this.current) fail(new InputError(`git cat-file --batch ended: ${this.stderr.trim() || `exit ${code}`}`, this.dir));
    });
    this.hold(false);
  }

  /** Keeps the event loop alive only while a request is in flight, so an idle reader never holds the process. */
  private hold(active: boolean): void {
    const method = active ? 'ref' : 'unref';
    this.child[method]();
    for (const stream of [this.child.stdout, this.child.stderr, this.child.stdin]) {
      (stream as unknown as Record<string, (() => void) | undefined>)[method]?.();
    }
  }

  read(specs: string[], open: (index: number, size: number) => BodySink): Promise<void> {
    if (specs.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.current = { count: specs.length, index: 0, open, resolve, reject };
      this.hold(true);
      this.child.stdin.write(`${specs.join('\n')}\n`);
    });
  }

  close(): void {
    this.child.stdin.end();
  }

  private onData(chunk: Buffer): void {
    let data: Buffer = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    while (data.length > 0 && this.current) {
      const req = this.current;
      if (this.remaining < 0) {
        const nl = data.indexOf(10);
        if (nl < 0) {
          this.pending = data;
          return;
        }
        const header = data.subarray(0, nl).toString('utf8').split(' ');
        data = data.subarray(nl + 1);
        if (header[header.length - 1] === 'missing') {
          this.advance();
          continue;
        }
        const size = Number(header[2]);
        this.sink = req.open(req.index, size);
        this.remaining = size + 1; // the body is followed by a newline
      }
      const take = Math.min(this.remaining, data.length);
      const body = data.subarray(0, Math.min(take, this.remaining - 1));
      if (body.length) this.sink?.update(body);
      this.remaining -= take;
      data = data.subarray(take);
      if (this.remaining === 0) {
        this.sink?.end();
        this.sink = undefined;
        this.remaining = -1;
        this.advance();
      }
    }
    if (data.length) this.pending = data;
  }

  private advance(): void {
    const req = this.current;
    if (!req) return;
    req.index++;
    if (req.index === req.count) {
      this.current = undefined;
      this.hold(false);
      req.resolve();
    }
  }
}

const key = (entry: TreeEntry) => `${entry.sha}:${entry.mode}`;

function gitHeader(mode: string, size: number): FileHeader {
  return { kind: 'file', mode: mode === '100755' ? 0o755 : 0o644, size };
}
