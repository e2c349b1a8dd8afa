/** Default detector thresholds and the checks on a `detect.run` request from outside. */
import { ErrorCode, FlowlabError } from '../../shared/errors';
import { FINDING_KINDS } from '../../shared/detect-types';
import type { DetectRequest, DetectThresholds, FindingKind } from '../../shared/detect-types';
import { integerField } from '../query/request-checks';

/** Defaults: RITA v5's where it has one (histogram and duration), else chosen on the corpus. */
export const DEFAULT_THRESHOLDS: Readonly<DetectThresholds> = Object.freeze({
  beaconMinConnections: 10,
  beaconMinSpanSeconds: 120,
  beaconMinScore: 0.7,
  beaconHistModeSensitivity: 0.05,
  beaconHistBimodalOutlierRemoval: 1,
  beaconHistBimodalMinHours: 11,
  beaconDurMinHours: 6,
  beaconDurIdealHours: 12,
  strobeMinConnections: 86400,
  nxdomainMinResponses: 10,
  dnsTunnelMinQueries: 100,
  dnsTunnelMinSubdomains: 50,
  dnsTunnelMinLabelLength: 40,
  dnsTunnelMinEntropy: 3.5,
  heavyTalkerK: 3,
  heavyTalkerMinHosts: 10,
  heavyTalkerMinShare: 0.05,
  repeatedSeqK: 4,
  repeatedSeqMinCount: 3,
  portScanMinPorts: 15,
  hostSweepMinHosts: 15,
  scanMinFailedShare: 0.5,
  synFloodMinHalfOpen: 500,
  synFloodMinRate: 50,
  arpMinMacs: 2,
  arpMinGratuitous: 50,
  arpSweepMinTargets: 100,
  bruteForceMinAttempts: 20,
  bruteForceMaxMedianPackets: 40,
  longConnectionMinSeconds: 3600,
  burstGapSeconds: 0.3,
  burstMinBytes: 300,
  burstMinCount: 10,
});

export interface DetectOptions {
  captureIds: number[] | undefined;
  kinds: FindingKind[];
  thresholds: DetectThresholds;
}

/** Validates a request (IPC, HTTP or CLI) into complete options. */
export function detectOptions(request: DetectRequest | undefined): DetectOptions {
  const value = (request ?? {}) as { captureIds?: unknown; kinds?: unknown; thresholds?: unknown };
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('the request', 'an object', value);
  let captureIds: number[] | undefined;
  if (value.captureIds !== undefined && value.captureIds !== null) {
    if (!Array.isArray(value.captureIds) || value.captureIds.length > 10_000)
      throw invalid('captureIds', 'an array of capture ids', value.captureIds);
    captureIds = value.captureIds.map((id) => integerField(id, 'captureIds[]', { min: 0, max: 2 ** 31 - 1 }));
  }
  let kinds: FindingKind[] = [...FINDING_KINDS];
  if (value.kinds !== undefined && value.kinds !== null) {
    if (!Array.isArray(value.kinds) || !value.kinds.every((kind) => FINDING_KINDS.includes(kind as FindingKind)))
      throw invalid('kinds', `a list of ${FINDING_KINDS.join(', ')}`, value.kinds);
    kinds = value.kinds as FindingKind[];
  }
  const thresholds: DetectThresholds = { ...DEFAULT_THRESHOLDS };
  if (value.thresholds !== undefined && value.thresholds !== null) {
    if (typeof value.thresholds !== 'object' || Array.isArray(value.thresholds))
      throw invalid('thresholds', 'an object', value.thresholds);
    for (const [name, given] of Object.entries(value.thresholds)) {
      if (!(name in DEFAULT_THRESHOLDS)) throw invalid('thresholds', `names from ${Object.keys(DEFAULT_THRESHOLDS).join(', ')}`, name);
      if (typeof given !== 'number' || !Number.isFinite(given) || given < 0)
        throw invalid(`thresholds.${name}`, 'a number >= 0', given);
      thresholds[name as keyof DetectThresholds] = given;
    }
  }
  return { captureIds, kinds, thresholds };
}

function invalid(what: string, expected: string, found: unknown): FlowlabError {
  return new FlowlabError(
    ErrorCode.invalidArgument,
    `Expected ${expected} for ${what}, found ${String(JSON.stringify(found)).slice(0, 120)}`,
  );
}
