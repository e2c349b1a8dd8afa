/** docs/cicids2017-layout.md, generated from CICIDS2017_COLUMNS (scripts/write-cicids2017-doc.ts). */
import { CICIDS2017_COLUMNS } from './cicids2017-layout';

export function renderCicids2017Doc(): string {
  const rows = CICIDS2017_COLUMNS.map(
    (column, index) => `| ${index + 1} | \`${column.name.replaceAll('|', '\\|')}\` | ${column.definition.replaceAll('|', '\\|')} |`,
  );
  return `# CICIDS2017 layout

\`flowlab export --format cicids2017\` (and the Export dialog's "CICIDS2017 layout") writes CSV
with the 85 columns of the published CICIDS2017 files (CICFlowMeter-V3, e.g.
\`Friday-WorkingHours-Afternoon-DDos.pcap_ISCX.csv\`): the same names, spaces included (most
start with a space, \`CWE Flag Count\` keeps its typo, \` Fwd Header Length\` appears twice), the
same units, and \` Label\`. Notebooks written for that dataset read the file unchanged.

Units as in CICFlowMeter: times in microseconds; "packet length" is the transport payload
length; rates per second. Deliberate differences from the published values:

- Standard deviations are sample ones (n − 1), converted from Flowlab's population values;
  the active/idle standard deviations stay population ones (the period count is not stored).
- Rates of a zero-length flow are empty (CICFlowMeter writes Infinity or NaN).
- Average Packet Size is payload bytes / packets (CICFlowMeter-V3 counts the first packet twice).
- Times are UTC, day/month/year with seconds; the published files use local time.
- Flowlab's own flow definitions apply (timeouts, TCP flow ends, payload counts without
  Ethernet padding), so values of the same capture differ where CICFlowMeter's do.

| # | column | definition |
|---|---|---|
${rows.join('\n')}
`;
}
