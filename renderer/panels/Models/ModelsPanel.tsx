/** Models: the local servers found on their default ports, and every provider's base URL, key, models and connection test. */
import { useEffect } from 'react';
import { modelsActions, selectDiscovering, selectKeychain, selectModelsError, selectProviders, selectServers, useModels } from '../../stores/models.ts';
import { ProviderRow } from './ProviderRow.tsx';

export function ModelsPanel({ active }: { active: boolean }): React.JSX.Element {
  const providers = useModels(selectProviders);
  const keychain = useModels(selectKeychain);
  const error = useModels(selectModelsError);
  useEffect(() => {
    if (active) void modelsActions.ensureLoaded();
  }, [active]);
  return (
    <div className="models-panel">
      <p className={keychain?.available ? 'muted' : 'notice'} data-testid="keychain-note" data-available={String(keychain?.available ?? false)}>
        {keychain ? `Keys: ${keychain.note}.` : 'Loading providers…'} Keys are never written to the database or the logs.
      </p>
      {error && <p className="error" data-testid="models-error">{error}</p>}
      <DiscoveredServers />
      <h3>Providers</h3>
      <table className="providers" data-testid="providers">
        <thead>
          <tr><th>provider</th><th>base URL</th><th>key</th><th>models</th></tr>
        </thead>
        <tbody>
          {providers.map((provider) => <ProviderRow key={provider.id} provider={provider} />)}
        </tbody>
      </table>
    </div>
  );
}

function DiscoveredServers(): React.JSX.Element {
  const servers = useModels(selectServers);
  const discovering = useModels(selectDiscovering);
  return (
    <section className="discovered">
      <div className="toolbar">
        <h3>Local servers</h3>
        <button type="button" data-testid="models-discover" disabled={discovering} onClick={() => void modelsActions.discover()}>{discovering ? 'Looking…' : 'Look again'}</button>
        <span className="muted">Ollama 11434, vLLM 8000, llama.cpp 8080, LM Studio 1234, caplab model-server 5180, and CAPLAB_MODEL_SERVERS</span>
      </div>
      <table data-testid="discovered-servers">
        <tbody>
          {servers.map((server) => (
            <tr key={server.baseUrl} data-testid="discovered-server" data-base-url={server.baseUrl} data-reachable={String(server.reachable)} data-in-use={String(server.inUse)}>
              <td>{server.name}</td>
              <td><code>{server.baseUrl}</code></td>
              <td className={server.reachable ? 'status-success' : 'muted'} title={server.error ?? ''}>
                {server.reachable ? `${server.models.length} model${server.models.length === 1 ? '' : 's'}: ${server.models.slice(0, 6).join(', ')}${server.models.length > 6 ? ', …' : ''}` : 'not answering'}
              </td>
              <td>{server.label && <span className="recording-badge" data-testid="server-label" title={server.label}>recordings, not a live model</span>}</td>
              <td>
                {server.reachable && (server.inUse
                  ? <span className="muted">in use as {server.provider}</span>
                  : <button type="button" data-testid="server-use" onClick={() => void modelsActions.use(server)}>Use as {server.provider}</button>)}
              </td>
            </tr>
          ))}
          {servers.length === 0 && <tr><td className="muted">{discovering ? 'Looking for servers…' : 'Not looked yet.'}</td></tr>}
        </tbody>
      </table>
    </section>
  );
}
