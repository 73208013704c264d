/** Which panel the URL names: `?panel=<id>` opens (or brings forward) that panel. */

/** The panel `?panel=<id>` names, when it is one of `ids`. */
export function namedPanel(search: string, ids: readonly string[]): string | null {
  const wanted = new URLSearchParams(search).get('panel');
  return wanted && ids.includes(wanted) ? wanted : null;
}

/** Which panel the console opens on: `?panel=<id>` when it names one, else the first. */
export function initialPanel(search: string, ids: readonly string[]): string {
  return namedPanel(search, ids) ?? ids[0] ?? '';
}
