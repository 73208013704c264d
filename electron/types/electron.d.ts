/**
 * The subset of Electron's API this app uses, for type checking on machines where the optional
 * `electron` package could not install (its binary download needs the internet). tsconfig maps
 * `electron` here so checks are the same everywhere; keep it a faithful subset of Electron's types.
 */
export interface WebPreferences {
  contextIsolation?: boolean;
  sandbox?: boolean;
  nodeIntegration?: boolean;
  webSecurity?: boolean;
  preload?: string;
}

export interface BrowserWindowOptions {
  width?: number;
  height?: number;
  title?: string;
  show?: boolean;
  webPreferences?: WebPreferences;
}

/** What `will-navigate` / `will-redirect` / `will-attach-webview` listeners receive. */
export interface NavigationEvent {
  preventDefault(): void;
  readonly url: string;
}

export interface OnBeforeRequestListenerDetails {
  url: string;
}

export interface OnHeadersReceivedListenerDetails {
  url: string;
  responseHeaders?: Record<string, string[]>;
}

export interface WebRequest {
  onBeforeRequest(listener: (details: OnBeforeRequestListenerDetails, callback: (response: { cancel?: boolean }) => void) => void): void;
  onHeadersReceived(listener: (details: OnHeadersReceivedListenerDetails, callback: (response: { responseHeaders?: Record<string, string[]> }) => void) => void): void;
}

export interface Session {
  readonly webRequest: WebRequest;
  setPermissionRequestHandler(handler: (webContents: WebContents, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (webContents: WebContents | null, permission: string, requestingOrigin: string) => boolean): void;
}

export interface WebContents {
  readonly session: Session;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void;
  on(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', listener: (event: NavigationEvent) => void): this;
  send(channel: string, ...args: unknown[]): void;
  getURL(): string;
  isDestroyed(): boolean;
}

export class BrowserWindow {
  constructor(options?: BrowserWindowOptions);
  readonly webContents: WebContents;
  loadURL(url: string): Promise<void>;
  on(event: 'closed', listener: () => void): this;
  static getAllWindows(): BrowserWindow[];
}

export interface IpcMainInvokeEvent {
  readonly senderFrame: { readonly url: string } | null;
}

export const ipcMain: {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown> | unknown): void;
  removeHandler(channel: string): void;
};

export interface IpcRendererEvent {
  readonly sender: unknown;
}

export const ipcRenderer: {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (...args: never[]) => void): unknown;
};

export const app: {
  whenReady(): Promise<void>;
  on(event: 'window-all-closed', listener: () => void): void;
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): void;
  quit(): void;
  exit(code?: number): void;
};

export const shell: {
  openExternal(url: string): Promise<void>;
};

export const contextBridge: {
  exposeInMainWorld(key: string, api: unknown): void;
};
