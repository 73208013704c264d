/** A labelled <select> over a list of options. */
export interface SelectFieldProps {
  readonly label: string;
  readonly testId: string;
  readonly value: string;
  readonly options: readonly string[];
  readonly onChange: (value: string) => void;
  /** Display text per option (defaults to the value). */
  readonly describe?: (option: string) => string;
}

export function SelectField({ label, testId, value, options, onChange, describe = (o) => o }: SelectFieldProps): React.JSX.Element {
  return (
    <label>
      {label}
      <select data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((option) => <option key={option} value={option}>{describe(option)}</option>)}
      </select>
    </label>
  );
}
