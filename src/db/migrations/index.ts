// Every migration, by name. Names start with a date-like number so they sort in the order written;
// the migrator allows unordered names so work merged from parallel branches still applies.
import type { FanzhaMigration } from './migration.ts';
import { foundation } from './2026112701_foundation.ts';
import { investigations } from './2026112704_investigations.ts';

export const migrations: Record<string, FanzhaMigration> = {
  '2026112701_foundation': foundation,
  '2026112704_investigations': investigations,
};
