// Every area, in the order they are set up (an area may use the services of those before it).
import type { Area } from './area.ts';
import { apiKeysArea } from '../apikeys/apikeys.area.ts';
import { eventsArea } from '../events/events.area.ts';
import { auditArea } from '../audit/audit.area.ts';
import { vaultArea } from '../vault/vault.area.ts';
import { consoleArea } from '../console/console.area.ts';

// The console stays last: its /console/* page routes come after every API route.
export const AREAS: Area[] = [apiKeysArea, eventsArea, auditArea, vaultArea, consoleArea];
