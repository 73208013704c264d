/** Which panel the console opens on: `?panel=<id>` when it names one, else the first. */
export function initialPanel(search: string, ids: readonly string[]): string {
  const wanted = new URLSearchParams(search).get('panel');
  return wanted && ids.includes(wanted) ? wanted : (ids[0] ?? '');
}
