import type { Role } from '@ilk/core';
import { login, logout, me, type CurrentUser } from '../api/auth.ts';
import { ApiError, setCsrfToken, setUnauthenticatedHandler } from '../api/client.ts';

// A hint (not a secret) that this browser had a session, so a first visit shows the login form
// at once instead of asking /api/auth/me and logging a 401.
const HINT_KEY = 'ilk.session';
const EDITORS: readonly Role[] = ['admin', 'coordinator'];
const EXPORTERS: readonly Role[] = ['admin', 'coordinator', 'analyst'];
const MAP_READERS: readonly Role[] = ['admin', 'coordinator', 'ministry', 'analyst'];

function hint(on: boolean | null): boolean {
  try {
    if (on === true) localStorage.setItem(HINT_KEY, '1');
    else if (on === false) localStorage.removeItem(HINT_KEY);
    return localStorage.getItem(HINT_KEY) === '1';
  } catch {
    return true;
  }
}

/** Who is logged in, and what the interface offers them. */
export class Session {
  user = $state.raw<CurrentUser | null>(null);
  /** loading: asking the server; anonymous: show the login page; expired: show login over the app. */
  status = $state<'loading' | 'anonymous' | 'ready' | 'expired'>('loading');

  readonly canEdit = $derived(!!this.user && EDITORS.includes(this.user.role));
  readonly canExport = $derived(!!this.user && EXPORTERS.includes(this.user.role));
  readonly canReadMap = $derived(!!this.user && MAP_READERS.includes(this.user.role));
  readonly isAdmin = $derived(this.user?.role === 'admin');

  constructor() {
    // A 401 on any call means the session ended; keep the app (and unsaved input) mounted and
    // ask for the password again.
    setUnauthenticatedHandler(() => {
      if (this.status === 'ready') this.status = 'expired';
    });
  }

  async load(): Promise<void> {
    if (!hint(null)) {
      this.status = 'anonymous';
      return;
    }
    try {
      this.#set(await me());
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) throw e;
      hint(false);
      this.status = 'anonymous';
    }
  }

  async login(email: string, password: string): Promise<void> {
    const user = await login(email, password);
    hint(true);
    this.#set(user);
  }

  async logout(): Promise<void> {
    try {
      await logout();
    } finally {
      hint(false);
      setCsrfToken(null);
      this.user = null;
      this.status = 'anonymous';
    }
  }

  #set(user: CurrentUser): void {
    setCsrfToken(user.csrf_token ?? null);
    this.user = user;
    this.status = 'ready';
  }
}
