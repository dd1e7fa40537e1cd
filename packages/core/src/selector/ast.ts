export type Operator = 'eq' | 'neq' | 'in' | 'notin' | 'exists' | 'notexists';

export interface Requirement {
  key: string;
  op: Operator;
  /** one value for eq/neq, the set for in/notin, none for exists/notexists */
  values: string[];
}

/** Requirements joined by AND. */
export type Selector = Requirement[];

export interface SelectorError {
  /** 0-based character offset into the input */
  position: number;
  expected: string;
  found: string;
  message: string;
}
