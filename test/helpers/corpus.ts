/**
 * Locates the developer corpus (../shared/pcaps). When it is missing, the corpus suite skips
 * with a visible reason, except where FLOWLAB_REQUIRE_CORPUS=1 (CI), where it fails instead.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const corpusDir = path.resolve(import.meta.dirname, '../../../shared/pcaps');
export const corpusAvailable = existsSync(path.join(corpusDir, 'MANIFEST.tsv'));
export const corpusRequired = process.env.FLOWLAB_REQUIRE_CORPUS === '1';

/** Top-level capture files of the corpus (as ../shared/tools/check-against-tshark.sh lists them). */
export function corpusCaptures(): string[] {
  return readdirSync(corpusDir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.endsWith('.tsv') && !entry.name.endsWith('.md'))
    .map((entry) => entry.name)
    .sort();
}
