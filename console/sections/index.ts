// The console's sections, in navigation order. Adding one: a folder under sections/
// with its element and messages (see README.md), then one line here.
import type { SectionDef } from '../section.js';
import { installSection } from './install/install-section.js';
import { programsSection } from './programs/programs-section.js';
import { customersSection } from './customers/customers-section.js';
import { kpisSection } from './kpis/kpis-section.js';
import { webhooksSection } from './webhooks/webhooks-section.js';

export const SECTIONS: readonly SectionDef[] = [
  installSection,
  programsSection,
  customersSection,
  kpisSection,
  webhooksSection,
];
