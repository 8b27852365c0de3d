/**
 * Calls onChange (debounced) when the AWS config or credentials file is created, edited, replaced or deleted.
 * Watches the files' directories, not the files: editors save by writing a new file and renaming it over the old
 * one, and a file that does not exist yet cannot be watched. When even the directory is missing (no ~/.aws yet),
 * the nearest existing ancestor is watched until the directory appears.
 * Loading always reads fresh, so calling loadLocalAwsConfig from onChange sees the change.
 */
import { existsSync, statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { awsConfigPaths } from './paths.js';

export interface WatchAwsConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Called once per burst of changes; must not throw. */
  onChange: () => void;
  /** Quiet period that ends a burst (editors write a file in several steps). */
  debounceMs?: number;
}

export function watchAwsConfig(options: WatchAwsConfigOptions): () => void {
  const { configFile, credentialsFile } = awsConfigPaths(options.env ?? process.env);
  const debounceMs = options.debounceMs ?? 150;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const changed = () => {
    if (closed) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (!closed) options.onChange();
    }, debounceMs);
  };

  const namesByDir = new Map<string, Set<string>>();
  for (const file of [configFile, credentialsFile]) {
    const dir = path.dirname(path.resolve(file));
    const names = namesByDir.get(dir) ?? new Set<string>();
    names.add(path.basename(file));
    namesByDir.set(dir, names);
  }
  const watchers = [...namesByDir].map(([dir, names]) => new DirectoryWatch(dir, names, changed));

  return () => {
    closed = true;
    if (timer !== undefined) clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}

class DirectoryWatch {
  private watcher: FSWatcher | undefined;
  private watching = '';
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly names: ReadonlySet<string>,
    private readonly changed: () => void,
  ) {
    this.arm();
  }

  close(): void {
    this.closed = true;
    this.watcher?.close();
    this.watcher = undefined;
  }

  private arm(): void {
    if (this.closed) return;
    this.watcher?.close();
    this.watcher = undefined;
    this.watching = nearestExistingDirectory(this.dir);
    try {
      this.watcher = watch(this.watching, (_event, filename) => this.onEvent(filename));
      this.watcher.on('error', () => this.rearm());
    } catch {
      // The directory vanished between the check and the watch; look again shortly.
      setTimeout(() => this.rearm(), 100).unref();
    }
  }

  private rearm(): void {
    if (this.closed) return;
    this.arm();
    // Whatever happened while no watcher was armed (a file written into a new directory) counts as a change.
    this.changed();
  }

  private onEvent(filename: string | Buffer | null): void {
    if (this.closed) return;
    if (this.watching !== this.dir) {
      // Watching an ancestor: only the appearance of the next directory down matters.
      if (nearestExistingDirectory(this.dir) !== this.watching) this.rearm();
      return;
    }
    if (!existsSync(this.dir)) {
      this.rearm(); // the directory itself was removed; fall back to its ancestor
      return;
    }
    if (filename === null || this.names.has(filename.toString())) this.changed();
  }
}

function nearestExistingDirectory(dir: string): string {
  let current = dir;
  for (;;) {
    try {
      if (statSync(current).isDirectory()) return current;
    } catch {
      // missing: go up
    }
    const parent = path.dirname(current);
    if (parent === current) return current;
    current = parent;
  }
}
