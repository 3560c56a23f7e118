import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The deck's files: its Markdown source, the images it shows, what it writes. */
export class DeckFilesRepository {
  async readText(path: string): Promise<string> {
    return readFile(path, 'utf8');
  }

  /** The file's bytes, or null when there is no such file. */
  async readBytes(path: string): Promise<Buffer | null> {
    try {
      return await readFile(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR') return null;
      throw err;
    }
  }

  async ensureDirectory(path: string): Promise<void> {
    await mkdir(path, { recursive: true });
  }

  async write(path: string, content: string | Uint8Array): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
}
