// Every migration, by name. Names start with a date-like number so they sort in the order written;
// the migrator allows unordered names so work merged from parallel branches still applies.
import type { FanzhaMigration } from './migration.ts';
import { foundation } from './2026112701_foundation.ts';
import { vaultAudit } from './2026112703_vault_audit.ts';
import { investigations } from './2026112704_investigations.ts';
import { canariesExports } from './2026112705_canaries_exports.ts';
import { reportsMigration } from './2026112706_reports.ts';
import { guard } from './2026112707_guard.ts';
import { contactsNotify } from './2026112708_contacts_notify.ts';
import { consoleSessions } from './2026112709_console_sessions.ts';
import { incidentsMigration } from './2026112710_incidents.ts';
import { settingsMigration } from './2026112711_settings.ts';
import { substituteCallsMigration } from './2026112712_substitute_calls.ts';
import { accessKeyIdMigration } from './2026120301_access_key_id.ts';
import { caseSplitsMigration } from './2026120301_case_splits.ts';
import { auditShards } from './2026120320_audit_shards.ts';
import { caseWorkflowMigration } from './2026120340_case_workflow.ts';
import { connectorPositions } from './2026120350_connector_positions.ts';
import { accessLogPartitions } from './2026120360_access_log_partitions.ts';

export const migrations: Record<string, FanzhaMigration> = {
  '2026112701_foundation': foundation,
  '2026112703_vault_audit': vaultAudit,
  '2026112704_investigations': investigations,
  '2026112705_canaries_exports': canariesExports,
  '2026112706_reports': reportsMigration,
  '2026112707_guard': guard,
  '2026112708_contacts_notify': contactsNotify,
  '2026112709_console_sessions': consoleSessions,
  '2026112710_incidents': incidentsMigration,
  '2026112711_settings': settingsMigration,
  '2026112712_substitute_calls': substituteCallsMigration,
  '2026120301_access_key_id': accessKeyIdMigration,
  '2026120301_case_splits': caseSplitsMigration,
  '2026120320_audit_shards': auditShards,
  '2026120340_case_workflow': caseWorkflowMigration,
  '2026120350_connector_positions': connectorPositions,
  '2026120360_access_log_partitions': accessLogPartitions,
};
