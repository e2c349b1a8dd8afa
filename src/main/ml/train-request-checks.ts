/** Validation of training requests that arrive from outside (IPC, HTTP, the CLI's options). */
import { ErrorCode, FlowlabError } from '../../shared/errors';
import { MODEL_KINDS } from '../../shared/ml-types';
import type { TrainRequest } from '../../shared/ml-types';
import { integerField, requestObject, stringField } from '../query/request-checks';

const invalid = (message: string) => new FlowlabError(ErrorCode.invalidArgument, message);

export function checkTrainRequest(input: unknown): TrainRequest {
  const request = requestObject<Record<string, unknown>>(input, 'ml.train');
  const kind = request.kind;
  if (!MODEL_KINDS.includes(kind as never))
    throw invalid(`Expected kind rf, gbt or logreg, found ${JSON.stringify(kind)}`);
  const source = request.source ?? 'imported';
  if (source !== 'imported' && source !== 'captured')
    throw invalid(`Expected source imported or captured, found ${JSON.stringify(source)}`);
  const split = request.split ?? 'stratified';
  if (split !== 'stratified' && split !== 'group')
    throw invalid(`Expected split stratified or group, found ${JSON.stringify(split)}`);
  const testSize = request.testSize ?? 0.2;
  if (typeof testSize !== 'number' || !(testSize >= 0.05 && testSize <= 0.9))
    throw invalid(`Expected testSize from 0.05 to 0.9, found ${JSON.stringify(testSize)}`);
  const ids = (value: unknown, name: string) => {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.length > 10_000) throw invalid(`Expected ${name} to be a list of ids`);
    return value.map((id) => integerField(id, name, { min: 0, max: 2 ** 31 - 1 }));
  };
  const datasetIds = ids(request.datasetIds, 'datasetIds');
  const captureIds = ids(request.captureIds, 'captureIds');
  let features: string[] | undefined;
  if (request.features !== undefined && request.features !== null) {
    if (!Array.isArray(request.features) || request.features.length > 500)
      throw invalid('Expected features to be a list of feature names');
    features = request.features.map((name) => stringField(name, 'feature name', 100));
  }
  const optionalInteger = (value: unknown, name: string, max: number) =>
    value === undefined || value === null ? undefined : integerField(value, name, { min: 1, max });
  const trees = optionalInteger(request.trees, 'trees', 2000);
  const maxDepth = optionalInteger(request.maxDepth, 'maxDepth', 64);
  const seed =
    request.seed === undefined || request.seed === null
      ? undefined
      : integerField(request.seed, 'seed', { min: 0, max: 2 ** 31 - 1 });
  const cvFolds =
    request.cvFolds === undefined || request.cvFolds === null || request.cvFolds === 0
      ? undefined
      : integerField(request.cvFolds, 'cvFolds', { min: 2, max: 20 });
  const name =
    request.name === undefined || request.name === null ? undefined : stringField(request.name, 'name', 200);
  return {
    kind: kind as TrainRequest['kind'],
    source,
    split,
    testSize,
    includePorts: request.includePorts === true,
    ...(datasetIds ? { datasetIds } : {}),
    ...(captureIds ? { captureIds } : {}),
    ...(features ? { features } : {}),
    ...(trees !== undefined ? { trees } : {}),
    ...(maxDepth !== undefined ? { maxDepth } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(cvFolds !== undefined ? { cvFolds } : {}),
    ...(name !== undefined ? { name } : {}),
  };
}
