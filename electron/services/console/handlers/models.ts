/** The `models` channels: providers, base URLs and keys, model lists, discovery, the connection test. */
import type { Handlers } from '../../../../shared/ipc/dispatch.ts';
import { IpcError, type IpcErrorCode } from '../../../../shared/ipc/errors.ts';
import { ModelError, type ModelErrorCode } from '../../providers/errors.ts';
import { NoBaseUrlError, UnknownProviderError, type ModelsService } from '../../providers/models-service.ts';

/** What a failed listing means to the console, by the model error's code. */
const IPC_CODE_FOR_MODEL_ERROR: Readonly<Record<ModelErrorCode, IpcErrorCode>> = {
  model_auth: 'refused',
  model_rate_limited: 'busy',
  model_http: 'no_response',
  model_timeout: 'no_response',
  cancelled: 'cancelled',
  model_bad_response: 'no_response',
};

function asIpcError(error: unknown): unknown {
  if (error instanceof UnknownProviderError) return new IpcError('not_found', error.message, 'a provider of models:providers');
  if (error instanceof NoBaseUrlError) return new IpcError('not_available', error.message, 'models:configure with a base URL');
  if (error instanceof ModelError) return new IpcError(IPC_CODE_FOR_MODEL_ERROR[error.code], error.message);
  return error;
}

/** Handlers of `models`, over the service (loaded on the first call, not at start). */
export function modelHandlers(service: () => Promise<ModelsService>): Pick<Handlers, 'models'> {
  const using = async <T>(work: (models: ModelsService) => T | Promise<T>): Promise<T> => {
    try {
      return await work(await service());
    } catch (error) {
      throw asIpcError(error);
    }
  };
  return {
    models: {
      providers: () => using((models) => ({ providers: models.providers(), keychain: models.keychain() })),
      configure: ({ provider, baseUrl }) => using((models) => models.configure(provider, baseUrl)),
      setKey: ({ provider, key }) => using((models) => models.setKey(provider, key)),
      clearKey: ({ provider }) => using((models) => models.clearKey(provider)),
      list: ({ provider }) => using((models) => models.models(provider)),
      test: ({ provider }) => using((models) => models.test(provider)),
      discover: () => using(async (models) => ({ servers: await models.discover() })),
    },
  };
}
