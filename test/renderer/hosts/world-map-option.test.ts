import { readFileSync } from 'node:fs';
import path from 'node:path';
import { feature } from 'topojson-client';
import type { FeatureCollection } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { iso31661NumericToAlpha2 } from 'iso-3166/1-n-to-1-a2.js';
import { describe, expect, it } from 'vitest';
import type { CountryTraffic } from '../../../src/shared/geo-types';
import type { FlowFilter } from '../../../src/shared/query-types';
import {
  buildWorldMapOption,
  countriesWithoutShape,
  WORLD_MAP_TITLE,
} from '../../../src/renderer/src/hosts/build-world-map-option';
import {
  unwrapAntimeridian,
  WORLD_MAP_NAME,
  worldFeatures,
} from '../../../src/renderer/src/hosts/world-geometry';
import { filterReducer } from '../../../src/renderer/src/filter/filter-model';
import { filterChips } from '../../../src/renderer/src/filter/filter-chips';
import { formatBytes } from '../../../src/renderer/src/format/format-values';

const atlas = JSON.parse(
  readFileSync(
    path.resolve(import.meta.dirname, '../../../node_modules/world-atlas/countries-50m.json'),
    'utf8',
  ),
) as Topology;

const COUNTRIES: CountryTraffic[] = [
  { country: 'US', bytes: 5_000_000_000, packets: 4_000_000, flows: 9000, hosts: 300 },
  { country: 'DE', bytes: 2_000_000, packets: 2000, flows: 40, hosts: 3 },
  { country: 'SG', bytes: 1000, packets: 10, flows: 1, hosts: 1 },
];

type MapSeries = { type: string; map: string; data: { name: string; value: number }[] };

describe('issue #3 - world map of external peers', () => {
  it('names the atlas countries by ISO alpha-2 code, as the country database does', () => {
    const collection = worldFeatures(
      atlas,
      (topology, object) => feature(topology, object as GeometryCollection) as FeatureCollection,
      iso31661NumericToAlpha2,
    );
    const byCode = new Map(
      collection.features.map((entry) => [entry.properties.name, entry.properties.title]),
    );
    expect(collection.features.length).toBe(241);
    expect(byCode.get('DE')).toBe('Germany');
    expect(byCode.get('US')).toBe('United States of America');
    expect(byCode.get('SG')).toBe('Singapore');
    expect(byCode.get('XK')).toBe('Kosovo');
    // Disputed areas without a code keep an empty name (no data joins them).
    expect(
      collection.features
        .filter((entry) => entry.properties.name === '')
        .map((entry) => entry.properties.title)
        .sort(),
    ).toEqual(['Indian Ocean Ter.', 'N. Cyprus', 'Siachen Glacier', 'Somaliland']);
    expect(collection.features.every((entry) => entry.geometry !== null)).toBe(true);
  });

  it('colours countries by log10 bytes between the smallest and the largest', () => {
    const option = buildWorldMapOption(
      COUNTRIES,
      new Map([
        ['US', 'United States'],
        ['DE', 'Germany'],
      ]),
    );
    const series = (option.series as MapSeries[])[0]!;
    expect(series.type).toBe('map');
    expect(series.map).toBe(WORLD_MAP_NAME);
    expect(series.data).toEqual([
      { name: 'US', value: Math.log10(5_000_000_000) },
      { name: 'DE', value: Math.log10(2_000_000) },
      { name: 'SG', value: 3 },
    ]);
    const visualMap = option.visualMap as { min: number; max: number; text: string[] };
    expect(visualMap.min).toBe(3);
    expect(visualMap.max).toBeCloseTo(Math.log10(5_000_000_000), 12);
    expect(visualMap.text[0]).toMatch(/GB|GiB/);
    expect((option.visualMap as unknown as { formatter: (value: number) => string }).formatter(6)).toBe(
      formatBytes(1_000_000),
    );
    expect((option.title as { text: string }).text).toBe(WORLD_MAP_TITLE);
  });

  it('tooltips show the traffic of a country, "no traffic" for others, and escape names', () => {
    const option = buildWorldMapOption(
      COUNTRIES,
      new Map([
        ['DE', 'Germany'],
        ['FR', '<b>France</b>'],
      ]),
    );
    const formatter = (option.tooltip as { formatter: (params: unknown) => string }).formatter;
    const germany = formatter({ name: 'DE' });
    expect(germany).toContain('Germany (DE)');
    expect(germany).toContain('2,000 packets');
    expect(germany).toContain('3 addresses');
    expect(formatter({ name: 'FR' })).toBe('&#60;b&#62;France&#60;/b&#62;<br/>no traffic');
    expect(formatter({ name: '' })).toBe('');
  });

  it('moves the western longitudes of rings crossing the antimeridian east by 360, except Antarctica', () => {
    const ring = [
      [179, 65],
      [-179, 66],
      [-178, 64],
      [179, 65],
    ];
    expect(unwrapAntimeridian({ type: 'Polygon', coordinates: [ring] }, 'RU')).toEqual({
      type: 'Polygon',
      coordinates: [
        [
          [179, 65],
          [181, 66],
          [182, 64],
          [179, 65],
        ],
      ],
    });
    expect(unwrapAntimeridian({ type: 'Polygon', coordinates: [ring] }, 'AQ')).toEqual({
      type: 'Polygon',
      coordinates: [ring],
    });
    const plain = [
      [10, 50],
      [11, 50],
      [10, 51],
      [10, 50],
    ];
    expect(unwrapAntimeridian({ type: 'MultiPolygon', coordinates: [[plain]] }, 'DE')).toEqual({
      type: 'MultiPolygon',
      coordinates: [[plain]],
    });
  });

  it('an empty answer gives an empty map with a valid scale; countries without a shape are listed', () => {
    const option = buildWorldMapOption([], new Map());
    expect((option.series as MapSeries[])[0]!.data).toEqual([]);
    const visualMap = option.visualMap as { min: number; max: number };
    expect(visualMap.max).toBeGreaterThan(visualMap.min);
    expect(countriesWithoutShape(COUNTRIES, new Set(['US', 'DE'])).map((entry) => entry.country)).toEqual([
      'SG',
    ]);
  });

  it('a country click sets the hosts filter; many hosts show as one removable chip', () => {
    const hosts = ['8.8.8.8', '8.8.4.4', '1.1.1.1', '9.9.9.9'];
    let filter: FlowFilter = { hostPair: { a: '10.0.0.1', b: '10.0.0.2' }, expression: 'protocol = 6' };
    filter = filterReducer(filter, { type: 'setHosts', hosts });
    expect(filter).toEqual({ expression: 'protocol = 6', hosts });
    const chips = filterChips(filter).filter((chip) => chip.key.part.startsWith('host'));
    expect(chips.map((chip) => chip.label)).toEqual(['4 hosts']);
    expect(chips[0]!.title).toContain('8.8.8.8, 8.8.4.4, 1.1.1.1, 9.9.9.9');
    expect(filterReducer(filter, { type: 'remove', chip: chips[0]!.key })).toEqual({
      expression: 'protocol = 6',
    });
    const few = filterChips({ hosts: hosts.slice(0, 2) }).map((chip) => chip.label);
    expect(few).toEqual(['host 8.8.8.8', 'host 8.8.4.4']);
  });
});
