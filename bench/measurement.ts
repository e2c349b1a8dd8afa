/** One timed run of one tool over one benchmark capture. */
export interface Measurement {
  tool: 'flowlab' | 'tshark' | 'argus';
  /** Size label of the capture (`1G`). */
  label: string;
  fileBytes: number;
  /** Packets in the capture (generator, cross-checked with capinfos): the same for every tool. */
  packets: number;
  wallSeconds: number;
  /** GNU time %M: peak resident set size in MiB. */
  peakRssMB: number;
  /** 1-minute load average just before the run: other work on the machine skews the timings. */
  loadAverage?: number;
  ok: boolean;
  /** Why the run counts as failed: non-zero exit, or flowlab output that disagrees with the capture. */
  error?: string;
  /** flowlab only: flows from its JSON. */
  flows?: number;
  details?: Record<string, unknown>;
}
