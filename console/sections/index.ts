// The console's sections, in navigation order. Adding one: a folder under sections/
// with its element and messages (see README.md), then one line here.
// A section shows only to keys holding its `scope` (admin when unset; admin holds all).
import type { SectionDef } from '../section.js';
import { installSection } from './install/install-section.js';
import { programsSection } from './programs/programs-section.js';
import { customersSection } from './customers/customers-section.js';
import { kpisSection } from './kpis/kpis-section.js';
import { stockSection } from './stock/stock-section.js';
import { webhooksSection } from './webhooks/webhooks-section.js';
import { connectionsSection } from './connections/connections-section.js';
import { marketListSection } from './marketlist/marketlist-section.js';
import { auditSection } from './access/audit-section.js';
import { keysSection } from './access/keys-section.js';
import { marketSection } from './access/market-section.js';
import { originsSection } from './access/origins-section.js';

export const SECTIONS: readonly SectionDef[] = [
  installSection,
  programsSection,
  { ...customersSection, scope: 'staff' },
  { ...kpisSection, scope: 'analytics' },
  stockSection,
  webhooksSection,
  connectionsSection,
  marketListSection,
  marketSection,
  keysSection,
  originsSection,
  auditSection,
];
