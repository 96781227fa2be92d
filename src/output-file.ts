/** Writing a report to the file the user named (`-o`): a failure is the user's input error (exit 2), said in one line. */
import { writeFile } from 'node:fs/promises';
import { UserError } from './acquire/types.js';

export async function writeOutputFile(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text);
  } catch (e) {
    throw new UserError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
