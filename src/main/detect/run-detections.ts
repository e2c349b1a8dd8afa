/** Runs the requested detectors over the case, one set-based query batch each, and ranks the findings. */
import type { DetectRequest, DetectResult, Finding, FindingKind } from '../../shared/detect-types';
import type { CaseStore } from '../store/case-store';
import { detectArpAnomalies } from './arp-detector';
import { detectBeacons } from './beacon-detector';
import type { Detector } from './detect-context';
import { detectOptions } from './detect-options';
import { detectDnsTunnels, detectNxdomain } from './dns-detectors';
import { detectBruteForce, detectHostSweeps, detectPortScans, detectSynFloods } from './scan-detectors';
import { detectRepeatedSequences } from './repeated-seq-detector';
import type { SummaryMode } from './summaries-source';
import { detectBursts, detectHeavyTalkers, detectLongConnections } from './traffic-detectors';

/** Each detector with the kinds it can produce (it runs when any of them is requested). */
const DETECTORS: { name: FindingKind; kinds: readonly FindingKind[]; run: Detector }[] = [
  { name: 'beacon', kinds: ['beacon', 'strobe'], run: detectBeacons },
  { name: 'dns-nxdomain', kinds: ['dns-nxdomain'], run: detectNxdomain },
  { name: 'dns-tunnel', kinds: ['dns-tunnel'], run: detectDnsTunnels },
  { name: 'heavy-talker', kinds: ['heavy-talker'], run: detectHeavyTalkers },
  { name: 'repeated-seq', kinds: ['repeated-seq'], run: detectRepeatedSequences },
  { name: 'port-scan', kinds: ['port-scan'], run: detectPortScans },
  { name: 'host-sweep', kinds: ['host-sweep'], run: detectHostSweeps },
  { name: 'syn-flood', kinds: ['syn-flood'], run: detectSynFloods },
  { name: 'arp-spoof', kinds: ['arp-spoof', 'host-sweep'], run: detectArpAnomalies },
  { name: 'brute-force', kinds: ['brute-force'], run: detectBruteForce },
  { name: 'long-connection', kinds: ['long-connection'], run: detectLongConnections },
  { name: 'burst', kinds: ['burst'], run: detectBursts },
];

/** The detectors by name, in the order they run (a name is also the kind that selects it). */
export const DETECTOR_NAMES: readonly FindingKind[] = DETECTORS.map((detector) => detector.name);

/**
 * Validates `request` and runs every requested detector; findings best first. `summaries`: how
 * the packet-index detectors use the per-capture summaries (summaries-source.ts).
 */
export async function runDetections(
  store: CaseStore,
  request?: DetectRequest,
  summaries: SummaryMode = 'build',
): Promise<DetectResult> {
  const options = detectOptions(request);
  const findings: Finding[] = [];
  const timings: DetectResult['timings'] = {};
  for (const detector of DETECTORS) {
    if (!detector.kinds.some((kind) => options.kinds.includes(kind))) continue;
    const started = performance.now();
    const found = await detector.run({ store, options, summaries });
    timings[detector.name] = Math.round((performance.now() - started) * 10) / 10;
    findings.push(...found.filter((finding) => options.kinds.includes(finding.kind)));
  }
  findings.sort(
    (a, b) =>
      b.score - a.score ||
      a.kind.localeCompare(b.kind) ||
      a.capture_id - b.capture_id ||
      a.summary.localeCompare(b.summary),
  );
  return { findings, timings, thresholds: options.thresholds };
}
