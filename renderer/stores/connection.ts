/**
 * Connection to the main process (Electron IPC or the browser-mode WebSocket), the safety state
 * and the STOP action. `stopNow()` sends the halt before touching any React state.
 */
import { create } from 'zustand';
import type { SafetyStatus } from '../../shared/ipc/contract.ts';
import type { z } from 'zod';
import { getCaplab, shellKind, whenConnected } from '../ipc/client.ts';
import { describeError, errorCode } from './errors.ts';

/** Where the link to the main process stands. */
export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

interface ConnectionStore {
  readonly state: ConnectionState;
  readonly shell: 'electron' | 'browser';
  readonly message: string | null;
  readonly safety: z.output<typeof SafetyStatus> | null;
  /** The last STOP's outcome for the operator. */
  readonly stopMessage: string | null;
}

export const useConnection = create<ConnectionStore>(() => ({
  state: 'connecting',
  shell: 'browser',
  message: null,
  safety: null,
  stopMessage: null,
}));

export const selectConnectionState = (s: ConnectionStore): ConnectionState => s.state;
export const selectConnectionMessage = (s: ConnectionStore): string | null => s.message;
export const selectSafety = (s: ConnectionStore): ConnectionStore['safety'] => s.safety;
export const selectStopMessage = (s: ConnectionStore): string | null => s.stopMessage;

const HEARTBEAT_MS = 1000;

/** Halt the robot and the policy at once: the request leaves before any UI update. */
export function stopNow(reason = 'operator pressed STOP'): void {
  const pending = getCaplab().safety.stop({ reason });
  useConnection.setState({ stopMessage: 'stopping…' });
  pending.then(
    (safety) => useConnection.setState({ safety, stopMessage: safety.reason ?? 'stopped' }),
    (error: unknown) => useConnection.setState({ stopMessage: `STOP failed: ${describeError(error)}` }),
  );
}

export const connectionActions = {
  /** Connect, subscribe to safety changes and keep the heartbeat going; returns the disposer. */
  connect(signal: AbortSignal): Promise<void> {
    useConnection.setState({ shell: shellKind() });
    const api = getCaplab();
    const off = api.on.safety.changed((safety) => useConnection.setState({ safety }));
    const beat = setInterval(() => {
      api.safety.heartbeat({}).catch((error: unknown) => {
        if (errorCode(error) === 'disconnected') useConnection.setState({ state: 'disconnected', message: describeError(error) });
      });
    }, HEARTBEAT_MS);
    signal.addEventListener('abort', () => {
      off();
      clearInterval(beat);
    });
    return whenConnected().then(
      async () => {
        useConnection.setState({ state: 'connected', message: null });
        useConnection.setState({ safety: await api.safety.status({}) });
      },
      (error: unknown) => {
        useConnection.setState({ state: 'disconnected', message: describeError(error) });
      },
    );
  },
} as const;
