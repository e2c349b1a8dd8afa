// Regenerates docs/cicids2017-layout.md: node --import tsx scripts/write-cicids2017-doc.ts
import { writeFileSync } from 'node:fs';
import { renderCicids2017Doc } from '../src/main/export/cicids2017-doc';

writeFileSync(new URL('../docs/cicids2017-layout.md', import.meta.url), renderCicids2017Doc());
