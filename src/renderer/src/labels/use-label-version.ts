/** A counter that changes whenever labels change (the labels.changed event), for query keys. */
import { useEffect, useState } from 'react';
import { useClient } from '../api/api-context';

export function useLabelVersion(): number {
  const { api } = useClient();
  const [version, setVersion] = useState(0);
  useEffect(() => api.on('labels.changed', () => setVersion((value) => value + 1)), [api]);
  return version;
}
