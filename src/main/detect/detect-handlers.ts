/** API handlers of the detections and statistics channels (spread into createApiHandlers). */
import type { ApiHandlers } from '../../shared/api-contract';
import type { CaseStore } from '../store/case-store';
import { describeColumn } from '../stats/describe';
import { compareGroups, correlationMatrix, outliers, regression } from '../stats/relations';
import { numericColumns, sourceOf } from '../stats/stats-source';
import { beaconDetail } from './beacon-detail';
import { runDetections } from './run-detections';

type AnalyticsChannel =
  | 'detect.run'
  | 'detect.beaconDetail'
  | 'stats.columns'
  | 'stats.describe'
  | 'stats.correlation'
  | 'stats.compare'
  | 'stats.regression'
  | 'stats.outliers';

export function createAnalyticsHandlers(store: CaseStore): Pick<ApiHandlers, AnalyticsChannel> {
  return {
    'detect.run': (request) => runDetections(store, request),
    'detect.beaconDetail': (request) => beaconDetail(store, request),
    'stats.columns': async (request) => [...numericColumns(sourceOf((request as { source?: unknown } | undefined)?.source))],
    'stats.describe': (request) => describeColumn(store, request),
    'stats.correlation': (request) => correlationMatrix(store, request),
    'stats.compare': (request) => compareGroups(store, request),
    'stats.regression': (request) => regression(store, request),
    'stats.outliers': (request) => outliers(store, request),
  };
}
