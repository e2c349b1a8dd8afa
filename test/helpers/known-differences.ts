/**
 * Flowlab's flows differ from tshark's conversations (../shared/tools/tshark-reference.py) on
 * purpose in two documented ways: ICMP errors quoting a TCP/UDP header are ICMP flows, not
 * part of the quoted conversation; and every IP fragment is attributed to its datagram's flow
 * (tshark, reassembling, shows ports on the completing fragment only). scripts/explain-
 * conversations.py applies exactly these two rules to tshark's own per-frame dissection
 * (reassembly off); a conversation that differs from the reference must equal that
 * explanation, or the difference is unexplained and the test fails.
 */
import path from 'node:path';
import { conversationKey, readTsv } from './reference';

export function readExplainedConversations(referenceDir: string, name: string): Map<string, number[]> {
  const explained = new Map<string, number[]>();
  for (const row of readTsv(path.join(referenceDir, `${name}-conv-explained.tsv`))) {
    const { key, forward } = conversationKey(
      row.file!,
      row.proto!,
      [row.a_ip!, Number(row.a_port)],
      [row.b_ip!, Number(row.b_port)],
    );
    const v = [Number(row.a2b_frames), Number(row.a2b_bytes), Number(row.b2a_frames), Number(row.b2a_bytes)];
    explained.set(key, forward ? v : [v[2]!, v[3]!, v[0]!, v[1]!]);
  }
  return explained;
}

/** Differences whose Flowlab numbers are not the two documented rules applied to tshark's frames. */
export function unexplainedDifferences(
  differing: readonly { key: string; want: number[]; got: number[] | undefined }[],
  explained: Map<string, number[]>,
): { key: string; want: number[]; got: number[] | undefined; explained: number[] | undefined }[] {
  return differing
    .map((difference) => ({ ...difference, explained: explained.get(difference.key) }))
    .filter(({ got, explained: expected }) => {
      const mine = got ?? [0, 0, 0, 0];
      const model = expected ?? [0, 0, 0, 0];
      return mine.some((value, i) => value !== model[i]);
    });
}
