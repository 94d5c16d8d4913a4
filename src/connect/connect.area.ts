// Getting a shop's data in without writing code: the MySQL binlog and NATS JetStream connectors
// and the access-log importer. CLI only (no routes, no services): every event goes through the
// events area's service, the same path as POST /v1/events.
import type { Area } from '../app/area.ts';
import { registerConnectCommands } from './connect.cli.ts';

export const connectArea: Area = {
  name: 'connect',
  commands: registerConnectCommands,
};
