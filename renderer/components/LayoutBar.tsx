/**
 * The layout bar, under the top bar and outside the dock: a button per panel (shows it, adding it
 * to the layout when it is not there) and the layouts — built-in or saved by name, save, forget.
 */
import { useState } from 'react';
import { BUILT_IN_LAYOUTS } from '../layout/presets.ts';
import { PANELS } from '../panels/all.ts';
import { layoutActions, selectLayoutError, selectLayoutName, selectSavedLayouts, selectVisible, useLayout } from '../stores/layout.ts';

export function LayoutBar(): React.JSX.Element {
  const visible = useLayout(selectVisible);
  const name = useLayout(selectLayoutName);
  const saved = useLayout(selectSavedLayouts);
  const error = useLayout(selectLayoutError);
  const [newName, setNewName] = useState('');
  const isSaved = saved.includes(name);
  return (
    <nav className="layout-bar" aria-label="panels and layouts">
      <div className="panel-picker" role="toolbar" aria-label="show a panel">
        {PANELS.map((p) => (
          <button key={p.id} type="button" data-testid={`tab-${p.id}`} aria-pressed={visible[p.id] === true} className={visible[p.id] ? 'tab shown' : 'tab'} onClick={() => layoutActions.show(p.id)}>
            {p.title}
          </button>
        ))}
      </div>
      <div className="layouts">
        <label>
          Layout{' '}
          <select data-testid="layout-select" value={name} onChange={(e) => layoutActions.use(e.target.value)}>
            {BUILT_IN_LAYOUTS.map((preset) => <option key={preset.name} value={preset.name} title={preset.description}>{preset.name}</option>)}
            {saved.map((n) => <option key={n} value={n}>{n}</option>)}
            {!isSaved && !BUILT_IN_LAYOUTS.some((p) => p.name === name) && <option value={name}>{name}</option>}
          </select>
        </label>
        <button type="button" data-testid="layout-reset" title="Rebuild this layout as it was saved" onClick={() => layoutActions.use(name)}>Reset</button>
        <form className="inline" onSubmit={(e) => { e.preventDefault(); if (layoutActions.saveAs(newName)) setNewName(''); }}>
          <input data-testid="layout-name" placeholder="save as…" value={newName} onChange={(e) => setNewName(e.target.value)} />
          <button type="submit" data-testid="layout-save">Save</button>
        </form>
        {isSaved && <button type="button" className="danger" data-testid="layout-forget" onClick={() => layoutActions.forget(name)}>Forget</button>}
        {error && <span className="error" data-testid="layout-error">{error}</span>}
      </div>
    </nav>
  );
}
