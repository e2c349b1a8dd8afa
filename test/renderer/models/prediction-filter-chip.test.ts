/** issue #6 - a model's predictions as a part of the shared filter: set, shown as a chip, removed. */
import { describe, expect, it } from 'vitest';
import { filterChips } from '../../../src/renderer/src/filter/filter-chips';
import { filterKey, filterReducer } from '../../../src/renderer/src/filter/filter-model';

describe('prediction filter chip', () => {
  it('narrows the shared filter to a model prediction, shows it as a chip and removes it', () => {
    const withCapture = filterReducer({}, { type: 'setCaptures', captureIds: [2] });
    const filtered = filterReducer(withCapture, {
      type: 'setPrediction',
      prediction: { modelId: 3, classes: ['DDoS'], minProbability: 0.9 },
    });
    expect(filtered).toEqual({
      captureIds: [2],
      prediction: { modelId: 3, classes: ['DDoS'], minProbability: 0.9 },
    });
    expect(filterKey(filtered)).toContain('"prediction"');
    const chip = filterChips(filtered).find((entry) => entry.key.part === 'prediction')!;
    expect(chip.label).toBe('model #3 = DDoS (p ≥ 0.9)');
    expect(filterReducer(filtered, { type: 'remove', chip: chip.key })).toEqual({ captureIds: [2] });
    expect(
      filterChips(filterReducer({}, { type: 'setPrediction', prediction: { modelId: 1 } }))[0]!.label,
    ).toBe('model #1');
  });
});
