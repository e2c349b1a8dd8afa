/** Provides the picked API client to every view. */
import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import type { PickedClient } from './pick-client';

const ApiContext = createContext<PickedClient | undefined>(undefined);

export function ApiProvider({ client, children }: { client: PickedClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useClient(): PickedClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useClient outside <ApiProvider>');
  return client;
}
