/**
 * The subset of Electron's API this app uses, for type checking on machines where the optional
 * `electron` package could not install (its binary download needs the internet). tsconfig maps
 * `electron` here so checks are the same everywhere; keep it a faithful subset of Electron's types.
 */
export interface WebPreferences {
  contextIsolation?: boolean;
  sandbox?: boolean;
  nodeIntegration?: boolean;
  preload?: string;
}

export interface BrowserWindowOptions {
  width?: number;
  height?: number;
  title?: string;
  webPreferences?: WebPreferences;
}

export interface WebContents {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void;
}

export class BrowserWindow {
  constructor(options?: BrowserWindowOptions);
  readonly webContents: WebContents;
  loadURL(url: string): Promise<void>;
  on(event: 'closed', listener: () => void): this;
}

export const app: {
  whenReady(): Promise<void>;
  on(event: 'window-all-closed', listener: () => void): void;
  quit(): void;
  exit(code?: number): void;
};

export const shell: {
  openExternal(url: string): Promise<void>;
};

export const contextBridge: {
  exposeInMainWorld(key: string, api: unknown): void;
};
