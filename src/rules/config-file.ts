/**
 * The edge of the configuration: finds `.layerwise.yaml` upward from a Dockerfile's folder (or takes `--config`),
 * reads it and hands the text to config.ts. The only file of src/rules that touches the file system.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { CONFIG_FILE_NAMES, DEFAULT_CONFIG, type LintConfig, parseConfig } from './config.js';

/** The nearest `.layerwise.yaml` (or `.yml`) in `directory` or a folder above it. */
export async function findConfigFile(directory: string): Promise<string | undefined> {
  for (let folder = resolve(directory); ; folder = dirname(folder)) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(folder, name);
      if (await isFile(candidate)) return candidate;
    }
    if (dirname(folder) === folder) return undefined;
  }
}

/** Reads and validates a configuration file; `shownAs` is the name used in error messages. */
export async function readConfigFile(path: string, shownAs = path): Promise<LintConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read configuration: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`, shownAs);
  }
  return parseConfig(text, shownAs);
}

/** `--config` when given, else the file found upward from `directory`, else the defaults. */
export async function loadConfig(directory: string, explicit?: string): Promise<{ config: LintConfig; path?: string }> {
  const path = explicit ?? (await findConfigFile(directory));
  if (!path) return { config: DEFAULT_CONFIG };
  return { config: await readConfigFile(path), path };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
