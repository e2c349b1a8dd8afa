import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api/api-context';
import { pickClient } from './api/pick-client';
import { App } from './app';
import { FilterProvider } from './filter/filter-context';
import { LiveDataProvider } from './shell/live-data-context';
import './app.css';

const client = pickClient();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApiProvider client={client}>
      <LiveDataProvider>
        <FilterProvider>
          <App />
        </FilterProvider>
      </LiveDataProvider>
    </ApiProvider>
  </StrictMode>,
);
