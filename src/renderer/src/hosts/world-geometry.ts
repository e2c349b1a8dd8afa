/**
 * The world map's geometry: Natural Earth 1:50m countries from the `world-atlas` package
 * (TopoJSON, ISC), keyed by ISO 3166-1 alpha-2 codes (via the `iso-3166` package's numeric →
 * alpha-2 table) so they match the country database's codes. Loaded lazily, on first use.
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';

/** Name the map is registered under in echarts. */
export const WORLD_MAP_NAME = 'flowlab-world';

/** Shapes world-atlas leaves without a numeric code but the databases do name. */
const UNNUMBERED: Record<string, string> = { Kosovo: 'XK' };

export interface CountryShapeProperties {
  /** ISO 3166-1 alpha-2 code (echarts matches data by this `name`). */
  name: string;
  /** The atlas's short English name, for tooltips. */
  title: string;
}

/**
 * GeoJSON features of the atlas's countries, each named by its alpha-2 code; shapes with no
 * known code (disputed areas) keep no name and are drawn without data.
 */
export function worldFeatures(
  topology: Topology,
  toFeatures: (topology: Topology, object: GeometryCollection) => FeatureCollection,
  numericToAlpha2: Record<string, string>,
): FeatureCollection<Geometry, CountryShapeProperties> {
  const collection = toFeatures(topology, topology.objects.countries as GeometryCollection);
  const features = collection.features.map((feature): Feature<Geometry, CountryShapeProperties> => {
    const title = String((feature.properties as { name?: unknown } | null)?.name ?? '');
    const id = feature.id === undefined ? undefined : String(feature.id);
    const code =
      (id !== undefined ? (numericToAlpha2[id] ?? numericToAlpha2[String(Number(id))]) : undefined) ??
      UNNUMBERED[title] ??
      '';
    return {
      type: 'Feature',
      geometry: unwrapAntimeridian(feature.geometry, code),
      properties: { name: code, title },
    };
  });
  return { type: 'FeatureCollection', features };
}

/**
 * Rings that cross the antimeridian (Russia's Chukotka, Fiji) jump from +180 to -180 and
 * would be drawn as lines across the whole map: their western longitudes move east by 360.
 * Antarctica's ring spans every longitude on purpose and is left alone.
 */
export function unwrapAntimeridian(geometry: Geometry, code: string): Geometry {
  if (code === 'AQ') return geometry;
  const unwrapRing = (ring: number[][]): number[][] => {
    const jumps = ring.some((point, index) => index > 0 && Math.abs(point[0]! - ring[index - 1]![0]!) > 180);
    return jumps ? ring.map(([lon, lat]) => [lon! < 0 ? lon! + 360 : lon!, lat!]) : ring;
  };
  if (geometry.type === 'Polygon') return { ...geometry, coordinates: geometry.coordinates.map(unwrapRing) };
  if (geometry.type === 'MultiPolygon')
    return { ...geometry, coordinates: geometry.coordinates.map((polygon) => polygon.map(unwrapRing)) };
  return geometry;
}

let loading: Promise<{ codes: ReadonlySet<string>; names: ReadonlyMap<string, string> }> | undefined;

/**
 * Loads the atlas and registers it with echarts (once); resolves to the alpha-2 codes that
 * have a shape and the country names of every code.
 */
export function loadWorldMap(): Promise<{ codes: ReadonlySet<string>; names: ReadonlyMap<string, string> }> {
  loading ??= (async () => {
    const [atlas, topojson, numeric, iso, echarts] = await Promise.all([
      import('world-atlas/countries-50m.json'),
      import('topojson-client'),
      import('iso-3166/1-n-to-1-a2.js'),
      import('iso-3166/1.js'),
      import('../charts/echarts-setup'),
    ]);
    const topology = (atlas.default ?? atlas) as unknown as Topology;
    const collection = worldFeatures(
      topology,
      (value, object) => topojson.feature(value, object) as FeatureCollection,
      numeric.iso31661NumericToAlpha2,
    );
    echarts.registerMap(WORLD_MAP_NAME, collection as unknown as Parameters<typeof echarts.registerMap>[1]);
    const names = new Map(iso.iso31661.map((entry) => [entry.alpha2, entry.name] as const));
    for (const feature of collection.features)
      if (feature.properties.name && !names.has(feature.properties.name))
        names.set(feature.properties.name, feature.properties.title);
    return {
      codes: new Set(collection.features.map((feature) => feature.properties.name).filter(Boolean)),
      names,
    };
  })();
  return loading;
}
