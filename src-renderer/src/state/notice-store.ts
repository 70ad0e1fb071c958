// Messages for the user (errors of a request, finished imports), shown briefly in a corner, three
// at most.
import { create } from 'zustand';

export interface Notice {
  readonly id: number;
  readonly level: 'info' | 'error';
  readonly message: string;
}

export const useNotices = create<{ readonly notices: readonly Notice[] }>(() => ({ notices: [] }));

let nextId = 1;

/** Shows a message; info disappears after a few seconds, errors after longer. */
export function notify(level: Notice['level'], message: string): void {
  const id = nextId++;
  useNotices.setState((s) => ({ notices: [...s.notices.slice(-2), { id, level, message }] }));
  setTimeout(() => dismiss(id), level === 'error' ? 10_000 : 4000);
}

/** Removes one message. */
export function dismiss(id: number): void {
  useNotices.setState((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
}
