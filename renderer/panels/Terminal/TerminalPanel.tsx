/** Terminal: xterm.js on the policy's pty; what the operator types goes to the live Python REPL. */
import { useEffect, useReducer, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { getCaplab } from '../../ipc/client.ts';
import { describeError } from '../../stores/errors.ts';
import { selectShown, useLayout } from '../../stores/layout.ts';
import { INITIAL_TERMINAL_SETTINGS, runBanner, terminalSettingsReducer } from './settings.ts';

export function TerminalPanel({ active }: { active: boolean }): React.JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<{ terminal: Terminal; fit: FitAddon } | null>(null);
  const [settings, dispatch] = useReducer(terminalSettingsReducer, INITIAL_TERMINAL_SETTINGS);
  const clearOnRun = useRef(settings.clearOnRun);
  clearOnRun.current = settings.clearOnRun;
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    const api = getCaplab();
    const terminal = new Terminal({ convertEol: false, cursorBlink: true, fontSize: INITIAL_TERMINAL_SETTINGS.fontSizePx, scrollback: 5000, theme: { background: '#11151c' } });
    const fit = new FitAddon();
    terminal.loadAddon(fit);
    terminal.open(host.current!);
    term.current = { terminal, fit };
    const typed = terminal.onData((data) => {
      api.terminal.write({ data }).then(
        () => setMessage(null),
        (error: unknown) => setMessage(describeError(error)),
      );
    });
    const resized = terminal.onResize(({ cols, rows }) => void api.terminal.resize({ cols, rows }).catch(() => {}));
    const offData = api.on.terminal.data(({ data }) => terminal.write(data));
    const offStatus = api.on.runs.status(({ runId, taskId, status }) => {
      if (status !== 'running') return;
      if (clearOnRun.current) terminal.clear();
      terminal.write(runBanner(runId, taskId));
    });
    return () => {
      offData();
      offStatus();
      typed.dispose();
      resized.dispose();
      terminal.dispose();
      term.current = null;
    };
  }, []);

  useEffect(() => {
    const current = term.current;
    if (!current) return;
    current.terminal.options.fontSize = settings.fontSizePx;
    if (active) current.fit.fit();
  }, [settings.fontSizePx, active]);

  useEffect(() => {
    if (!active || !host.current) return undefined;
    const observer = new ResizeObserver(() => term.current?.fit.fit());
    observer.observe(host.current);
    return () => observer.disconnect();
  }, [active]);

  // The terminal takes the keyboard when the operator brings it forward, not whenever it is
  // visible: beside other panels it would otherwise keep Space and Escape (STOP) from the page.
  const shown = useLayout(selectShown);
  useEffect(() => {
    if (shown?.id === 'terminal') term.current?.terminal.focus();
  }, [shown]);

  return (
    <div className="terminal-panel">
      <div className="toolbar">
        <button type="button" data-testid="terminal-font-smaller" onClick={() => dispatch({ type: 'font', deltaPx: -1 })}>A−</button>
        <button type="button" data-testid="terminal-font-larger" onClick={() => dispatch({ type: 'font', deltaPx: 1 })}>A+</button>
        <label><input type="checkbox" data-testid="terminal-clear-on-run" checked={settings.clearOnRun} onChange={() => dispatch({ type: 'toggle-clear' })} /> clear on new run</label>
        <span className="muted">{message ?? 'Type into the running policy’s Python.'}</span>
      </div>
      <div ref={host} className="terminal-host grow" data-testid="terminal" />
    </div>
  );
}
