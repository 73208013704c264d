/**
 * Policy servers (settings): the VLA servers `run_vla` may use — add by URL (OpenPI's websocket or
 * the HTTP JSON variant), probe (metadata, and whether the policy is scripted), make default, remove.
 * Programs and agents are offered `run_vla` only while one is configured.
 */
import { useEffect, useState } from 'react';
import { selectVlaError, selectVlaNotice, selectVlaPending, selectVlaProbes, selectVlaServers, useVla, vlaActions } from '../../stores/vla.ts';
import { EMPTY_POLICY_SERVER_FORM, policyServerRequest, type PolicyServerForm } from './form.ts';

export function PolicyServersPanel({ active }: { active: boolean }): React.JSX.Element {
  const servers = useVla(selectVlaServers);
  const probes = useVla(selectVlaProbes);
  const pending = useVla(selectVlaPending);
  const error = useVla(selectVlaError);
  const notice = useVla(selectVlaNotice);
  const [form, setForm] = useState<PolicyServerForm>(EMPTY_POLICY_SERVER_FORM);
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    if (active) void vlaActions.load();
  }, [active]);

  const save = async (): Promise<void> => {
    const checked = policyServerRequest(form);
    setFormError(checked.ok ? null : checked.error);
    if (checked.ok && (await vlaActions.save(checked.request))) setForm(EMPTY_POLICY_SERVER_FORM);
  };
  const field = (key: keyof PolicyServerForm) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setForm({ ...form, [key]: e.target.value });

  return (
    <div className="policy-servers" data-testid="policy-servers">
      <p className="muted">
        VLA policy servers for <code>run_vla(instruction, seconds)</code>: a program hands the arm to the policy for a while, through the safety
        supervisor. Try <code>caplab vla-server --scripted</code> (a scripted policy, not a model) at ws://127.0.0.1:8000.
      </p>
      <form className="toolbar" onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <input data-testid="vla-url" placeholder="ws://127.0.0.1:8000" value={form.url} onChange={field('url')} />
        <input data-testid="vla-name" placeholder="name (optional)" value={form.name} onChange={field('name')} />
        <select data-testid="vla-action-space" value={form.actionSpace} onChange={field('actionSpace')}>
          <option value="joint_position">joint positions</option>
          <option value="joint_velocity">joint velocities</option>
        </select>
        <input data-testid="vla-hz" className="narrow" value={form.controlHz} onChange={field('controlHz')} title="control rate, Hz" />
        <input data-testid="vla-cameras" className="wide" value={form.cameras} onChange={field('cameras')} title="camera=observation key, comma separated" />
        <input data-testid="vla-key" type="password" placeholder="API key (optional)" value={form.apiKey} onChange={field('apiKey')} />
        <button type="submit" className="primary" data-testid="vla-save" disabled={pending.includes('save')}>Save server</button>
      </form>
      {(formError ?? error) && <p className="error" data-testid="vla-error">{formError ?? error}</p>}
      {notice && <p className="muted" data-testid="vla-notice">{notice}</p>}
      {servers.length === 0 && <p className="muted" data-testid="vla-none">No policy servers: run_vla is not offered to programs or agents.</p>}
      <table className="vla-servers">
        <tbody>
          {servers.map((server) => {
            const probe = probes[server.name];
            const busy = pending.includes(server.name);
            return (
              <tr key={server.name} data-testid="vla-server" data-name={server.name} data-default={String(server.isDefault)}>
                <td><strong>{server.name}</strong>{server.isDefault && <span className="netcam-badge">default</span>}</td>
                <td><code>{server.url}</code> · {server.protocol} · {server.actionSpace} · {server.controlHz} Hz · {server.cameras.map((c) => c.camera).join(', ') || 'no cameras'}</td>
                <td data-testid="vla-probe">{probe ? `${probe.scripted ? 'scripted policy' : String(probe.metadata['policy'] ?? 'policy')} · ${probe.connectMs.toFixed(0)} ms` : ''}</td>
                <td>
                  <button type="button" disabled={busy} onClick={() => void vlaActions.probe(server.name)}>Probe</button>
                  <button type="button" disabled={busy || server.isDefault} onClick={() => void vlaActions.makeDefault(server.name)}>Make default</button>
                  <button type="button" disabled={busy} onClick={() => void vlaActions.remove(server.name)}>Remove</button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
