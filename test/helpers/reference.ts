/** Reads tshark reference TSVs (written by ../shared/tools/tshark-reference.py) and normalises keys. */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';

export function readTsv(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0);
  const names = header!.split('\t');
  return lines.map((line) => {
    const cells = line.split('\t');
    return Object.fromEntries(names.map((name, i) => [name, cells[i] ?? '']));
  });
}

/** Canonical text of an address (IPv6 compressed as Python's ipaddress does), for key comparison. */
export function normalizeIp(text: string): string {
  const value = text.trim();
  if (isIP(value) !== 6) return value;
  return new URL(`http://[${value}]/`).hostname.slice(1, -1);
}

export interface ConversationTotals {
  aToBFrames: number;
  aToBBytes: number;
  bToAFrames: number;
  bToABytes: number;
}

/** Key of a conversation with its endpoints in canonical order; `forward` says whether (x → y) is a → b. */
export function conversationKey(
  file: string,
  proto: string,
  x: [string, number],
  y: [string, number],
): { key: string; forward: boolean } {
  const a = [normalizeIp(x[0]), x[1]] as const;
  const b = [normalizeIp(y[0]), y[1]] as const;
  const forward = a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]);
  const [first, second] = forward ? [a, b] : [b, a];
  return { key: `${file}|${proto}|${first[0]}|${first[1]}|${second[0]}|${second[1]}`, forward };
}
