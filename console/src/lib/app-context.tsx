// What every console screen needs to know: who is signed in and which areas the server has.
import { createContext, useContext } from 'react';
import type { Features, Session } from '../api/session.ts';

export interface AppState {
  session: Session;
  features: Features;
  signOut(): void;
}
export const AppCtx = createContext<AppState | null>(null);
export function useApp(): AppState {
  const s = useContext(AppCtx);
  if (!s) throw new Error('useApp outside the signed-in console');
  return s;
}
