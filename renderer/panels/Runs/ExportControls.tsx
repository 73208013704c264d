/**
 * Runs leaving Caplab from the console: a run's MCAP as a download (the console's server writes
 * it when the link is opened), and the live Foxglove WebSocket bridge's setting (start on a port,
 * stop), with the URL to open in Foxglove or Lichtblick.
 */
import { useEffect, useState } from 'react';
import { getCaplab } from '../../ipc/client.ts';

/** The port Foxglove's own bridges use by default. */
const FOXGLOVE_DEFAULT_PORT = 8765;

type FoxgloveStatus = Awaited<ReturnType<ReturnType<typeof getCaplab>['exports']['foxglove']>>;

/** Download the run's MCAP (Foxglove, Lichtblick). */
export function ExportMcapButton({ runId }: { runId: number }): React.JSX.Element {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const download = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const { url, fileName } = await getCaplab().exports.mcapLink({ runId });
      const anchor = document.createElement('a');
      anchor.href = url;
      anchor.download = fileName;
      anchor.click();
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" data-testid="run-export-mcap" disabled={busy} title="Download this run as MCAP (joint states, poses, scene, trace, camera images) for Foxglove or Lichtblick" onClick={() => void download()}>
        Export MCAP
      </button>
      {error && <span className="error" data-testid="run-export-error">{error}</span>}
    </>
  );
}

/** The Foxglove WebSocket bridge: off, or on at a loopback port. */
export function FoxgloveSetting(): React.JSX.Element {
  const [status, setStatus] = useState<FoxgloveStatus | null>(null);
  const [port, setPort] = useState(String(FOXGLOVE_DEFAULT_PORT));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    getCaplab().exports.foxglove({}).then(setStatus, (caught: Error) => setError(caught.message));
  }, []);
  const change = async (next: number | null): Promise<void> => {
    setError(null);
    try {
      setStatus(await getCaplab().exports.setFoxglove({ port: next }));
    } catch (caught) {
      setError((caught as Error).message);
    }
  };
  const running = status?.running === true;
  return (
    <span className="foxglove-setting" data-testid="foxglove-setting" data-running={running}>
      <span className="muted">Foxglove</span>
      {running ? (
        <>
          <code data-testid="foxglove-url" title="Open in Foxglove or Lichtblick: Open connection → Foxglove WebSocket">{status.url}</code>
          <button type="button" data-testid="foxglove-stop" onClick={() => void change(null)}>Stop</button>
        </>
      ) : (
        <>
          <input type="number" min={0} max={65535} size={6} data-testid="foxglove-port" aria-label="Foxglove bridge port" value={port} onChange={(e) => setPort(e.target.value)} />
          <button type="button" data-testid="foxglove-start" disabled={!/^\d+$/.test(port) || Number(port) > 65535} onClick={() => void change(Number(port))}>Start bridge</button>
        </>
      )}
      {error && <span className="error" data-testid="foxglove-error">{error}</span>}
    </span>
  );
}
