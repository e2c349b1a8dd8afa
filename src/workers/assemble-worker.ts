/**
 * Piscina worker (pool of exactly one thread): assembles flows from decoded batches, which the
 * orchestrator sends strictly in capture order. State is kept per ingest job; several jobs
 * (captures ingested at once) interleave safely.
 */
import { encodedStringBuffers } from '../shared/encoded-strings';
import { packetBatchTransferList } from '../shared/packet-batch';
import type { FlowBatch } from '../shared/flow-schema';
import type { AssembleResult, AssembleTask } from '../shared/worker-messages';
import { FlowAssembler } from './flows/flow-assembler';
import { withTransfer } from './transfer';

const jobs = new Map<string, FlowAssembler>();

/**
 * The buffers of the emitted columns, each once (FlowBatchBuilder.take puts every numeric column
 * in one new buffer, and the string columns' bytes in a few, that the assembler keeps no
 * reference to).
 */
function flowBuffers(flows: FlowBatch | null): ArrayBuffer[] {
  if (!flows) return [];
  const buffers = new Set<ArrayBuffer>();
  for (const column of [flows.flowIndex, ...Object.values(flows.numbers)])
    buffers.add(column.buffer as ArrayBuffer);
  for (const buffer of encodedStringBuffers(Object.values(flows.strings))) buffers.add(buffer);
  return [...buffers];
}

export default function assemble(task: AssembleTask): AssembleResult {
  switch (task.op) {
    case 'start':
      jobs.set(task.jobId, new FlowAssembler(task.options));
      return { flows: null, flowCount: 0 };
    case 'push': {
      const assembler = jobOf(task.jobId);
      const flows = assembler.push(task.batch);
      // The orchestrator kept the batch's metadata: it is not cloned back.
      const batch = { ...task.batch, meta: [] };
      const result: AssembleResult = { batch, flows, flowCount: assembler.flowCount };
      return withTransfer(result, [...packetBatchTransferList(task.batch), ...flowBuffers(flows)]);
    }
    case 'finish': {
      const assembler = jobOf(task.jobId);
      jobs.delete(task.jobId);
      const flows = assembler.finish();
      return withTransfer({ flows, flowCount: assembler.flowCount }, flowBuffers(flows));
    }
    case 'discard':
      jobs.delete(task.jobId);
      return { flows: null, flowCount: 0 };
  }
}

function jobOf(jobId: string): FlowAssembler {
  const assembler = jobs.get(jobId);
  if (!assembler) throw new Error(`No flow assembly job ${jobId} in this worker`);
  return assembler;
}
