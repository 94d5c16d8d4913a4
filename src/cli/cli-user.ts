// Who runs a CLI command: actions taken from a shell are recorded as by `cli:<OS user>` (whoever
// runs it holds the database and the master key, so they act as an admin).
import { userInfo } from 'node:os';

export function cliUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown'; // no passwd entry (containers)
  }
}

export const cliActor = () => ({ keyId: `cli:${cliUser()}`, keyName: 'fanzha CLI', role: 'admin' as const });
