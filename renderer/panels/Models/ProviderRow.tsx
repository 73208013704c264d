/** One provider: its base URL (editable), where its key is (a new one goes to the keychain), its models and a connection test. */
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { ProviderEntry } from '../../../shared/ipc/contract.ts';
import { modelsActions, selectListings, selectNotes, selectTests, useModels } from '../../stores/models.ts';
import { checkBaseUrl, keyState } from './form.ts';

export function ProviderRow({ provider }: { provider: z.output<typeof ProviderEntry> }): React.JSX.Element {
  const listing = useModels((s) => selectListings(s)[provider.id]);
  const test = useModels((s) => selectTests(s)[provider.id]);
  const note = useModels((s) => selectNotes(s)[provider.id]);
  const [baseUrl, setBaseUrl] = useState(provider.baseUrl ?? '');
  const [key, setKey] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => setBaseUrl(provider.baseUrl ?? ''), [provider.baseUrl]);

  const saveBaseUrl = (): void => {
    const checked = checkBaseUrl(baseUrl);
    setProblem(checked.ok ? null : checked.error);
    if (checked.ok) void modelsActions.configure(provider.id, checked.baseUrl);
  };
  const keepKey = (): void => {
    if (!key.trim()) return;
    void modelsActions.setKey(provider.id, key);
    setKey(''); // the key leaves the page's state at once
  };

  return (
    <tr data-testid="provider-row" data-provider={provider.id} data-key-source={provider.keySource} data-base-url-source={provider.baseUrlSource}>
      <td><strong>{provider.id}</strong><div className="muted">{provider.api === 'anthropic' ? 'Anthropic Messages' : 'OpenAI-compatible'}{provider.local ? ' · local' : ''}</div></td>
      <td>
        <form className="inline" onSubmit={(e) => { e.preventDefault(); saveBaseUrl(); }}>
          <input data-testid="provider-base-url" className="base-url" placeholder={provider.defaultBaseUrl ?? 'http://host:port/v1'} value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} />
          <button type="submit" data-testid="provider-save">Set</button>
          {provider.baseUrlSource === 'console' && <button type="button" onClick={() => void modelsActions.configure(provider.id, null)}>Default</button>}
        </form>
        <div className="muted">{provider.baseUrlSource === 'unset' ? 'no base URL yet' : `from ${provider.baseUrlSource === 'console' ? 'this console' : `the ${provider.baseUrlSource}`}`}</div>
        {problem && <div className="error">{problem}</div>}
      </td>
      <td>
        {!provider.local && (
          <form className="inline" onSubmit={(e) => { e.preventDefault(); keepKey(); }}>
            <input type="password" autoComplete="off" data-testid="provider-key" placeholder="API key" value={key} onChange={(e) => setKey(e.target.value)} />
            <button type="submit" data-testid="provider-key-save">Keep</button>
            {(provider.keySource === 'session' || provider.keySource === 'keychain') && <button type="button" className="danger" onClick={() => void modelsActions.clearKey(provider.id)}>Forget</button>}
          </form>
        )}
        <div className="muted" data-testid="provider-key-source">{keyState(provider)}</div>
      </td>
      <td>
        <div className="toolbar">
          <button type="button" data-testid="provider-list" disabled={!provider.baseUrl} onClick={() => void modelsActions.list(provider.id)}>List models</button>
          <button type="button" data-testid="provider-test" disabled={!provider.baseUrl} onClick={() => void modelsActions.test(provider.id)}>Test</button>
        </div>
        {test && <div className={test.ok ? 'status-success' : 'error'} data-testid="provider-test-result" data-ok={String(test.ok)}>{test.message}</div>}
        {listing && (
          <ul className="model-list" data-testid="provider-models" data-count={listing.models.length}>
            {listing.models.map((model) => <li key={model} data-testid="provider-model" data-model={`${provider.id}:${model}`}><code>{provider.id}:{model}</code></li>)}
            {listing.label && <li className="recording-badge" title={listing.label}>recordings, not a live model</li>}
          </ul>
        )}
        {note && <div className="muted" data-testid="provider-note">{note}</div>}
      </td>
    </tr>
  );
}
