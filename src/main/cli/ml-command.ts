/** `flowlab import`, `flowlab train`, `flowlab predict` and `flowlab models`: classifiers. */
import type { MlProgress, ModelKind, SplitKind, TrainingSource } from '../../shared/ml-types';
import { MlEngine } from '../ml/ml-engine';
import { listModels } from '../ml/model-store';
import { checkTrainRequest } from '../ml/train-request-checks';
import { CaseStore } from '../store/case-store';
import { numberOption, UsageError } from './usage-error';
import type { ParsedArgs } from './usage-error';

/** Opens the case, runs `work` with an engine (Ctrl-C cancels the job), closes both. */
async function withEngine<T>(
  casePath: string,
  json: boolean,
  work: (engine: MlEngine, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const store = await CaseStore.open(casePath);
  const tty = process.stderr.isTTY && !json;
  const engine = new MlEngine(store, tty ? (progress) => showProgress(progress) : undefined);
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  try {
    return await work(engine, controller.signal);
  } finally {
    if (tty) process.stderr.write('\r\x1b[K');
    process.off('SIGINT', onSignal);
    await engine.close();
    store.close();
  }
}

function showProgress(progress: MlProgress): void {
  process.stderr.write(
    `\r\x1b[K${progress.phase} ${Math.round(progress.fraction * 100)}% ${progress.message}`,
  );
}

export async function runImport(args: ParsedArgs): Promise<number> {
  const [casePath, ...files] = args.positionals;
  if (!casePath || files.length === 0)
    throw new UsageError('import needs a case file and at least one CSV file');
  const json = args.values.json === true;
  const results = await withEngine(casePath, json, (engine) => engine.importFiles(files));
  if (json) process.stdout.write(JSON.stringify(results) + '\n');
  else {
    for (const { dataset, layout, nonFiniteCells } of results) {
      const classes = Object.entries(dataset.classCounts)
        .map(([label, count]) => `${label || '(none)'} ${count}`)
        .join(', ');
      process.stdout.write(
        `dataset ${dataset.id}: ${dataset.name} (${layout} layout), ${dataset.rows} rows: ${classes}\n`,
      );
      if (nonFiniteCells) {
        const columns = Object.entries(dataset.nonFinite)
          .map(([name, count]) => `${name} ${count}`)
          .join(', ');
        process.stdout.write(`  ${nonFiniteCells} Infinity/NaN cells stored as missing: ${columns}\n`);
      }
      for (const warning of dataset.warnings) process.stdout.write(`  warning: ${warning}\n`);
    }
  }
  return 0;
}

const list = (value: unknown): string[] | undefined =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : undefined;

const ids = (value: unknown, option: string): number[] | undefined =>
  list(value)?.map((item) => {
    const id = Number(item);
    if (!Number.isSafeInteger(id) || id < 0)
      throw new UsageError(`--${option} expects ids like 1,2, got ${JSON.stringify(value)}`);
    return id;
  });

export async function runTrain(args: ParsedArgs): Promise<number> {
  if (args.positionals.length !== 1) throw new UsageError('train needs exactly one case file');
  const kind = args.values.model;
  if (kind !== 'rf' && kind !== 'gbt' && kind !== 'logreg')
    throw new UsageError(`--model must be rf, gbt or logreg, got ${JSON.stringify(kind)}`);
  const json = args.values.json === true;
  const testSize = numberOption(args, 'test-size');
  const seed = numberOption(args, 'seed');
  const trees = numberOption(args, 'trees', 1);
  const maxDepth = numberOption(args, 'max-depth', 1);
  const cvFolds = numberOption(args, 'cv', 2);
  let request;
  try {
    request = checkTrainRequest({
      kind: kind as ModelKind,
      source: (args.values.source ?? 'imported') as TrainingSource,
      split: (args.values.split ?? 'stratified') as SplitKind,
      includePorts: args.values['include-ports'] === true,
      features: list(args.values.features),
      datasetIds: ids(args.values.datasets, 'datasets'),
      captureIds: ids(args.values.captures, 'captures'),
      testSize,
      seed,
      trees,
      maxDepth,
      cvFolds,
      name: typeof args.values.name === 'string' ? args.values.name : undefined,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const model = await withEngine(args.positionals[0]!, json, (engine, signal) =>
    engine.train(request, signal),
  );
  const { metrics } = model;
  if (json) {
    // The shape; confusion rows (actual) and columns (predicted) follow perClass's key order.
    process.stdout.write(
      JSON.stringify({
        modelId: model.id,
        metrics: {
          macroF1: metrics.macroF1,
          accuracy: metrics.accuracy,
          perClass: metrics.perClass,
          confusion: metrics.confusion,
          ...(metrics.crossValidation ? { crossValidation: metrics.crossValidation } : {}),
        },
      }) + '\n',
    );
    return 0;
  }
  process.stdout.write(
    `model ${model.id}: ${model.kind} on ${metrics.trainRows} rows, ${model.features.length} features; held-out ${metrics.testRows} rows (${model.training.split})\n` +
      `macro-F1 ${metrics.macroF1.toFixed(4)}  accuracy ${metrics.accuracy.toFixed(4)}  training ${(model.training.trainMs / 1000).toFixed(1)} s\n`,
  );
  const cv = metrics.crossValidation;
  if (cv)
    process.stdout.write(
      `${cv.folds}-fold cross-validation (${cv.split === 'group' ? 'grouped by capture/dataset' : 'stratified'}): macro-F1 ${cv.meanMacroF1.toFixed(4)} ± ${cv.stdMacroF1.toFixed(4)} (${cv.macroF1.map((value) => value.toFixed(3)).join(', ')})\n`,
    );
  for (const [name, value] of Object.entries(metrics.perClass)) {
    process.stdout.write(
      `  ${name.padEnd(28)} precision ${value.precision.toFixed(3)}  recall ${value.recall.toFixed(3)}  f1 ${value.f1.toFixed(3)}  support ${value.support}\n`,
    );
  }
  return 0;
}

export async function runPredict(args: ParsedArgs): Promise<number> {
  if (args.positionals.length !== 1) throw new UsageError('predict needs exactly one case file');
  const modelId = numberOption(args, 'model', 1);
  const captureId = numberOption(args, 'capture', 0);
  if (modelId === undefined || captureId === undefined)
    throw new UsageError('predict needs --model ID and --capture ID');
  const json = args.values.json === true;
  const result = await withEngine(args.positionals[0]!, json, (engine, signal) =>
    engine.predict({ modelId, captureId }, signal),
  );
  if (json) process.stdout.write(JSON.stringify(result) + '\n');
  else {
    const classes = Object.entries(result.byClass)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ');
    process.stdout.write(
      `model ${result.modelId} on capture ${result.captureId}: ${result.flows} flows (${classes}) in ${result.elapsedMs} ms\n`,
    );
  }
  return 0;
}

export async function runModels(args: ParsedArgs): Promise<number> {
  if (args.positionals.length !== 1) throw new UsageError('models needs exactly one case file');
  const store = await CaseStore.open(args.positionals[0]!);
  try {
    const models = await listModels(store);
    if (args.values.json === true) process.stdout.write(JSON.stringify(models) + '\n');
    else
      for (const model of models)
        process.stdout.write(
          `${model.id}\t${model.kind}\t${model.source}\tmacro-F1 ${model.metrics.macroF1.toFixed(4)}\t${model.name}\n`,
        );
  } finally {
    store.close();
  }
  return 0;
}
