/** The Skills panel's editing state. */
export interface SkillEditor {
  readonly query: string;
  /** The skill whose draft this is. */
  readonly name: string | null;
  readonly draftSource: string;
  readonly draftDescription: string;
  readonly dirty: boolean;
  /** Delete asks once more before it acts. */
  readonly confirmingDelete: boolean;
}

/** Edits. */
export type SkillEditorAction =
  | { readonly type: 'query'; readonly value: string }
  | { readonly type: 'opened'; readonly name: string; readonly source: string; readonly description: string }
  | { readonly type: 'source'; readonly value: string }
  | { readonly type: 'description'; readonly value: string }
  | { readonly type: 'saved' }
  | { readonly type: 'ask-delete' }
  | { readonly type: 'cancel-delete' }
  | { readonly type: 'closed' };
