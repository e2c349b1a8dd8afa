/** The labels.* API channels (spread into createApiHandlers). */
import type { ApiHandlers } from '../../shared/api-contract';
import type { CaseStore } from '../store/case-store';
import { applyLabels, clearLabels, redoLabels, undoLabels } from './apply-labels';
import { importLabels } from './import-labels';
import { labelConflicts, labelHistory, labelSummary, labelsForFlows } from './label-queries';
import { applyRule, deleteRule, listRules, saveRule } from './label-rules';

type LabelChannel = Extract<keyof ApiHandlers, `labels.${string}`>;

/**
 * Handlers of the labels channels. `onChange` runs after every act (views refresh); targets
 * from the API never accept raw SQL.
 */
export function createLabelHandlers(
  store: CaseStore,
  onChange: (batchId: number | null) => void = () => undefined,
): Pick<ApiHandlers, LabelChannel> {
  const changing =
    <R, T>(work: (request: R) => Promise<T>) =>
    async (request: R): Promise<T> => {
      const result = await work(request);
      const batchId = (result as { batchId?: unknown } | null)?.batchId;
      onChange(typeof batchId === 'number' ? batchId : null);
      return result;
    };
  return {
    'labels.apply': changing((request) => applyLabels(store, request)),
    'labels.clear': changing((request) => clearLabels(store, request)),
    'labels.undo': changing(() => undoLabels(store)),
    'labels.redo': changing(() => redoLabels(store)),
    'labels.forFlows': (request) => labelsForFlows(store, request),
    'labels.history': (request) => labelHistory(store, request),
    'labels.summary': (request) => labelSummary(store, request),
    'labels.conflicts': (request) => labelConflicts(store, request),
    'labels.import': changing((request) => importLabels(store, request)),
    'labels.rules': () => listRules(store),
    'labels.saveRule': (request) => saveRule(store, request),
    'labels.deleteRule': (request) => deleteRule(store, request),
    'labels.applyRule': changing((request) => applyRule(store, request)),
  };
}
