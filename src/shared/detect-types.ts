/**
 * Detections: what `detect.run` and `flowlab detect --json` return. Field names of Finding are
 * the CLI's JSON contract (snake_case like the flow columns); kinds are never renamed.
 */
import type { FlowFilter } from './query-types';

/** Every finding kind (add kinds when needed, never rename). */
export const FINDING_KINDS = [
  'beacon',
  'strobe',
  'dns-nxdomain',
  'dns-tunnel',
  'heavy-talker',
  'repeated-seq',
  'port-scan',
  'host-sweep',
  'syn-flood',
  'arp-spoof',
  'brute-force',
  'long-connection',
  'burst',
] as const;

export type FindingKind = (typeof FINDING_KINDS)[number];

/** One finding: a score, who, and a filter that selects its flows. */
export interface Finding {
  kind: FindingKind;
  /** 0..1; informational kinds (heavy-talker, long-connection, burst) stay at or below 0.6. */
  score: number;
  src_ip: string | null;
  dst_ip: string | null;
  capture_id: number;
  /** Flows the finding covers: exactly the flows `filter` selects. */
  flows: number;
  /** One line for a table or a terminal. */
  summary: string;
  /** Each indicator that fired, with its value and the threshold it passed. */
  why: string[];
  /** The numbers behind the score (per kind; e.g. a beacon's four RITA sub-scores). */
  metrics: Record<string, number | string | null>;
  /** Selects the finding's flows: for the flows grid and for labeling. */
  filter: FlowFilter;
  /** The class proposed by "Label these…" (the analyst confirms or edits it). */
  label: string;
}

/** Thresholds of every detector; each can be overridden per request (`detect.run`). */
export interface DetectThresholds {
  /** Beacons: connections per pair at least this (RITA v5: 4; raised for short captures). */
  beaconMinConnections: number;
  /** Beacons: first to last connection of the pair spans at least this many seconds. */
  beaconMinSpanSeconds: number;
  /** Beacons: report pairs whose RITA v5 score is at least this. */
  beaconMinScore: number;
  /** RITA v5 `HistModeSensitivity`: frequency-bin width as a share of the tallest hour bar. */
  beaconHistModeSensitivity: number;
  /** RITA v5 `HistBimodalOutlierRemoval`: bars thrown out before the bimodal fit. */
  beaconHistBimodalOutlierRemoval: number;
  /** RITA v5 `HistBimodalMinHours`: bars needed before a bimodal fit is scored. */
  beaconHistBimodalMinHours: number;
  /** RITA v5 `DurMinHours`: bars needed before the duration score counts. */
  beaconDurMinHours: number;
  /** RITA v5 `DurIdealNumberOfConsistentHours`. */
  beaconDurIdealHours: number;
  /** Strobes: connections per pair at least this (RITA: 86400, one a second for a day). */
  strobeMinConnections: number;
  /** NXDOMAIN responses per client (or per queried domain) at least this. */
  nxdomainMinResponses: number;
  /** DNS tunnel: queries from one client for one registered domain at least this. */
  dnsTunnelMinQueries: number;
  /** DNS tunnel: distinct names under one registered domain at least this. */
  dnsTunnelMinSubdomains: number;
  /** DNS tunnel: a label at least this long (RFC 1035 allows 63). */
  dnsTunnelMinLabelLength: number;
  /** DNS tunnel: Shannon entropy (bits per character) of the longest label at least this. */
  dnsTunnelMinEntropy: number;
  /** Heavy talkers: bytes or packets above mean + k·σ over the capture's hosts. */
  heavyTalkerK: number;
  /** Heavy talkers: only in captures with at least this many hosts. */
  heavyTalkerMinHosts: number;
  /** Heavy talkers: and at least this share of the capture's bytes or packets. */
  heavyTalkerMinShare: number;
  /** Repeated TCP sequence numbers: flows sharing one value above mean + k·σ over the capture's values. */
  repeatedSeqK: number;
  /** Repeated TCP sequence numbers: and shared by at least this many flows. */
  repeatedSeqMinCount: number;
  /** Vertical scan: distinct destination ports of one source on one host. */
  portScanMinPorts: number;
  /** Horizontal scan / sweep: distinct destination hosts of one source on one port (or ICMP). */
  hostSweepMinHosts: number;
  /** Scans: share of the probes that got no answer (or a reset) at least this. */
  scanMinFailedShare: number;
  /** SYN flood: half-open connections to one host and port at least this. */
  synFloodMinHalfOpen: number;
  /** SYN flood: at a rate of at least this many per second. */
  synFloodMinRate: number;
  /** ARP: MAC addresses claiming one IP at least this. */
  arpMinMacs: number;
  /** ARP: gratuitous ARPs from one sender at least this. */
  arpMinGratuitous: number;
  /** ARP: distinct addresses one sender asks for (an ARP sweep) at least this. */
  arpSweepMinTargets: number;
  /** Brute force: connections from one source to one login service at least this. */
  bruteForceMinAttempts: number;
  /** Brute force: median packets per connection at most this (short login attempts). */
  bruteForceMaxMedianPackets: number;
  /** Long connections: at least this many seconds. */
  longConnectionMinSeconds: number;
  /** Bursts: packets of a host pair closer than this many seconds belong to one burst. */
  burstGapSeconds: number;
  /** Bursts: a burst carries at least this many bytes. */
  burstMinBytes: number;
  /** Bursts: report host pairs with at least this many bursts. */
  burstMinCount: number;
}

export interface DetectRequest {
  /** Only these captures (default: the whole case). */
  captureIds?: number[];
  /** Only these detectors (default: all). */
  kinds?: FindingKind[];
  thresholds?: Partial<DetectThresholds>;
}

export interface DetectResult {
  findings: Finding[];
  /** Milliseconds per detector, for the bench and the status line. */
  timings: Partial<Record<FindingKind, number>>;
  thresholds: DetectThresholds;
}

/** A beacon pair's interval and size histograms (RITA's graphs), for the Detections view. */
export interface BeaconDetailRequest {
  captureId: number;
  srcIp: string;
  /** The destination address, or the server name for an SNI beacon. */
  peer: string;
  by: 'ip' | 'sni';
}

export interface BeaconDetail {
  /** Distinct intervals between connection starts (seconds) and how often each occurs. */
  intervals: { seconds: number; count: number }[];
  /** Distinct connection sizes (bytes) and how often each occurs. */
  sizes: { bytes: number; count: number }[];
  /** Connections per bin over the capture's time span (24 bins, RITA v5). */
  histogram: number[];
}
