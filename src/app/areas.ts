// Every area, in the order they are set up (an area may use the services of those before it).
// The console stays last: its page routes come after every API route.
import type { Area } from './area.ts';
import { apiKeysArea } from '../apikeys/apikeys.area.ts';
import { shopArea } from '../shop/shop.area.ts';
import { eventsArea } from '../events/events.area.ts';
import { auditArea } from '../audit/audit.area.ts';
import { vaultArea } from '../vault/vault.area.ts';
import { notifyArea } from '../notify/notify.area.ts';
import { contactsArea } from '../contacts/contacts.area.ts';
import { reportsArea } from '../reports/reports.area.ts';
import { linksArea } from '../links/links.area.ts';
import { investigationsArea } from '../investigations/investigations.area.ts';
import { canariesArea } from '../canaries/canaries.area.ts';
import { incidentsArea } from '../incidents/incidents.area.ts';
import { guardArea } from '../guard/guard.area.ts';
import { passwordsArea } from '../passwords/passwords.area.ts';
import { consoleArea } from '../console/console.area.ts';
// The run-time settings store (used by vault masking and notify templates)
import { settingsArea } from '../settings/settings.area.ts';
// CLI only: the connectors and the access-log importer
import { connectArea } from '../connect/connect.area.ts';

export const AREAS: Area[] = [
  apiKeysArea,
  // The shop's core tables; every later area reads them through its service
  shopArea,
  eventsArea,
  auditArea,
  // Before vault and notify, which read their settings from it
  settingsArea,
  vaultArea,
  notifyArea,
  contactsArea,
  reportsArea,
  linksArea,
  investigationsArea,
  canariesArea,
  incidentsArea,
  guardArea,
  passwordsArea,
  connectArea,
  consoleArea,
];
