// Where an added article came from, recorded beside it as a hidden file (`.<name>.source.json`) so the
// article itself stays the original bytes: the address it was fetched from, the charset the server
// declared, when and by whom it was added.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface SourceRecord {
  url: string | null;
  charset: string | null;
  addedAt: string;
  addedBy: string | null;
}

export function sourceRecordPath(articlePath: string): string {
  return path.join(path.dirname(articlePath), `.${path.basename(articlePath)}.source.json`);
}

export async function readSourceRecord(articlePath: string): Promise<SourceRecord | null> {
  const text = await readFile(sourceRecordPath(articlePath), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const data = JSON.parse(text) as Partial<SourceRecord>;
    return {
      url: typeof data.url === 'string' ? data.url : null,
      charset: typeof data.charset === 'string' ? data.charset : null,
      addedAt: typeof data.addedAt === 'string' ? data.addedAt : '',
      addedBy: typeof data.addedBy === 'string' ? data.addedBy : null,
    };
  } catch {
    // A damaged record only loses the address: the article is still read.
    return null;
  }
}

export async function writeSourceRecord(articlePath: string, record: SourceRecord): Promise<void> {
  await writeFile(sourceRecordPath(articlePath), `${JSON.stringify(record, null, 2)}\n`);
}

export async function removeSourceRecord(articlePath: string): Promise<void> {
  await rm(sourceRecordPath(articlePath), { force: true });
}
