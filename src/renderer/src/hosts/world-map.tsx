/**
 * The world map of external peers under the endpoints table: countries by bytes (lazily loaded
 * atlas); clicking a country filters every view to its addresses.
 */
import { useMemo, useState } from 'react';
import { useClient } from '../api/api-context';
import { EChart } from '../charts/echart';
import { errorMessage, useAsync } from '../common/use-async';
import { filterKey } from '../filter/filter-model';
import { useFlowFilter } from '../filter/filter-context';
import { formatBytes } from '../format/format-values';
import { useDataVersion } from '../shell/live-data-context';
import { buildWorldMapOption, countriesWithoutShape } from './build-world-map-option';
import { loadWorldMap } from './world-geometry';

export function WorldMap({ active }: { active: boolean }) {
  const { api } = useClient();
  const { filter, dispatch } = useFlowFilter();
  const { version } = useDataVersion();
  const [clickError, setClickError] = useState<string | undefined>(undefined);
  const atlas = useAsync(() => loadWorldMap(), 'atlas', active);
  const countries = useAsync(() => api.hostsCountries({ filter }), `${filterKey(filter)}#${version}`, active);
  const option = useMemo(
    () => (atlas.data && countries.data ? buildWorldMapOption(countries.data, atlas.data.names) : undefined),
    [atlas.data, countries.data],
  );
  const missing = atlas.data && countries.data ? countriesWithoutShape(countries.data, atlas.data.codes) : [];
  const events = useMemo(
    () => ({
      click: (params: unknown) => {
        const country = String((params as { name?: unknown }).name ?? '');
        if (!/^[A-Z]{2}$/.test(country)) return;
        api.hostsCountryHosts({ filter, country }).then(
          ({ addresses }) => {
            setClickError(undefined);
            if (addresses.length) dispatch({ type: 'setHosts', hosts: addresses });
          },
          (error: unknown) => setClickError(errorMessage(error)),
        );
      },
    }),
    [api, filter, dispatch],
  );
  const error = atlas.error ?? countries.error ?? clickError;
  return (
    <section className="world-map-pane" aria-label="World map of external peers">
      {error && <div className="error-banner">{error}</div>}
      <div className="world-map-host" data-testid="world-map">
        {option && <EChart option={option} events={events} label="World map of external peers by bytes" />}
        {(atlas.loading || countries.loading) && <div className="card-spinner" aria-label="Loading" />}
        {countries.data && countries.data.length === 0 && (
          <div className="map-note">No public addresses with a known country</div>
        )}
        {missing.length > 0 && (
          <div className="map-note" title="Countries too small for the 1:50m atlas">
            not on the map:{' '}
            {missing
              .slice(0, 6)
              .map((entry) => `${entry.country} ${formatBytes(entry.bytes)}`)
              .join(', ')}
            {missing.length > 6 ? ', …' : ''}
          </div>
        )}
      </div>
    </section>
  );
}
