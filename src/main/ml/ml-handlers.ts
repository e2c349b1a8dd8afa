/**
 * Handlers of the `ml.*` channels (spread into createApiHandlers). Requests come from outside
 * (IPC, HTTP) and are validated here; long jobs report 'ml.progress' and can be cancelled.
 */
import type { ApiHandlers } from '../../shared/api-contract';
import { ErrorCode, FlowlabError } from '../../shared/errors';
import type { ApiEventSink } from '../query/api-event-sink';
import { integerField, requestObject, stringField } from '../query/request-checks';
import type { CaseStore } from '../store/case-store';
import { CIC_FEATURES } from './cic-features';
import { deleteDataset, listDatasets } from './dataset-queries';
import { MlEngine } from './ml-engine';
import { deleteModel, listModels } from './model-store';
import { predictionsPage } from './prediction-queries';
import { checkTrainRequest } from './train-request-checks';
import { flowFeatureNames } from './training-data';

type MlChannel = Extract<keyof ApiHandlers, `ml.${string}`>;

const id = (value: unknown, name: string) => integerField(value, name, { min: 0, max: 2 ** 31 - 1 });

/** The ml.* handlers over one case; the engine is returned too, to cancel jobs on shutdown. */
export function createMlHandlers(
  store: CaseStore,
  events: ApiEventSink,
): Pick<ApiHandlers, MlChannel> & { readonly mlEngine: MlEngine } {
  const engine = new MlEngine(store, (progress) => events.emit('ml.progress', progress));
  const changed = (modelId: number | null) => events.emit('ml.changed', { modelId });
  return {
    mlEngine: engine,
    'ml.datasets': () => listDatasets(store),
    'ml.import': async (request) => {
      const { paths } = requestObject<{ paths?: unknown }>(request, 'ml.import');
      if (!Array.isArray(paths) || paths.length === 0 || paths.length > 1000)
        throw new FlowlabError(ErrorCode.invalidArgument, 'Expected paths, a list of CSV file paths');
      const results = await engine.importFiles(paths.map((path) => stringField(path, 'path', 4096)));
      changed(null);
      return results;
    },
    'ml.deleteDataset': async (request) => {
      const { datasetId } = requestObject<{ datasetId?: unknown }>(request, 'ml.deleteDataset');
      await deleteDataset(store, id(datasetId, 'datasetId'));
      changed(null);
    },
    'ml.features': async (request) => {
      const { source } = requestObject<{ source?: unknown }>(request, 'ml.features');
      if (source === 'captured') return { defaults: flowFeatureNames(false), all: flowFeatureNames(true) };
      if (source !== 'imported')
        throw new FlowlabError(
          ErrorCode.invalidArgument,
          `Expected source imported or captured, found ${JSON.stringify(source)}`,
        );
      return {
        defaults: CIC_FEATURES.filter((feature) => feature.flowSql !== undefined && !feature.identifier).map(
          (feature) => feature.name,
        ),
        all: CIC_FEATURES.map((feature) => feature.name),
      };
    },
    'ml.train': async (request) => {
      const model = await engine.train(checkTrainRequest(request));
      changed(model.id);
      return model;
    },
    'ml.cancel': async () => engine.cancelAll(),
    'ml.models': () => listModels(store),
    'ml.deleteModel': async (request) => {
      const { modelId } = requestObject<{ modelId?: unknown }>(request, 'ml.deleteModel');
      await deleteModel(store, id(modelId, 'modelId'));
      changed(null);
    },
    'ml.predict': async (request) => {
      const body = requestObject<{ modelId?: unknown; captureId?: unknown }>(request, 'ml.predict');
      const result = await engine.predict({
        modelId: id(body.modelId, 'modelId'),
        captureId: id(body.captureId, 'captureId'),
      });
      changed(result.modelId);
      return result;
    },
    'ml.predictions': (request) => predictionsPage(store, request),
  };
}
