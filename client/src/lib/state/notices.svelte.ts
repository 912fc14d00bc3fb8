export interface Notice {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

/** Short confirmations and errors, read out by a polite live region. */
export class Notices {
  items = $state<Notice[]>([]);
  /** How many lists are placed inside a map (NoticeList inMap): the page-wide one then stays empty. */
  anchored = $state(0);
  #next = 1;

  push(kind: Notice['kind'], text: string, ms = kind === 'error' ? 10_000 : 5_000): void {
    const id = this.#next++;
    // At most three at a time: older confirmations give way to newer ones.
    this.items = [...this.items, { id, kind, text }].slice(-3);
    setTimeout(() => this.dismiss(id), ms);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((n) => n.id !== id);
  }
}
