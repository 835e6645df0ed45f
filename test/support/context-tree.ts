/** Builds a ContentTree (a build context's records) from a map of path → content, for pure cache tests. */
import { ContentTree, FileHasher } from '../../src/cache/contenthash.js';

/** `content` ending in "/" makes a directory; "->target" a symlink; `{ mode }` sets file mode bits. */
export function contextTree(files: Record<string, string | { content: string; mode: number }>): ContentTree {
  const tree = new ContentTree();
  for (const [path, spec] of Object.entries(files)) {
    const { content, mode } = typeof spec === 'string' ? { content: spec, mode: 0o644 } : spec;
    if (path.endsWith('/')) tree.addDir(path.slice(0, -1), { mode: 0o755 });
    else if (content.startsWith('->')) tree.addSymlink(path, content.slice(2));
    else {
      const data = Buffer.from(content);
      tree.addRecord(path, {
        kind: 'file',
        digest: new FileHasher({ kind: 'file', mode, size: data.length }).update(data).digest(),
      });
    }
  }
  return tree;
}
