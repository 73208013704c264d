/**
 * A `provider:model` field that offers the models the Models panel knows (listed, or served by a
 * discovered server a provider points at); any other name can still be typed.
 */
import { useId } from 'react';
import { modelsActions, selectModelChoices, useModels } from '../stores/models.ts';

export interface ModelInputProps {
  readonly testId: string;
  readonly value: string;
  readonly disabled?: boolean;
  readonly onChange: (value: string) => void;
}

export function ModelInput({ testId, value, disabled = false, onChange }: ModelInputProps): React.JSX.Element {
  const listId = useId();
  const choices = useModels(selectModelChoices);
  return (
    <>
      <input
        data-testid={testId}
        list={listId}
        placeholder="provider:model"
        disabled={disabled}
        value={value}
        onFocus={() => void modelsActions.ensureLoaded()}
        onChange={(e) => onChange(e.target.value)}
      />
      <datalist id={listId} data-testid={`${testId}-choices`}>
        {choices.map((name) => <option key={name} value={name} />)}
      </datalist>
    </>
  );
}
