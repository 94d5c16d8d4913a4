// Every area, in the order they are set up (an area may use the services of those before it).
import type { Area } from './area.ts';
import { apiKeysArea } from '../apikeys/apikeys.area.ts';
import { eventsArea } from '../events/events.area.ts';
import { investigationsArea } from '../leaks/investigations.area.ts';

export const AREAS: Area[] = [apiKeysArea, eventsArea, investigationsArea];
