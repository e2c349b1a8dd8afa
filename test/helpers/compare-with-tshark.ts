/**
 * The checks of ../shared/tools/compare-with-reference.py, in TypeScript over a case: per-capture
 * totals, per-conversation frames/bytes (timeouts off) and first DNS/SNI/Host names.
 */
import path from 'node:path';
import type { FlowlabService } from '../../src/main/service/flowlab-service';
import { conversationKey, readTsv } from './reference';

export async function compareTotals(service: FlowlabService, referenceDir: string, name: string) {
  const want = readTsv(path.join(referenceDir, `${name}-totals.tsv`)).filter(
    (row) => row.packets !== 'ERROR',
  );
  const captures = await service.listCaptures();
  const byFile = new Map(captures.map((capture) => [capture.fileName, capture]));
  const mismatches: string[] = [];
  for (const row of want) {
    const got = byFile.get(row.file!);
    if (!got || got.packets !== Number(row.packets) || got.bytes !== Number(row.bytes)) {
      mismatches.push(
        `${row.file}: want ${row.packets} pkts ${row.bytes} B, got ${got ? `${got.packets} pkts ${got.bytes} B` : 'nothing'}`,
      );
    }
  }
  return { total: want.length, mismatches };
}

export async function compareConversations(service: FlowlabService, referenceDir: string, name: string) {
  const want = new Map<string, number[]>();
  for (const row of readTsv(path.join(referenceDir, `${name}-conv.tsv`))) {
    const { key, forward } = conversationKey(
      row.file!,
      row.proto!,
      [row.a_ip!, Number(row.a_port)],
      [row.b_ip!, Number(row.b_port)],
    );
    const v = [Number(row.a2b_frames), Number(row.a2b_bytes), Number(row.b2a_frames), Number(row.b2a_bytes)];
    want.set(key, forward ? v : [v[2]!, v[3]!, v[0]!, v[1]!]);
  }
  const rows = await service.store.rows(`
    SELECT c.file_name AS file, f.protocol, f.src_ip, f.src_port, f.dst_ip, f.dst_port,
           f.src2dst_packets, f.src2dst_bytes, f.dst2src_packets, f.dst2src_bytes
    FROM flows f JOIN captures c ON c.id = f.capture_id WHERE f.protocol IN (6, 17)`);
  const got = new Map<string, number[]>();
  for (const row of rows) {
    const proto = row.protocol === 6 ? 'tcp' : 'udp';
    const { key, forward } = conversationKey(
      String(row.file),
      proto,
      [String(row.src_ip), Number(row.src_port)],
      [String(row.dst_ip), Number(row.dst_port)],
    );
    const v = got.get(key) ?? [0, 0, 0, 0];
    const s = [
      Number(row.src2dst_packets),
      Number(row.src2dst_bytes),
      Number(row.dst2src_packets),
      Number(row.dst2src_bytes),
    ];
    const add = forward ? s : [s[2]!, s[3]!, s[0]!, s[1]!];
    got.set(
      key,
      v.map((x, i) => x + add[i]!),
    );
  }
  const differing: { key: string; want: number[]; got: number[] | undefined }[] = [];
  for (const [key, value] of want) {
    const mine = got.get(key);
    if (!mine || mine.some((x, i) => x !== value[i])) differing.push({ key, want: value, got: mine });
  }
  return { total: want.size, exact: want.size - differing.length, differing };
}

export async function compareNames(service: FlowlabService, referenceDir: string, name: string) {
  const want = new Map<string, Set<string>>();
  for (const row of readTsv(path.join(referenceDir, `${name}-names.tsv`))) {
    const set = want.get(row.kind!) ?? new Set<string>();
    set.add(`${row.file}|${row.value!.toLowerCase().replace(/\.$/, '')}`);
    want.set(row.kind!, set);
  }
  const rows = await service.store.rows(`
    SELECT c.file_name AS file, f.dns_query, f.tls_sni, f.http_host FROM flows f JOIN captures c ON c.id = f.capture_id
    WHERE f.dns_query IS NOT NULL OR f.tls_sni IS NOT NULL OR f.http_host IS NOT NULL`);
  const got = { dns: new Set<string>(), sni: new Set<string>(), host: new Set<string>() };
  for (const row of rows) {
    const add = (set: Set<string>, value: unknown) => {
      if (typeof value === 'string' && value.trim())
        set.add(`${row.file}|${value.trim().toLowerCase().replace(/\.$/, '')}`);
    };
    add(got.dns, row.dns_query);
    add(got.sni, row.tls_sni);
    add(got.host, row.http_host);
  }
  const result: Record<string, { found: number; total: number; missing: string[] }> = {};
  for (const kind of ['dns', 'sni', 'host'] as const) {
    const first = want.get(`${kind}1`) ?? new Set<string>();
    const missing = [...first].filter((value) => !got[kind].has(value));
    result[kind] = { found: first.size - missing.length, total: first.size, missing };
  }
  return result;
}
