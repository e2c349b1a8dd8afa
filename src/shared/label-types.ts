/**
 * Labeling types shared by the API contract, the backend (src/main/labels) and the renderer.
 * A label is a class (`benign`, `malicious` or user-defined such as `mirai-scan`) plus free tags;
 * every labeling act records who, when, how (source) and why (reason), and can be undone.
 */
import type { FlowFilter } from './query-types';

/** How a labeling act came about. Manual acts are the analyst's verdict and resolve conflicts. */
export type LabelSource = 'manual' | 'rule' | 'capture' | 'import' | 'detection' | 'model';

export const LABEL_SOURCES: readonly LabelSource[] = [
  'manual',
  'rule',
  'capture',
  'import',
  'detection',
  'model',
];

/** The two built-in classes; any other class name is user-defined. */
export const BUILTIN_CLASSES = ['benign', 'malicious'] as const;

/** Class names: lower-case words joined by `-`, `_` or `.`, e.g. `c2-beacon` (at most 64 characters). */
export const CLASS_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Which flows an act applies to. Given parts are combined with AND; at least one is required. */
export interface LabelTarget {
  /** Explicit flows (e.g. the rows selected in the grid); at most 100,000. */
  flowIds?: number[];
  /** Every flow matching a filter (e.g. "all rows matching the current filter"). */
  filter?: FlowFilter;
  /** A whole capture. */
  captureId?: number;
}

export interface LabelApplyRequest {
  target: LabelTarget;
  /** The class: `benign`, `malicious` or a user-defined name (CLASS_NAME_PATTERN). */
  label: string;
  tags?: string[];
  source: LabelSource;
  reason?: string;
}

export interface LabelClearRequest {
  target: LabelTarget;
  reason?: string;
}

export interface LabelApplyResult {
  batchId: number;
  /** Flows the act touched. */
  flows: number;
  /**
   * Touched flows whose label another claim disagrees with (shown, not overwritten silently):
   * the flow keeps the label of the higher-precedence source and is listed as a conflict.
   */
  conflicts: number;
}

/** One labeling act, as listed in the recent activity and a flow's history. */
export interface LabelBatch {
  batchId: number;
  createdAt: string;
  actor: string | null;
  source: LabelSource;
  kind: 'label' | 'clear';
  /** The act's class; null for a clear or an import of several classes. */
  label: string | null;
  tags: string[];
  reason: string | null;
  /** What was targeted, as text (e.g. `filter: dst_port = 23`). */
  target: string;
  ruleId: number | null;
  flows: number;
  conflicts: number;
  state: 'applied' | 'undone' | 'discarded';
}

/** The label a flow carries now (flows without one are absent). */
export interface FlowLabel {
  flowId: number;
  label: string;
  tags: string[];
  source: LabelSource;
  labeledAt: string;
  conflict: boolean;
  /** The disagreeing claims when `conflict` (class, source, act). */
  claims: { label: string; source: LabelSource; batchId: number }[];
}

/**
 * Where an act stands for one flow: `current` = its claim is the flow's label now (or, for a
 * clear, the flow is unlabeled because of it); `conflicting` = a disagreeing claim still counted
 * (the flow is listed as a conflict); `superseded` = applied but outweighed or replaced by a
 * later or stronger act; `undone` / `discarded` = not applied any more (see LabelBatch.state).
 */
export type FlowLabelActStatus = 'current' | 'conflicting' | 'superseded' | 'undone' | 'discarded';

/** One act in a flow's history (newest first), with the class it gave this flow. */
export interface FlowLabelHistoryEntry extends LabelBatch {
  /** The class this act gave the flow (null: cleared). */
  flowLabel: string | null;
  flowTags: string[];
  status: FlowLabelActStatus;
  /** This act is the one `labels.undo` undoes next (the case's latest applied act). */
  undoable: boolean;
  /** This act is the one `labels.redo` re-applies next. */
  redoable: boolean;
}

export interface LabelSummary {
  totalFlows: number;
  labeledFlows: number;
  /** Unlabeled flows / total flows (0 when the case has no flows). */
  unlabeledShare: number;
  conflicts: number;
  classes: { label: string; flows: number }[];
  captures: {
    captureId: number;
    fileName: string;
    flows: number;
    labeled: number;
    conflicts: number;
    classes: { label: string; flows: number }[];
  }[];
  /** The latest acts, newest first. */
  recent: LabelBatch[];
  /** Every class in use plus the built-in ones (for pickers). */
  knownClasses: string[];
  canUndo: boolean;
  canRedo: boolean;
}

/** A flow in conflict, for the labels view. */
export interface LabelConflict {
  flowId: number;
  captureId: number;
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
  protocol: number;
  firstSeen: string;
  label: string;
  source: LabelSource;
  claims: { label: string; source: LabelSource; batchId: number }[];
}

/** A saved rule: a filter expression plus optional time window and host lists. */
export interface LabelRule {
  ruleId: number;
  name: string;
  label: string;
  tags: string[];
  /** Filter language expression; empty matches every flow (narrowed by time and hosts). */
  expression: string;
  timeRange: { from: string; to: string } | null;
  /** Flows with any of these addresses as source or destination. */
  hosts: string[];
  reason: string | null;
  createdAt: string;
  lastAppliedAt: string | null;
}

export interface LabelRuleInput {
  name: string;
  label: string;
  tags?: string[];
  expression?: string;
  timeRange?: { from: string; to: string } | null;
  hosts?: string[];
  reason?: string;
}

/**
 * Ground-truth CSV layouts:
 * - `five-tuple`: src_ip, src_port, dst_ip, dst_port, protocol, time, label[, tags][, reason]:
 *   flows with that 5-tuple (either direction) active at `time` (± toleranceSeconds);
 * - `ip`: ip, label[, start, end][, tags][, reason]: flows to or from `ip`, starting in [start, end];
 * - `cicids2017`: the published CICIDS2017 CSVs (Source IP, Source Port, Destination IP,
 *   Destination Port, Protocol, Timestamp, Label): BENIGN → benign, else malicious with the
 *   attack as a tag.
 */
export type LabelImportFormat = 'five-tuple' | 'ip' | 'cicids2017';

export interface LabelImportRequest {
  format: LabelImportFormat;
  /** CSV text (browser upload), or `path` to a CSV file readable by the backend. */
  text?: string;
  path?: string;
  /** Default `import`. */
  source?: LabelSource;
  reason?: string;
  /** Seconds of slack around times (default 60; CICIDS2017 rows: 120, they have minute precision). */
  toleranceSeconds?: number;
  /** Minutes east of UTC of the CSV's local times (CICIDS2017 is in UTC-3: -180). Default 0. */
  utcOffsetMinutes?: number;
  /** Only flows of these captures (default: all). */
  captureIds?: number[];
}

export interface LabelImportResult extends LabelApplyResult {
  rows: number;
  /** Rows that matched at least one flow. */
  matchedRows: number;
  /** Rows skipped as unreadable (bad address, time or class), with a few examples. */
  skippedRows: number;
  examples: string[];
}
