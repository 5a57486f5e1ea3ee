// JSON calls to /api/… and /auth/…: the CSRF header on every state change, OCI error documents turned into ApiError.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** The server has no such endpoint (yet): the view shows a quiet note instead of an error. */
  get missing() {
    return this.status === 404 && this.code !== 'NAME_UNKNOWN' && this.code !== 'MANIFEST_UNKNOWN'
      || this.status === 405 || this.code === 'UNSUPPORTED';
  }
}

export const session = {
  user: null,
  admin: false,
  authEnabled: false,
  csrfToken: null,
};

/** Set by app.js: called when a request answers 401 (the session ended). */
let onUnauthorized = () => {};
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && session.csrfToken) headers['X-CSRF-Token'] = session.csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  const text = await response.text();
  let json = null;
  if (text.length > 0) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!response.ok) {
    const error = json?.errors?.[0];
    if (response.status === 401 && !path.startsWith('/auth/')) onUnauthorized();
    throw new ApiError(response.status, error?.code ?? `HTTP_${response.status}`, error?.message ?? `${method} ${path}: HTTP ${response.status}`);
  }
  return json;
}

export const api = {
  get: (path) => call('GET', path),
  post: (path, body) => call('POST', path, body),
  put: (path, body) => call('PUT', path, body),
  delete: (path) => call('DELETE', path),
};

/** Builds "/api/x?a=1&b=2", leaving out empty values. */
export function url(path, query = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** A repository name keeps its slashes in the path; each segment is encoded. */
export function repositoryPath(name) {
  return name.split('/').map(encodeURIComponent).join('/');
}

export async function loadSession() {
  try {
    const answer = await api.get('/auth/session');
    Object.assign(session, {
      user: answer.user ?? null,
      admin: answer.admin ?? false,
      authEnabled: answer.authEnabled ?? true,
      csrfToken: answer.csrfToken ?? null,
    });
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      Object.assign(session, { user: null, admin: false, authEnabled: true, csrfToken: null });
      return false;
    }
    throw error;
  }
}

export async function login(username, password) {
  const answer = await api.post('/auth/login', { username, password });
  Object.assign(session, { user: answer.user, admin: answer.admin, authEnabled: true, csrfToken: answer.csrfToken });
}

export async function logout() {
  try {
    await api.post('/auth/logout');
  } finally {
    Object.assign(session, { user: null, admin: false, csrfToken: null });
  }
}
